"""After the payment: settlement (one by one or from the processor's report), returns and
refunds."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import check_transition, locked, transition, transition_once

from .. import fees
from ..gateway import (
    SettlementEntry,
    SettlementStatus,
    get_gateway,
)
from ..models import (
    PAYMENT_TRANSITIONS,
    EntryKind,
    FeeCode,
    InvoiceStatus,
    Payment,
    PaymentStatus,
    ReturnCode,
)
from .invoices import invoice_put_on_hold
from .ledger import _ledger, _send_email
from .offline import STAFF_GATEWAY

# --- after the payment: settlement, returns, refunds -----------------------------------------


@transaction.atomic
def payment_settle(*, payment: Payment, actor, reason: str = "Settled") -> Payment:
    return transition_once(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.SETTLED,
        actor=actor,
        reason=reason,
        changes={"settled_at": timezone.now()},
    )[0]


@transaction.atomic
def payment_return(*, payment: Payment, actor, return_code: str, note: str = "") -> Payment:
    """The money came back: the payment is reversed on the ledger, the returned-payment fee is
    charged, the invoice (and its subject) goes on hold, and the payer is told."""
    invoice = locked(payment.invoice)
    payment = locked(payment)
    if payment.status == PaymentStatus.RETURNED:
        return payment

    if return_code not in ReturnCode.values:
        raise DomainError("Choose the return reason code.", field="return_code")
    label = ReturnCode(return_code).label
    transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.RETURNED,
        actor=actor,
        reason=f"Returned: {label}" + (f" — {note}" if note else ""),
        changes={"return_code": return_code, "returned_at": timezone.now()},
    )
    _ledger(
        invoice=invoice,
        kind=EntryKind.RETURNED_PAYMENT,
        amount=payment.amount,
        actor=actor,
        payment=payment,
        memo=label,
    )
    returned_fee = fees.current_fee(FeeCode.RETURNED_PAYMENT)
    if returned_fee > 0:
        _ledger(
            invoice=invoice,
            kind=EntryKind.RETURNED_PAYMENT_FEE,
            amount=returned_fee,
            actor=actor,
            payment=payment,
            memo=FeeCode.RETURNED_PAYMENT.label,
        )
    if invoice.status == InvoiceStatus.PAID:
        invoice_put_on_hold(invoice=invoice, actor=actor, reason=f"Payment returned: {label}")
    payment_id = payment.pk
    _send_email("send_payment_returned", payment_id)  # core.outbox: recorded in this transaction
    return payment


@transaction.atomic
def payment_refund(*, payment: Payment, actor, reason: str) -> Payment:
    """Give the payment back through the gateway. The card convenience fee is not refunded.
    The invoice keeps its status: if the fee is no longer owed, its subject's flow voids it."""
    if not (reason or "").strip():
        raise DomainError("Give the reason for the refund.", field="reason")
    payment = locked(payment)
    if payment.status == PaymentStatus.REFUNDED:
        return payment
    labels = dict(PaymentStatus.choices)
    check_transition(
        PAYMENT_TRANSITIONS,
        current=payment.status,
        target=PaymentStatus.REFUNDED,
        label_of=lambda value: labels.get(value, value),
    )
    if payment.gateway != STAFF_GATEWAY:  # a check is refunded by the finance office's own check
        result = get_gateway().refund(
            reference=payment.gateway_reference,
            amount=payment.amount,
            idempotency_key=f"refund-{payment.idempotency_key}",
        )
        if not result.succeeded:
            raise DomainError(
                result.message or "The processor refused the refund; try again later."
            )
    return _record_refund(payment, actor=actor, reason=reason.strip())


def _record_refund(payment: Payment, *, actor, reason: str) -> Payment:
    transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.REFUNDED,
        actor=actor,
        reason=f"Refund: {reason}",
        changes={"refund_reason": reason, "refunded_at": timezone.now()},
    )
    _ledger(
        invoice=payment.invoice,
        kind=EntryKind.REFUND,
        amount=payment.amount,
        actor=actor,
        payment=payment,
        memo=reason[:200],
    )
    payment_id = payment.pk
    _send_email("send_refund", payment_id)  # core.outbox: recorded in this transaction
    return payment


def settlement_apply(*, entries: list[SettlementEntry], actor) -> dict[str, int]:
    """Apply a settlement report or file: each line settles or returns one payment by its
    gateway reference. Lines already applied change nothing, so a file can be imported twice."""
    counts = {"settled": 0, "returned": 0, "unchanged": 0, "unknown": 0}
    payments = {
        payment.gateway_reference: payment
        for payment in Payment.objects.filter(
            gateway_reference__in=[entry.reference for entry in entries if entry.reference]
        )
    }
    for entry in entries:
        payment = payments.get(entry.reference)
        if payment is None:
            counts["unknown"] += 1
            continue
        payment.refresh_from_db(fields=["status"])  # a file may list a payment twice
        before = payment.status
        if entry.status == SettlementStatus.RETURNED and before in (
            PaymentStatus.AUTHORIZED,
            PaymentStatus.SETTLED,
        ):
            payment_return(
                payment=payment,
                actor=actor,
                return_code=entry.return_code,
                note="from the settlement report",
            )
            counts["returned"] += 1
        elif entry.status == SettlementStatus.SETTLED and before == PaymentStatus.AUTHORIZED:
            payment_settle(payment=payment, actor=actor, reason="Settled (settlement report)")
            counts["settled"] += 1
        else:
            counts["unchanged"] += 1
    return counts
