"""Checks and money orders recorded by staff from the mail or the counter."""

import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit

from .. import fees, selectors
from ..models import (
    STAFF_RECORDED_METHODS,
    Invoice,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from .invoices import PAYABLE, _record_money_in

# A check or money order's key comes from the invoice and the instrument's number, so recording
# the same check twice (a double submit, two staff members) records it once.
OFFLINE_NAMESPACE = uuid.UUID("5d0f7f3e-8a4c-4c1e-9d61-0e5b8f3a2c11")
STAFF_GATEWAY = "staff"  # the "gateway" of payments staff record from the mail or the counter


# --- checks and money orders recorded by staff ----------------------------------------------


@transaction.atomic
def payment_record_offline(
    *, invoice: Invoice, method: str, number: str, amount: Decimal, received_on, actor
) -> tuple[Payment, str]:
    """Record a check or money order received by mail or at the counter. Returns the payment
    and a message for the staff member: an amount that differs from the balance is recorded,
    and the message says what is still due (or what is now a credit). The same instrument
    recorded twice (a double submit) is recorded once."""
    invoice = locked(invoice)
    number = (number or "").strip()
    if method not in STAFF_RECORDED_METHODS:
        raise DomainError("Choose check or money order.", field="method")
    if not number:
        raise DomainError("Give the check or money order number.", field="number")
    if amount is None or amount <= 0:
        raise DomainError("Give the amount received (more than $0).", field="amount")
    if received_on is None or received_on > timezone.localdate():
        raise DomainError("The date received cannot be in the future.", field="received_on")
    key = uuid.uuid5(OFFLINE_NAMESPACE, f"{invoice.pk}:{method}:{number}")
    existing = Payment.objects.filter(idempotency_key=key).first()
    label = f"{PaymentMethod(method).label} no. {number}"
    if existing is not None:
        return existing, f"{label} was already recorded on this invoice; nothing changed."
    if invoice.status not in PAYABLE:
        raise DomainError(f"This fee cannot be paid: it is {invoice.get_status_display().lower()}.")
    balance = selectors.invoice_balance(invoice)
    now = timezone.now()
    payment = Payment(
        invoice=invoice,
        payer=invoice.payer,
        method=method,
        amount=fees.to_cents(amount),
        status=PaymentStatus.SETTLED,
        idempotency_key=key,
        gateway=STAFF_GATEWAY,
        instrument_number=number[:40],
        received_on=received_on,
        recorded_by=actor,
        completed_at=now,
        settled_at=now,
    )
    save_with_audit(payment, actor=actor, reason=f"{label} received {received_on:%B %-d, %Y}")
    _record_money_in(payment, invoice=invoice, actor=actor)
    remaining = balance - payment.amount
    if remaining > 0:
        message = (
            f"Recorded {label} for ${payment.amount}, less than the ${balance} due: "
            f"${remaining} is still due and the fee stays unpaid."
        )
    elif remaining < 0:
        message = (
            f"Recorded {label} for ${payment.amount}, more than the ${balance} due: the fee is "
            f"paid and ${-remaining} is a credit on the payer's account."
        )
    else:
        message = f"Recorded {label} for ${payment.amount}; the fee is paid."
    return payment, message
