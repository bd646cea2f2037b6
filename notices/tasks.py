"""Celery entry points of notices: ids in, services do the work, safe to run twice (the
dispatcher resumes after its last batch; a batch's claims send nobody twice)."""

import logging

from celery import shared_task

from core.send_once import MAX_SEND_ATTEMPTS

from . import services

logger = logging.getLogger(__name__)

RETRY_SECONDS = 60


@shared_task(acks_late=True)
def dispatch_notice(notice_id: int) -> int:
    batches = services.notice_dispatch(notice_id=notice_id)
    logger.info("Notice %s: %s batches queued.", notice_id, batches)
    return batches


@shared_task(bind=True, acks_late=True, max_retries=MAX_SEND_ATTEMPTS - 1)
def send_notice_batch(self, batch_id: int) -> dict:
    result = services.notice_batch_send(batch_id=batch_id)
    if result.retry:  # failed sends with attempts left: try this batch again later
        raise self.retry(countdown=RETRY_SECONDS)
    return {
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "not_claimed": result.not_claimed,
    }
