"""The shared exactly-once claim (core.send_once), on one of its senders' tables: one claim per
notice, taken over only when failed (attempts left), stale, or skipped where the sender allows
it; a mark needs the claim's token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import send_once
from core.send_once import SendStatus
from providers.reminders.models import CertificationCardEmail
from tests.providers.factories import make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    certification = make_certification()
    return {"certification": certification, "expires_on": certification.expires_on}


def test_a_notice_is_claimed_once(key):
    first = send_once.claim(CertificationCardEmail, key=key)
    assert first.status == SendStatus.CLAIMED and first.attempts == 1
    assert send_once.claim(CertificationCardEmail, key=key) is None


def test_a_stale_claim_is_taken_over_and_the_old_token_can_no_longer_mark(key):
    dead = send_once.claim(CertificationCardEmail, key=key)
    later = timezone.now() + send_once.CLAIM_STALE_AFTER + timedelta(minutes=1)
    taken = send_once.claim(CertificationCardEmail, key=key, now=later)
    assert taken is not None and taken.claim_token != dead.claim_token and taken.attempts == 2
    assert send_once.mark(dead, status=SendStatus.SENT) is False
    assert send_once.mark(taken, status=SendStatus.SENT) is True
    assert send_once.claim(CertificationCardEmail, key=key, now=later) is None


def test_a_failed_send_is_recorded_reraised_and_retried_until_the_attempts_run_out(key):
    def refuse():
        raise OSError("mail server down")

    for attempt in range(1, send_once.MAX_SEND_ATTEMPTS + 1):
        row = send_once.claim(CertificationCardEmail, key=key)
        assert row is not None and row.attempts == attempt
        with pytest.raises(OSError):
            send_once.deliver(row, email="a@example.com", send=refuse, no_email="none")
    row = CertificationCardEmail.objects.get(**key)
    assert (row.status, row.attempts) == (SendStatus.FAILED, send_once.MAX_SEND_ATTEMPTS)
    assert "mail server down" in row.reason
    assert send_once.claim(CertificationCardEmail, key=key) is None


def test_skipped_is_final_unless_the_sender_retries_skipped_ones(key):
    sent = []
    row = send_once.claim(CertificationCardEmail, key=key)
    outcome = send_once.deliver(row, email="", send=lambda: sent.append(1), no_email="No email.")
    assert outcome == SendStatus.SKIPPED and sent == []
    assert CertificationCardEmail.objects.get(**key).reason == "No email."
    assert send_once.claim(CertificationCardEmail, key=key) is None
    again = send_once.claim(CertificationCardEmail, key=key, retry_skipped=True)
    assert again is not None and again.reason == ""
    outcome = send_once.deliver(
        again, email="b@example.com", send=lambda: sent.append(1), no_email=""
    )
    assert outcome == SendStatus.SENT and sent == [1]
    row = CertificationCardEmail.objects.get(**key)
    assert (row.status, row.email, row.sent_at is not None) == (
        SendStatus.SENT,
        "b@example.com",
        True,
    )
