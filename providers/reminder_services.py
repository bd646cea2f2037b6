"""Renewal reminders: find the certifications due for each threshold, and send each reminder
exactly once.

Exactly once, in three steps per reminder (the healthchecks shape):
1. *Claim*: insert ``ReminderSent(certification, threshold, expires_on)`` in its own committed
   transaction. The unique constraint lets exactly one run insert it; a run that loses the race
   gets an IntegrityError and moves on. A row left ``failed`` (or ``skipped``, or ``claimed`` by
   a run that died long ago) is taken over with one conditional update under a new token.
2. *Send* the email outside any transaction.
3. *Mark* the row sent (or failed, with the error) — only while it still holds this run's token.

So two runs at once send each reminder once; a run killed halfway leaves the rest for the next
run; a send that raised is retried by the next run, and the ones already sent are not.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.outbox import enqueue

from . import reminder_emails
from .models import Certification
from .reminder_models import ReminderSent, ReminderStatus, ReminderThreshold
from .reminder_rules import (
    BATCH_SIZE,
    CLAIM_STALE_AFTER,
    MAX_SEND_ATTEMPTS,
    NO_EMAIL_REASON,
    reminded_status_q,
    windows,
)

logger = logging.getLogger(__name__)


def active_thresholds() -> list[ReminderThreshold]:
    return list(ReminderThreshold.objects.filter(is_active=True).order_by("-days_before"))


def _same_reminder(threshold: ReminderThreshold) -> dict:
    return {
        "certification": OuterRef("pk"),
        "threshold": threshold,
        "expires_on": OuterRef("expires_on"),
    }


def _retryable_q(*, now) -> Q:
    return Q(status=ReminderStatus.FAILED, attempts__lt=MAX_SEND_ATTEMPTS) | Q(
        status=ReminderStatus.CLAIMED, claimed_at__lt=now - CLAIM_STALE_AFTER
    )


def reminder_candidates(
    *, threshold: ReminderThreshold, today: date, thresholds: list[ReminderThreshold] | None = None
) -> QuerySet[Certification]:
    """Certifications owed ``threshold``'s reminder on ``today``: in its window (or with a
    failed send of it to retry), renewable by the status rule, and not already sent this cycle."""
    thresholds = active_thresholds() if thresholds is None else thresholds
    window = windows([t.days_before for t in thresholds]).get(threshold.days_before)
    now = timezone.now()
    retry = Exists(ReminderSent.objects.filter(_retryable_q(now=now), **_same_reminder(threshold)))
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
    now = now or timezone.now()
    token = uuid.uuid4()
    key = {
        "certification": certification,
        "threshold": threshold,
        "expires_on": certification.expires_on,
    }
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(
                **key,
                status=ReminderStatus.CLAIMED,
                claim_token=token,
                claimed_at=now,
                attempts=1,
            )
    except IntegrityError:
        pass  # the row exists: sent, being sent by another run, or left for a retry
    retryable = _retryable_q(now=now) | Q(status=ReminderStatus.SKIPPED)
    taken = (
        ReminderSent.objects.filter(retryable, **key)
        .order_by()
        .update(
            status=ReminderStatus.CLAIMED,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            reason="",
        )
    )
    if not taken:
        return None
    return ReminderSent.objects.get(**key)


def _mark(reminder: ReminderSent, *, status: str, **fields) -> bool:
    """Record the outcome of this run's claim; False when the claim was taken over meanwhile."""
    return bool(
        ReminderSent.objects.filter(
            pk=reminder.pk, claim_token=reminder.claim_token, status=ReminderStatus.CLAIMED
        ).update(status=status, **fields)
    )


def reminder_recipient(certification: Certification) -> str:
    provider = certification.provider
    if provider.email:
        return provider.email
    return provider.user.email if provider.user_id and provider.user.email else ""


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    not_claimed: int = 0
    errors: list[str] = field(default_factory=list)


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
        if not email:
            _mark(reminder, status=ReminderStatus.SKIPPED, reason=NO_EMAIL_REASON, email="")
            result.skipped += 1
            continue
        try:
            reminder_emails.send_renewal_reminder(
                certification=certification, threshold=threshold, today=today, to=email
            )
        except Exception as error:  # any failure of one send must not stop the batch
            logger.warning("Reminder %s to %s failed: %r", reminder.pk, email, error)
            _mark(reminder, status=ReminderStatus.FAILED, reason=repr(error)[:300], email=email)
            result.failed += 1
            result.errors.append(repr(error))
            continue
        _mark(reminder, status=ReminderStatus.SENT, sent_at=timezone.now(), email=email, reason="")
        result.sent += 1
    return result


def reminders_dispatch(*, today: date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The daily run: page through each threshold's candidates by id (never more than one page
    in memory) and enqueue one batch task per page, on commit. Returns the number of batches."""
    from .tasks import send_reminder_batch

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
            enqueue(send_reminder_batch, threshold.pk, ids, today.isoformat())
            batches += 1
            last_pk = ids[-1]
    return batches


def reminders_retry(*, reminders: QuerySet[ReminderSent]) -> int:
    """Staff's "retry now": send the failed or skipped ones again (the claim still decides)."""
    from .tasks import send_reminder_batch

    today = timezone.localdate().isoformat()
    by_threshold: dict[int, list[int]] = {}
    for threshold_id, certification_id in reminders.filter(
        status__in=[ReminderStatus.FAILED, ReminderStatus.SKIPPED]
    ).values_list("threshold_id", "certification_id"):
        by_threshold.setdefault(threshold_id, []).append(certification_id)
    for threshold_id, ids in by_threshold.items():
        for start in range(0, len(ids), BATCH_SIZE):
            enqueue(send_reminder_batch, threshold_id, ids[start : start + BATCH_SIZE], today)
    return sum(len(ids) for ids in by_threshold.values())
