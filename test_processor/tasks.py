"""Celery entry points of the fake processor: deliver one event to the portal."""

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def deliver_event(self, event_id: str) -> bool:
    """Deliver once more; the portal ignores an event id it already has, as with any processor."""
    return services.event_deliver(event_id=event_id)
