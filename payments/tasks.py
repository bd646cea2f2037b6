"""Celery entry points of the payments app: take ids, call services, idempotent."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from . import emails
from .gateway import GatewayError
from .models import Payment, ReconciliationRun
from .services import reconciliation_run, webhook_event_process


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


@shared_task(bind=True, max_retries=8, default_retry_delay=30)
def process_webhook_event(self, event_pk: int) -> str:
    """Act on one stored webhook event; a second run finds it processed and does nothing."""
    try:
        return webhook_event_process(event_pk=event_pk)
    except GatewayError as error:  # the processor could not be asked for details: later
        raise self.retry(exc=error) from error


@shared_task(bind=True, max_retries=6, default_retry_delay=15 * 60)
def reconcile_payments(self, day: str | None = None) -> int:
    """The daily reconciliation (beat: every morning, for yesterday). Returns the number of
    mismatches found; re-running a day replaces its findings."""
    on = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    try:
        run = reconciliation_run(day=on)
    except GatewayError as error:
        raise self.retry(exc=error) from error
    return run.mismatches.count()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def email_reconciliation(self, run_pk: int) -> bool:
    """Email the findings once per set of findings: the conditional update is the claim."""
    run = ReconciliationRun.objects.get(pk=run_pk)
    digest = run.findings_digest
    claimed = (
        ReconciliationRun.objects.filter(pk=run_pk)
        .exclude(emailed_digest=digest)
        .update(emailed_digest=digest)
    )
    if not claimed or not digest:
        return False
    try:
        emails.send_reconciliation(run_pk)
    except Exception as error:
        ReconciliationRun.objects.filter(pk=run_pk).update(emailed_digest="")
        raise self.retry(exc=error) from error
    return True
