"""Notices: who each audience reaches, the refusal of a notice to nobody, delivery exactly once
(a redelivered batch sends nothing), progress, and who may send."""

import pytest
from django.core import mail

from accounts import roles
from core.errors import DomainError
from core.send_once import SendStatus
from core.transitions import status_timeline
from notices import selectors, services
from notices.models import NoticeBatch, NoticeDelivery
from notices.rules import Audience, NoticeStatus
from providers.rules import Level
from tests.organizations.factories import OrganizationFactory
from tests.providers.factories import make_certification

from .factories import active_providers, make_notice

pytestmark = pytest.mark.django_db


def _dispatched(notice, actor, capture, *, batch_size=1000) -> list[NoticeBatch]:
    """Send ``notice`` and record its batches, without running the batch tasks."""
    with capture(execute=False):  # the dispatch task, not yet run
        services.notice_send(notice=notice, actor=actor)
    with capture(execute=False):  # the batch tasks, not yet run
        services.notice_dispatch(notice_id=notice.pk, batch_size=batch_size)
    return list(NoticeBatch.objects.filter(notice=notice).order_by("number"))


def test_active_providers_counts_each_person_with_an_active_certification_once():
    (two_certifications,) = active_providers(1)
    make_certification(provider=two_certifications, level=Level.PARAMEDIC)
    active_providers(2, start=10)
    make_certification(expires_in=-30, ssn="900-11-0000")  # in grace: not active
    make_certification(expires_in=-2000, ssn="901-11-0000")  # long expired
    assert selectors.audience_count(make_notice(audience=Audience.ACTIVE_PROVIDERS)) == 3


def test_level_audience_counts_only_that_level():
    active_providers(2, level=Level.PARAMEDIC)
    active_providers(3, start=10, level=Level.EMT)
    notice = make_notice(audience=Audience.LEVEL, level=Level.PARAMEDIC)
    assert selectors.audience_count(notice) == 2


def test_expiry_window_counts_active_certifications_expiring_within_it():
    active_providers(2, expires_in=20)
    active_providers(1, start=10, expires_in=30)
    active_providers(4, start=20, expires_in=31)
    make_certification(expires_in=-5, ssn="900-11-0000")  # expired already: not in the window
    notice = make_notice(audience=Audience.EXPIRING, expires_within_days=30)
    assert selectors.audience_count(notice) == 3


def test_organization_administrators_are_counted_once_each(make_user):
    first, second = make_user(role=roles.ORGANIZATION_ADMINISTRATOR), make_user()
    gone = make_user(is_active=False)
    OrganizationFactory().administrators.add(first, second, gone)
    OrganizationFactory().administrators.add(first)
    make_user(role=roles.ORGANIZATION_ADMINISTRATOR)  # in the role, administers nothing
    notice = make_notice(audience=Audience.ORGANIZATION_ADMINISTRATORS)
    assert selectors.audience_count(notice) == 2


def test_training_institutions_are_the_accounts_in_that_role(make_user):
    make_user(role=roles.TRAINING_INSTITUTION)
    make_user(role=roles.TRAINING_INSTITUTION)
    make_user(role=roles.PROVIDER)
    notice = make_notice(audience=Audience.TRAINING_INSTITUTIONS)
    assert selectors.audience_count(notice) == 2


def test_a_notice_to_nobody_is_refused_before_sending(supervisor):
    active_providers(1, level=Level.EMT)
    notice = make_notice(audience=Audience.LEVEL, level=Level.PARAMEDIC)
    with pytest.raises(DomainError) as refused:
        services.notice_send(notice=notice, actor=supervisor)
    assert refused.value.field == "audience"
    assert "reaches nobody" in refused.value.message
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert not NoticeBatch.objects.exists()


def test_sending_delivers_once_to_each_person_and_closes_the_notice(
    supervisor, make_user, django_capture_on_commit_callbacks
):
    providers = active_providers(5)
    providers[0].email = ""  # no contact email: the linked account's email is used
    providers[0].user = make_user("account@example.com")
    providers[0].save()
    providers[1].email = ""  # no address at all: skipped, with the reason
    providers[1].save()
    notice = make_notice()
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(notice=notice, actor=supervisor)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["account@example.com", "p002@example.com", "p003@example.com"] + [
        "p004@example.com"
    ]
    assert mail.outbox[0].subject.endswith("Changes to the protocols")
    assert "protocols change on July 1" in mail.outbox[0].body
    progress = selectors.notice_progress(notice)
    assert (progress.total, progress.sent, progress.skipped, progress.failed) == (5, 4, 1, 0)
    assert progress.handled == 5
    skipped = NoticeDelivery.objects.get(status=SendStatus.SKIPPED)
    assert skipped.provider == providers[1]
    # one audit row per state change: draft -> sending (by the supervisor) -> sent
    timeline = status_timeline(notice)
    assert [entry.new for entry in timeline][-2:] == [NoticeStatus.SENDING, NoticeStatus.SENT]
    assert [entry.actor for entry in timeline][-2] == supervisor


def test_sending_twice_acts_once(supervisor, django_capture_on_commit_callbacks):
    active_providers(3)
    notice = make_notice()
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(notice=notice, actor=supervisor)
        services.notice_send(notice=notice, actor=supervisor)
    assert len(mail.outbox) == 3
    assert NoticeBatch.objects.count() == 1


