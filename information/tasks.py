"""Celery entry points: ids in, services do the work; safe to run twice."""

from celery import shared_task
from django.utils import timezone

from . import emails, services
from .models import Nomination


@shared_task
def warn_expiring_attestations() -> int:
    """Daily (django-celery-beat schedule created by migration): claim and queue the warnings
    due today. Returns how many were claimed."""
    return len(services.attestation_warnings_claim(today=timezone.localdate()))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_attestation_warning(warning_id: int) -> bool:
    return services.attestation_warning_send(warning_id=warning_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_nomination_receipt(nomination_id: int) -> None:
    nomination = Nomination.objects.select_related("period", "category").get(pk=nomination_id)
    emails.send_nomination_receipt(nomination)
