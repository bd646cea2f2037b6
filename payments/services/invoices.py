"""Invoices, the contract the other apps use: opening one (and charging the payer's ledger),
marking it paid or on hold (its subject told on commit), and the money received against it."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.transitions import save_with_audit, transition_once

from .. import fees, selectors, signals
from ..models import (
    EntryKind,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentStatus,
)
from .ledger import _ledger

INVOICE_TRANSITIONS = {
    InvoiceStatus.OPEN: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.PAID: {InvoiceStatus.ON_HOLD},
    InvoiceStatus.ON_HOLD: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.VOID: set(),
}
PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.ON_HOLD)


@transaction.atomic
def invoice_open(*, subject, payer, fee_code: str, description: str, actor=None) -> Invoice:
    """The live invoice for this subject and fee, opened at today's fee if there is none yet.
    Idempotent: asking twice returns the same invoice and its amount does not change.
    Opening it charges the payer's ledger with the amount."""
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
    actor = actor or payer
    save_with_audit(invoice, actor=actor, reason="Fee due")
    _ledger(invoice=invoice, kind=EntryKind.CHARGE, amount=invoice.amount, actor=actor)
    return invoice


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, actor, reason: str = "Paid") -> Invoice:
    """Settle the invoice and tell its subject on commit. Called by the payment flow."""
    invoice, moved = transition_once(
        invoice,
        allowed=INVOICE_TRANSITIONS,
        target=InvoiceStatus.PAID,
        actor=actor,
        reason=reason,
        changes={"paid_at": timezone.now()},
    )
    if not moved:
        return invoice
    _notify_on_commit(signals.invoice_paid, invoice)
    return invoice


@transaction.atomic
def invoice_put_on_hold(*, invoice: Invoice, actor, reason: str) -> Invoice:
    """A payment came back: the invoice (and so its subject) is on hold until paid again."""
    invoice, moved = transition_once(
        invoice,
        allowed=INVOICE_TRANSITIONS,
        target=InvoiceStatus.ON_HOLD,
        actor=actor,
        reason=reason,
    )
    if not moved:
        return invoice
    _notify_on_commit(signals.invoice_returned, invoice)
    return invoice


def _notify_on_commit(signal, invoice: Invoice) -> None:
    def send():
        subject = invoice.subject
        signal.send(sender=type(subject), invoice=invoice, subject=subject)

    transaction.on_commit(send)


def _record_money_in(payment: Payment, *, invoice: Invoice, actor) -> str:
    """The ledger line of money received, the invoice paid when nothing is left, the receipt."""
    _ledger(
        invoice=invoice,
        kind=EntryKind.PAYMENT,
        amount=-payment.amount,
        actor=actor,
        payment=payment,
        memo=payment.instrument,
    )
    outcome = "settled" if payment.status == PaymentStatus.SETTLED else "authorized"
    if selectors.invoice_balance(invoice) <= 0 and invoice.status in PAYABLE:
        invoice_mark_paid(
            invoice=invoice, actor=actor, reason=f"Paid: {payment.get_method_display()}"
        )
        outcome += "; invoice paid"
    enqueue_on_commit("payments.tasks.send_receipt", str(payment.pk))
    return outcome
