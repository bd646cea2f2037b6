"""Writes on invoices. The Payments issue adds paying, returns and refunds here."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.transitions import locked, save_with_audit, transition

from . import fees, signals
from .models import Invoice, InvoiceStatus

INVOICE_TRANSITIONS = {
    InvoiceStatus.OPEN: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.PAID: {InvoiceStatus.ON_HOLD},
    InvoiceStatus.ON_HOLD: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.VOID: set(),
}


@transaction.atomic
def invoice_open(*, subject, payer, fee_code: str, description: str, actor=None) -> Invoice:
    """The live invoice for this subject and fee, opened at today's fee if there is none yet.
    Idempotent: asking twice returns the same invoice and its amount does not change."""
    subject_type = ContentType.objects.get_for_model(subject)
    existing = (
        Invoice.objects.select_for_update()
        .filter(subject_type=subject_type, subject_id=str(subject.pk), fee_code=fee_code)
        .exclude(status=InvoiceStatus.VOID)
        .first()
    )
    if existing:
        return existing
    invoice = Invoice(
        payer=payer,
        fee_code=fee_code,
        description=description,
        amount=fees.current_fee(fee_code),
        subject_type=subject_type,
        subject_id=str(subject.pk),
    )
    return save_with_audit(invoice, actor=actor or payer, reason="Fee due")


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, actor, reason: str = "Paid") -> Invoice:
    """Settle the invoice and tell its subject on commit. Called by the payment flow."""
    invoice = locked(invoice)
    if invoice.status == InvoiceStatus.PAID:
        return invoice
    transition(
        invoice,
        allowed=INVOICE_TRANSITIONS,
        target=InvoiceStatus.PAID,
        actor=actor,
        reason=reason,
        changes={"paid_at": timezone.now()},
    )
    _notify_on_commit(signals.invoice_paid, invoice)
    return invoice


@transaction.atomic
def invoice_put_on_hold(*, invoice: Invoice, actor, reason: str) -> Invoice:
    """A payment came back: the invoice (and so its subject) is on hold until paid again."""
    invoice = locked(invoice)
    if invoice.status == InvoiceStatus.ON_HOLD:
        return invoice
    transition(
        invoice,
        allowed=INVOICE_TRANSITIONS,
        target=InvoiceStatus.ON_HOLD,
        actor=actor,
        reason=reason,
    )
    _notify_on_commit(signals.invoice_returned, invoice)
    return invoice


def _notify_on_commit(signal, invoice: Invoice) -> None:
    def send():
        subject = invoice.subject
        signal.send(sender=type(subject), invoice=invoice, subject=subject)

    transaction.on_commit(send)
