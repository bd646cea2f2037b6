"""Send exactly once: the one claim → send → mark recipe for anything mailed once (renewal
reminders, certification cards, later notices), in the healthchecks shape.

1. *Claim*: insert the sender's row (``SendOnceRecord`` subclass with a unique constraint on
   what makes a notice "the same one") in its own committed transaction. Exactly one run can
   insert it; a run that loses the race gets an IntegrityError and moves on. A row left
   ``failed`` (fewer than ``MAX_SEND_ATTEMPTS`` times), ``claimed`` by a run that died long
   ago, or — where the sender allows it — ``skipped`` is taken over with one conditional update
   under a new token.
2. *Send* outside any transaction.
3. *Mark* the row sent, skipped or failed — only while it still holds this run's token.

So two runs at once send each notice once; a run killed halfway leaves the rest for the next
run; a send that raised is retried, and the ones already sent are not.
"""

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.models import TokenClaim

# A claim not marked within this time belongs to a run that died mid-send; the next run takes
# it over (email has no two-phase commit: see docs/documents.md). A setting,
# REMINDER_CLAIM_STALE_SECONDS (10 minutes): keep it under CELERY_VISIBILITY_TIMEOUT so a killed
# worker's redelivered batch finds its last claim already stale (docs/reliability.md).
CLAIM_STALE_AFTER = timedelta(seconds=settings.REMINDER_CLAIM_STALE_SECONDS)

# A send that keeps failing (a bad address the server refuses) stops being retried after this
# many attempts; staff see it in the admin with the last error.
MAX_SEND_ATTEMPTS = 5


class SendStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed, being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed, retried by the next run"


class SendOnceRecord(TokenClaim):
    """The claim of one notice and the staff's log of it. A subclass adds what identifies the
    notice and a unique constraint over it (e.g. certification, threshold, expiration date).
    Only the run holding the claim's token (``TokenClaim``) may mark the row sent or failed."""

    status = models.CharField(max_length=10, choices=SendStatus.choices)
    email = models.EmailField(blank=True, help_text="Where it was sent.")
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why it was skipped, or the error of a failed send."
    )
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-claimed_at"]


Record = TypeVar("Record", bound=SendOnceRecord)


@dataclass
class BatchResult:
    """What one batch of a sender did: sent, skipped (no address), failed (recorded on the row),
    not claimed (another run had it, or it was sent already); ``retry``: failed sends have
    attempts left, so the batch should run again."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    not_claimed: int = 0
    errors: list[str] = field(default_factory=list)
    retry: bool = False


def retryable_q(*, now) -> Q:
    """Rows another run may take over: failed (attempts left) or claimed by a dead run."""
    return Q(status=SendStatus.FAILED, attempts__lt=MAX_SEND_ATTEMPTS) | Q(
        status=SendStatus.CLAIMED, claimed_at__lt=now - CLAIM_STALE_AFTER
    )


def claim(model: type[Record], *, key: dict, now=None, retry_skipped=False) -> Record | None:
    """This run's claim on the notice ``key`` names, or None when another run has it or it
    was sent (or skipped, unless ``retry_skipped``)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    try:
        with transaction.atomic():
            return model._default_manager.create(
                **key, status=SendStatus.CLAIMED, claim_token=token, claimed_at=now, attempts=1
            )
    except IntegrityError:
        pass  # the row exists: sent, being sent by another run, or left for a retry
    retryable = retryable_q(now=now)
    if retry_skipped:
        retryable |= Q(status=SendStatus.SKIPPED)
    taken = (
        model._default_manager.filter(retryable, **key)
        .order_by()
        .update(
            status=SendStatus.CLAIMED,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            reason="",
        )
    )
    return model._default_manager.get(**key) if taken else None


def mark(row: SendOnceRecord, *, status: str, **fields) -> bool:
    """Record the outcome of this run's claim; False when the claim was taken over meanwhile."""
    return bool(
        type(row)
        ._default_manager.filter(pk=row.pk, claim_token=row.claim_token, status=SendStatus.CLAIMED)
        .update(status=status, **fields)
    )


