"""Exactly once when two runs overlap: two threads with their own PostgreSQL connections, and
a real Celery worker fed through Redis. SQLite serializes writers for the whole database, so it
cannot show the race; these tests run on PostgreSQL (CI) and say so when skipped."""

import os
import threading
import time
from datetime import date

import pytest
from django.db import connection

from providers import tasks
from providers.reminders import emails as reminder_emails
from providers.reminders import services as reminder_services
from providers.reminders.models import ReminderSent, ReminderStatus

from .factories import make_certification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-level concurrency needs PostgreSQL (SQLite locks the whole database)",
    ),
]

OWED_DAYS = (90, 30, 7)


def _owed_certifications(count):
    return [
        make_certification(
            expires_in=OWED_DAYS[index % len(OWED_DAYS)],
            email=f"c{index:03d}@example.com",
            ssn=f"{index:03d}-00-0000",
        )
        for index in range(count)
    ]


def _slow_sends(monkeypatch):
    """Widen the window between claim and mark so the runs really interleave."""
    real = reminder_emails.send_renewal_reminder

    def send(**kwargs):
        time.sleep(0.005)
        return real(**kwargs)

    monkeypatch.setattr(reminder_emails, "send_renewal_reminder", send)


def test_two_runs_at_once_send_each_reminder_exactly_once(monkeypatch, mailoutbox):
    certifications = _owed_certifications(40)
    _slow_sends(monkeypatch)
    today = date.today()
    barrier = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            barrier.wait()
            # Outside any transaction on_commit runs at once: the batches execute eagerly here.
            reminder_services.reminders_dispatch(today=today, batch_size=7)
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    recipients = [message.to[0] for message in mailoutbox]
    assert len(recipients) == len(set(recipients)) == len(certifications)
    assert ReminderSent.objects.filter(status=ReminderStatus.SENT).count() == len(certifications)


@pytest.fixture
def real_worker():
    from celery.contrib.testing.worker import start_worker

    from oems_portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = saved


@pytest.mark.worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)")
def test_a_real_worker_given_the_run_twice_sends_each_reminder_once(real_worker, mailoutbox):
    certifications = _owed_certifications(12)
    today = date.today().isoformat()
    first = tasks.send_renewal_reminders.delay(today)
    second = tasks.send_renewal_reminders.delay(today)  # beat and a person clicking "run"
    assert first.get(timeout=60) + second.get(timeout=60) >= len(OWED_DAYS)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if ReminderSent.objects.filter(status=ReminderStatus.SENT).count() == len(certifications):
            break
        time.sleep(0.2)
    time.sleep(1)  # let any duplicate batch finish before counting
    recipients = [message.to[0] for message in mailoutbox]
    assert len(recipients) == len(set(recipients)) == len(certifications)