def test_batches_page_the_audience_and_a_redelivered_batch_sends_nothing_twice(
    supervisor, django_capture_on_commit_callbacks
):
    active_providers(7)
    notice = make_notice()
    batches = _dispatched(notice, supervisor, django_capture_on_commit_callbacks, batch_size=3)
    assert [len(batch.recipient_ids) for batch in batches] == [3, 3, 1]
    assert services.notice_dispatch(notice_id=notice.pk, batch_size=3) == 0  # resumes: nothing
    first = services.notice_batch_send(batch_id=batches[0].pk)
    assert (first.sent, first.not_claimed) == (3, 0)
    # the same batch delivered again (a worker died before acking): nobody mailed twice
    NoticeBatch.objects.filter(pk=batches[0].pk).update(done_at=None)
    again = services.notice_batch_send(batch_id=batches[0].pk)
    assert (again.sent, again.not_claimed) == (0, 3)
    assert len(mail.outbox) == 3
    notice.refresh_from_db()
    progress = selectors.notice_progress(notice)
    assert (progress.sent, progress.handled, progress.total) == (3, 3, 7)
    assert (progress.batches_done, progress.batches) == (1, 3)
    assert notice.status == NoticeStatus.SENDING
    for batch in batches[1:]:
        services.notice_batch_send(batch_id=batch.pk)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i:03d}@example.com" for i in range(7)]


def test_a_failed_send_is_recorded_and_retried_by_the_batch_not_repeated_for_others(
    supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    active_providers(3)
    notice = make_notice()
    (batch,) = _dispatched(notice, supervisor, django_capture_on_commit_callbacks)
    real_send = EmailMessage.send

    def refuse_one(message, *args, **kwargs):
        if message.to == ["p001@example.com"]:
            raise OSError("mailbox unavailable")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_one)
    result = services.notice_batch_send(batch_id=batch.pk)
    assert (result.sent, result.failed, result.retry) == (2, 1, True)
    failed = NoticeDelivery.objects.get(status=SendStatus.FAILED)
    assert "mailbox unavailable" in failed.reason
    assert selectors.notice_progress(notice).failed == 1
    monkeypatch.setattr(EmailMessage, "send", real_send)
    retried = services.notice_batch_send(batch_id=batch.pk)  # the task's retry
    assert (retried.sent, retried.not_claimed, retried.retry) == (1, 2, False)
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i:03d}@example.com" for i in range(3)]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


@pytest.mark.parametrize("role", [roles.INVESTIGATOR, roles.RATES_ANALYST, roles.PROVIDER])
def test_a_role_without_the_send_permission_is_refused(make_user, role):
    active_providers(1)
    notice = make_notice()
    with pytest.raises(DomainError, match="may not send"):
        services.notice_send(notice=notice, actor=make_user(role=role))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


@pytest.mark.parametrize("role", [roles.LICENSING_REVIEWER, roles.SUPERVISOR])
def test_licensing_and_the_supervisor_may_send(make_user, role):
    active_providers(1)
    notice = services.notice_send(notice=make_notice(), actor=make_user(role=role))
    assert notice.status == NoticeStatus.SENDING


def test_the_message_rendered_once_per_batch_is_the_ordinary_message_but_its_id():
    from django.core.mail.backends.smtp import EmailBackend

    from notices.emails import NoticeMessages

    messages = NoticeMessages(make_notice(subject="Übergang: new protocols"))
    first, second = messages("a.person@example.com"), messages("other@example.org")
    first.connection = second.connection = EmailBackend(host="127.0.0.1", port=1)
    ordinary = first.__class__.__mro__[1](first.subject, first.body, first.from_email, first.to)

    def headers(data: bytes) -> dict:
        head, _, body = data.partition(b"\r\n\r\n")
        lines = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        return {**lines, b"body": body}

    rendered = headers(first.message().as_bytes())
    expected = headers(ordinary.message().as_bytes(linesep="\r\n"))
    assert rendered[b"To"] == b"a.person@example.com"
    assert headers(second.message().as_bytes())[b"To"] == b"other@example.org"
    assert rendered[b"Message-ID"] != headers(second.message().as_bytes())[b"Message-ID"]
    for name in (b"Subject", b"From", b"Content-Type", b"Content-Transfer-Encoding", b"body"):
        assert rendered[name] == expected[name]
    assert messages("Jane <jane@example.com>").message().as_bytes()  # built the ordinary way


def test_no_mail_server_leaves_every_claim_failed_for_the_retry(
    supervisor, settings, django_capture_on_commit_callbacks
):
    active_providers(2)
    notice = make_notice()
    (batch,) = _dispatched(notice, supervisor, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    result = services.notice_batch_send(batch_id=batch.pk)
    assert (result.sent, result.failed, result.retry) == (0, 2, True)
    assert NoticeDelivery.objects.filter(status=SendStatus.FAILED, attempts=1).count() == 2
    batch.refresh_from_db()
    assert batch.done_at is None  # the task runs the batch again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notice_batch_send(batch_id=batch.pk).sent == 2
    assert len(mail.outbox) == 2