def deliver(row: SendOnceRecord, *, email: str, send: Callable[[], None], no_email: str) -> str:
    """Send the claimed notice to ``email`` and mark the row: skipped (no address, with the
    reason ``no_email``), sent, or failed — a failure is recorded and re-raised, so the caller
    decides whether to go on (a batch) or retry (a task)."""
    if not email:
        mark(row, status=SendStatus.SKIPPED, reason=no_email, email="")
        return SendStatus.SKIPPED
    try:
        send()
    except Exception as error:
        mark(row, status=SendStatus.FAILED, reason=repr(error)[:300], email=email)
        raise
    mark(row, status=SendStatus.SENT, sent_at=timezone.now(), email=email, reason="")
    return SendStatus.SENT


# Many at once: the same claim → send → mark for a batch, in a constant number of queries, over
# one mail connection (a notice to every provider: docs/performance.md "Notices at scale").


def claim_many(model: type[Record], *, scope: dict, rows: list[dict], now=None) -> list[Record]:
    """This run's claims on ``rows`` (each the key fields of one row, plus ``email``), in three
    queries: one ``INSERT ... ON CONFLICT DO NOTHING`` under a fresh token (only new rows are
    inserted, so only they carry it), one conditional update taking over the retryable ones,
    and one read of the rows holding the token. ``scope`` filters exactly these rows' keys (e.g.
    ``{"notice": notice, "provider__in": ids}``). A row another run holds, or one already sent
    or skipped, is not returned: so two workers, or a redelivered batch, never send one twice."""
    now = now or timezone.now()
    token = uuid.uuid4()
    model._default_manager.bulk_create(
        [
            model(**row, status=SendStatus.CLAIMED, claim_token=token, claimed_at=now, attempts=1)
            for row in rows
        ],
        ignore_conflicts=True,
    )
    model._default_manager.filter(retryable_q(now=now), **scope).order_by().update(
        status=SendStatus.CLAIMED,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
        reason="",
    )
    return list(
        model._default_manager.filter(claim_token=token, status=SendStatus.CLAIMED, **scope)
    )


def _mark_many(model: type[SendOnceRecord], rows: list, *, status: str, **fields) -> int:
    if not rows:
        return 0
    return (
        model._default_manager.filter(
            pk__in=[row.pk for row in rows],
            claim_token=rows[0].claim_token,
            status=SendStatus.CLAIMED,
        )
        .order_by()
        .update(status=status, **fields)
    )


def _send_over_one_connection(rows: list, message: Callable) -> tuple[list, dict[str, list]]:
    """Send each row's message over one mail connection: (sent rows, failed rows by error)."""
    sent: list = []
    failed: dict[str, list] = {}
    try:
        connection = get_connection()
        connection.open()
    except Exception as error:  # no server: every row is left for a retry
        return [], {repr(error)[:300]: rows}
    with connection:
        for row in rows:
            email = message(row)
            email.connection = connection
            try:
                email.send()
            except Exception as error:  # one refused address must not stop the batch
                failed.setdefault(repr(error)[:300], []).append(row)
            else:
                sent.append(row)
    return sent, failed


def deliver_many(
    model: type[Record],
    rows: list[Record],
    *,
    message: Callable[[Record], EmailMessage],
    no_email: str,
    connections: int = 1,
) -> dict[str, int]:
    """Send each claimed row's ``message(row)`` to ``row.email`` and mark the rows: skipped (no
    address), sent (one update for all), failed (one update per error; the others go on). Rows
    from one ``claim_many`` (one token). The sends share ``connections`` mail connections, each
    in its own thread (an SMTP exchange is mostly waiting for the server's replies); nothing
    touches the database until they are done. Returns the counts."""
    skipped = [row for row in rows if not row.email]
    to_send = [row for row in rows if row.email]
    slices = [to_send[start::connections] for start in range(connections)]
    sent: list[Record] = []
    failed: dict[str, list[Record]] = {}
    with ThreadPoolExecutor(max_workers=connections) as pool:
        for slice_sent, slice_failed in pool.map(
            lambda part: _send_over_one_connection(part, message), [s for s in slices if s]
        ):
            sent.extend(slice_sent)
            for reason, failed_rows in slice_failed.items():
                failed.setdefault(reason, []).extend(failed_rows)
    _mark_many(model, skipped, status=SendStatus.SKIPPED, reason=no_email)
    _mark_many(model, sent, status=SendStatus.SENT, sent_at=timezone.now(), reason="")
    for reason, failed_rows in failed.items():
        _mark_many(model, failed_rows, status=SendStatus.FAILED, reason=reason)
    return {
        SendStatus.SENT: len(sent),
        SendStatus.SKIPPED: len(skipped),
        SendStatus.FAILED: sum(len(failed_rows) for failed_rows in failed.values()),
    }
