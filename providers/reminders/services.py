"""Renewal reminders: find the certifications due for each threshold, and send each reminder
exactly once with the shared claim (``core.send_once``: claim → send → mark). A reminder's
claim is its ``ReminderSent(certification, threshold, expires_on)`` row; a skipped one (no
address then) is tried again once an address is on file."""

import logging
from datetime import date
from functools import partial

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from core import send_once
from core.enqueue import enqueue_on_commit
from core.send_once import BatchResult

from ..contact.selectors import provider_contact_email
from ..models import Certification
from . import emails
from .models import ReminderSent, ReminderStatus, ReminderThreshold
from .rules import BATCH_SIZE, NO_EMAIL_REASON, reminded_status_q, windows

logger = logging.getLogger(__name__)


def active_thresholds() -> list[ReminderThreshold]:
    return list(ReminderThreshold.objects.filter(is_active=True).order_by("-days_before"))


def _same_reminder(threshold: ReminderThreshold) -> dict:
    return {
        "certification": OuterRef("pk"),
        "threshold": threshold,
        "expires_on": OuterRef("expires_on"),
    }


def reminder_candidates(
    *, threshold: ReminderThreshold, today: date, thresholds: list[ReminderThreshold] | None = None
) -> QuerySet[Certification]:
    """Certifications owed ``threshold``'s reminder on ``today``: in its window (or with a
    failed send of it to retry), renewable by the status rule, and not already sent this cycle."""
    thresholds = active_thresholds() if thresholds is None else thresholds
    window = windows([t.days_before for t in thresholds]).get(threshold.days_before)
    now = timezone.now()
    retry = Exists(
        ReminderSent.objects.filter(send_once.retryable_q(now=now), **_same_reminder(threshold))
    )
    due = window.q(today=today) | retry if window else retry
    return (
        Certification.objects.filter(reminded_status_q(today=today))
        .filter(due)
        .exclude(
            Exists(
                ReminderSent.objects.filter(status=ReminderStatus.SENT, **_same_reminder(threshold))
            )
        )
    )


def reminder_claim(
    *, certification: Certification, threshold: ReminderThreshold, now=None
) -> ReminderSent | None:
    """Claim one reminder for this run, or None when another run has it or it was sent."""
    key = {
        "certification": certification,
        "threshold": threshold,
        "expires_on": certification.expires_on,
    }
    return send_once.claim(ReminderSent, key=key, now=now, retry_skipped=True)


def reminder_recipient(certification: Certification) -> str:
    """The provider's contact email (``contact.selectors.provider_contact_email``)."""
    return provider_contact_email(certification.provider)


def reminder_batch_send(
    *, threshold_id: int, certification_ids: list[int], today: date
) -> BatchResult:
    """Send ``threshold``'s reminder to each of these certifications still owed it. A failure
    is recorded on its row and the batch goes on; the next run retries it."""
    result = BatchResult()
    threshold = ReminderThreshold.objects.filter(pk=threshold_id, is_active=True).first()
    if threshold is None:
        return result  # retired since the batch was queued
    certifications = (
        reminder_candidates(threshold=threshold, today=today)
        .filter(pk__in=certification_ids)
        .select_related("provider__user")
        .order_by("pk")
    )
    for certification in certifications:
        reminder = reminder_claim(certification=certification, threshold=threshold)
        if reminder is None:
            result.not_claimed += 1
            continue
        email = reminder_recipient(certification)
        try:
            outcome = send_once.deliver(
                reminder,
                email=email,
                no_email=NO_EMAIL_REASON,
                send=partial(
                    emails.send_renewal_reminder,
                    certification=certification,
                    threshold=threshold,
                    today=today,
                    to=email,
                ),
            )
        except Exception as error:  # any failure of one send must not stop the batch
            logger.warning("Reminder %s to %s failed: %r", reminder.pk, email, error)
            result.failed += 1
            result.errors.append(repr(error))
            continue
        if outcome == ReminderStatus.SKIPPED:
            result.skipped += 1
        else:
            result.sent += 1
    return result


def reminders_dispatch(*, today: date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The daily run: page through each threshold's candidates by id (never more than one page
    in memory) and enqueue one batch task per page, on commit. Returns the number of batches."""
    today = today or timezone.localdate()
    thresholds = active_thresholds()
    batches = 0
    for threshold in thresholds:
        candidates = reminder_candidates(threshold=threshold, today=today, thresholds=thresholds)
        last_pk = 0
        while True:
            ids = list(
                candidates.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            enqueue_on_commit(
                "providers.tasks.send_reminder_batch", threshold.pk, ids, today.isoformat()
            )
            batches += 1
            last_pk = ids[-1]
    return batches


def reminders_retry(*, reminders: QuerySet[ReminderSent]) -> int:
    """Staff's "retry now": send the failed or skipped ones again (the claim still decides)."""
    today = timezone.localdate().isoformat()
    by_threshold: dict[int, list[int]] = {}
    for threshold_id, certification_id in reminders.filter(
        status__in=[ReminderStatus.FAILED, ReminderStatus.SKIPPED]
    ).values_list("threshold_id", "certification_id"):
        by_threshold.setdefault(threshold_id, []).append(certification_id)
    for threshold_id, ids in by_threshold.items():
        for start in range(0, len(ids), BATCH_SIZE):
            enqueue_on_commit(
                "providers.tasks.send_reminder_batch",
                threshold_id,
                ids[start : start + BATCH_SIZE],
                today,
            )
    return sum(len(ids) for ids in by_threshold.values())
