"""Writes: send a notice (draft → sending), cut its audience into batches, deliver a batch
exactly once per person, and close it (sending → sent). Each state change is one function, one
transaction and one audit row (the notice's history); delivery uses the shared many-at-once
claim (``core.send_once.claim_many`` / ``deliver_many``)."""

import logging

from django.db import transaction
from django.utils import timezone

from core import send_once
from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.send_once import BatchResult
from core.transitions import locked, transition

from . import emails, selectors
from .models import Notice, NoticeBatch, NoticeDelivery
from .rules import (
    BATCH_SIZE,
    NO_EMAIL_REASON,
    NOTICE_TRANSITIONS,
    SMTP_CONNECTIONS,
    NoticeStatus,
)

logger = logging.getLogger(__name__)

SEND_PERMISSION = "notices.send_notice"


@transaction.atomic
def notice_send(*, notice: Notice, actor) -> Notice:
    """Start sending: count the audience (refused when it reaches nobody), move the notice to
    sending with the count, and hand it to a worker on commit. Sending twice acts once."""
    if not actor.has_perm(SEND_PERMISSION):
        raise DomainError("Your role may not send notices.", code="permission_denied")
    notice = locked(notice)
    if notice.status != NoticeStatus.DRAFT:
        return notice  # already sending or sent: a double submit acts once
    count = selectors.audience_count(notice)
    if count == 0:
        raise DomainError(
            "This notice reaches nobody: no one is in its audience today. Nothing was sent; "
            "pick another audience or widen it.",
            field="audience",
            code="no_recipients",
        )
    transition(
        notice,
        allowed=NOTICE_TRANSITIONS,
        target=NoticeStatus.SENDING,
        actor=actor,
        reason=f"Sending to {count} recipients ({notice.get_audience_display()}).",
        changes={"recipients_total": count, "sending_started_at": timezone.now()},
    )
    enqueue_on_commit("notices.tasks.dispatch_notice", notice.pk)
    return notice


def _next_batch(notice_pk: int, *, batch_size: int) -> NoticeBatch | None:
    """Record the next page of recipients as a batch and queue its task, in one transaction
    under the notice's lock: a second dispatcher (a redelivered task) waits, then carries on
    after the first one's last page instead of repeating it."""
    with transaction.atomic():
        # FOR NO KEY UPDATE: the batches' delivery rows (a foreign key to the notice) take a key
        # share lock on it as they are inserted; this lock must not make them wait
        notice = Notice.objects.select_for_update(no_key=True).get(pk=notice_pk)
        last = NoticeBatch.objects.filter(notice=notice).order_by("-number").first()
        after = last.recipient_ids[-1] if last else 0
        ids = list(
            selectors.audience_recipients(notice, after=after).values_list("pk", flat=True)[
                :batch_size
            ]
        )
        if not ids:
            return None
        batch = NoticeBatch.objects.create(
            notice=notice, number=(last.number + 1 if last else 1), recipient_ids=ids
        )
        enqueue_on_commit("notices.tasks.send_notice_batch", batch.pk)
        return batch


def notice_dispatch(*, notice_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Page through the audience by id (one page in memory at a time) and queue a batch task
    per page. Safe to run again: it resumes after the last recorded batch. Returns the number
    of batches it added."""
    notice = Notice.objects.get(pk=notice_id)
    if notice.status != NoticeStatus.SENDING:
        return 0
    added = 0
    while _next_batch(notice_id, batch_size=batch_size) is not None:
        added += 1
    # A progress mark, not a state change: the status moves (audited) in notice_mark_sent.
    Notice.objects.filter(pk=notice_id, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
    notice_finish_if_done(notice_id=notice_id)
    return added


def notice_batch_send(*, batch_id: int) -> BatchResult:
    """Deliver one batch: claim every recipient not yet claimed (three queries), send over one
    mail connection, mark (one update). A redelivered or finished batch sends nothing twice.
    ``retry`` says sends failed and may be tried again (the task retries the batch)."""
    batch = NoticeBatch.objects.select_related("notice").get(pk=batch_id)
    if batch.done_at is not None:
        return BatchResult(not_claimed=len(batch.recipient_ids))
    notice, ids = batch.notice, batch.recipient_ids
    field = selectors.recipient_field(notice)
    addresses = selectors.recipient_emails(notice, ids)
    claimed = send_once.claim_many(
        NoticeDelivery,
        scope={"notice": notice, f"{field}__in": ids},
        rows=[{"notice": notice, f"{field}_id": pk, "email": addresses.get(pk, "")} for pk in ids],
    )
    messages = emails.NoticeMessages(notice)
    counts = send_once.deliver_many(
        NoticeDelivery,
        claimed,
        message=lambda row: messages(row.email),
        no_email=NO_EMAIL_REASON,
        connections=SMTP_CONNECTIONS,
    )
    result = BatchResult(
        sent=counts[send_once.SendStatus.SENT],
        skipped=counts[send_once.SendStatus.SKIPPED],
        failed=counts[send_once.SendStatus.FAILED],
        not_claimed=len(ids) - len(claimed),
    )
    retryable = NoticeDelivery.objects.filter(
        send_once.retryable_q(now=timezone.now()), notice=notice, **{f"{field}__in": ids}
    )
    if result.failed and retryable.exists():
        result.retry = True
        return result
    if NoticeBatch.objects.filter(pk=batch.pk, done_at__isnull=True).update(done_at=timezone.now()):
        notice_finish_if_done(notice_id=notice.pk)
    return result


def notice_finish_if_done(*, notice_id: int) -> Notice | None:
    """Close the notice once every batch is recorded and done (called by the dispatcher and by
    each batch as it finishes, so whichever is last closes it)."""
    notice = Notice.objects.get(pk=notice_id)
    if notice.dispatched_at is None or notice.batches.filter(done_at__isnull=True).exists():
        return None
    return notice_mark_sent(notice=notice)


@transaction.atomic
def notice_mark_sent(*, notice: Notice) -> Notice:
    notice = locked(notice)
    if notice.status == NoticeStatus.SENT:
        return notice
    progress = selectors.notice_progress(notice)
    transition(
        notice,
        allowed=NOTICE_TRANSITIONS,
        target=NoticeStatus.SENT,
        actor=None,
        reason=f"Delivered: {progress.sent} sent, {progress.skipped} skipped (no email), "
        f"{progress.failed} failed, of {progress.total}.",
        changes={"sent_at": timezone.now()},
    )
    return notice
