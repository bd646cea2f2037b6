"""Celery entry points of the payments app."""

from celery import shared_task
from django.utils import timezone

from . import emails
from .models import Payment


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_receipt(self, payment_id: str) -> bool:
    """Email the receipt once: the conditional update claims it, so a re-run sends nothing."""
    claimed = Payment.objects.filter(pk=payment_id, receipt_sent_at=None).update(
        receipt_sent_at=timezone.now()
    )
    if not claimed:
        return False

    try:
        emails.send_receipt(payment_id)
    except Exception as error:  # mail server down: release the claim and try later
        Payment.objects.filter(pk=payment_id).update(receipt_sent_at=None)
        raise self.retry(exc=error) from error
    return True
