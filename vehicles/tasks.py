"""Celery entry points of the vehicles app: ids in, idempotent."""

import logging

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import emails, selectors
from .models import InspectionDueNotice, Vehicle

logger = logging.getLogger(__name__)


@shared_task
def send_inspection_due_notices() -> int:
    """Daily: email each organization whose vehicle's inspection falls due within the notice
    window. One ``InspectionDueNotice(vehicle, due_on)`` row claims each email, inside the same
    transaction as the send, so a re-run or a second worker sends nothing twice and a crash
    mid-batch leaves the unsent ones for the next run."""
    sent = 0
    today = timezone.localdate()
    vehicle_ids = list(selectors.vehicles_due_for_notice(today=today).values_list("pk", flat=True))
    for vehicle_id in vehicle_ids:
        sent += send_inspection_due_notice(vehicle_id)
    logger.info("vehicles: %s inspection-due notices sent", sent)
    return sent


def send_inspection_due_notice(vehicle_id: int) -> int:
    vehicle = Vehicle.objects.select_related("organization").get(pk=vehicle_id)
    if vehicle.next_inspection_due is None:
        return 0
    try:
        with transaction.atomic():
            InspectionDueNotice.objects.create(vehicle=vehicle, due_on=vehicle.next_inspection_due)
            emails.send_inspection_due(vehicle)
    except IntegrityError:
        return 0  # another run claimed this vehicle and due date first
    return 1


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_inspection_failed(inspection_id: int) -> None:
    emails.send_inspection_failed(inspection_id)
