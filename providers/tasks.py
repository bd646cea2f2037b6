"""Celery entry points of the providers app: ids in, services do the work, safe to run twice.

``send_renewal_reminders`` is the daily beat entry (migration 0004; staff edit it under
Periodic tasks); it only pages through ids and enqueues ``send_reminder_batch`` per page, so no
worker ever holds the state's 20,000+ certifications. Each reminder is claimed before it is
sent (see ``reminders.services``), so overlapping runs, redelivered messages and re-runs send
nothing twice.
"""

import logging
from datetime import date

from celery import shared_task

from core.send_once import MAX_SEND_ATTEMPTS

from .reminders import cards
from .reminders import services as reminder_services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_renewal_reminders(today: str | None = None) -> int:
    batches = reminder_services.reminders_dispatch(
        today=date.fromisoformat(today) if today else None
    )
    logger.info("Renewal reminders: %s batches queued.", batches)
    return batches


@shared_task(acks_late=True)
def send_reminder_batch(threshold_id: int, certification_ids: list[int], today: str) -> dict:
    result = reminder_services.reminder_batch_send(
        threshold_id=threshold_id,
        certification_ids=certification_ids,
        today=date.fromisoformat(today),
    )
    return {
        "sent": result.sent,
        "skipped": result.skipped,
        "failed": result.failed,
        "not_claimed": result.not_claimed,
    }


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=MAX_SEND_ATTEMPTS - 1,
)
def send_certification_card(certification_id: int) -> str:
    return cards.card_email_send(certification_id=certification_id)
