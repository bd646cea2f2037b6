"""Exactly once with two workers at once: two threads with their own PostgreSQL connections
each dispatch the notice and deliver every batch (the second one as a redelivery would), with
slow sends so the claims really interleave. SQLite serializes writers for the whole database,
so it cannot show the race; these run on PostgreSQL (CI) and say so when skipped."""

import time
from functools import partial

import pytest
from django.core.mail import EmailMessage
from django.db import connection

from core.send_once import SendStatus
from notices import selectors, services
from notices.models import Notice, NoticeBatch, NoticeDelivery
from notices.rules import NoticeStatus
from tests.concurrency import run_together

from .factories import active_providers, make_notice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-level concurrency needs PostgreSQL (SQLite locks the whole database)",
    ),
]


def test_two_workers_at_once_mail_each_person_exactly_once(monkeypatch, mailoutbox, supervisor):
    providers = active_providers(40)
    notice = make_notice()
    # the sending without its tasks: both "workers" below do the dispatch and the batches
    monkeypatch.setattr("notices.services.enqueue_on_commit", lambda *args: None)
    services.notice_send(notice=notice, actor=supervisor)
    real_send = EmailMessage.send

    def slow_send(message, *args, **kwargs):
        time.sleep(0.005)
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", slow_send)

    def worker(reverse: bool):
        services.notice_dispatch(notice_id=notice.pk, batch_size=7)
        batches = NoticeBatch.objects.filter(notice=notice).order_by("number")
        for batch in reversed(batches) if reverse else batches:
            services.notice_batch_send(batch_id=batch.pk)

    errors = run_together(partial(worker, False), partial(worker, True))
    assert errors == []
    recipients = [message.to[0] for message in mailoutbox]
    assert len(recipients) == len(set(recipients)) == len(providers)
    assert NoticeBatch.objects.filter(notice=notice).count() == 6  # 40 in pages of 7, once
    assert NoticeDelivery.objects.filter(status=SendStatus.SENT).count() == len(providers)
    notice = Notice.objects.get(pk=notice.pk)
    assert notice.status == NoticeStatus.SENT
    assert selectors.notice_progress(notice).sent == len(providers)
