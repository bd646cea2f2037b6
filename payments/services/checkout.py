"""Paying through the processor's hosted page: one payment per attempt, one checkout each."""

from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.transitions import locked, save_with_audit

from .. import fees, selectors
from ..gateway import (
    GatewayError,
    get_gateway,
)
from ..models import (
    ONLINE_METHODS,
    Invoice,
    Payment,
    PaymentStatus,
)
from .invoices import PAYABLE
from .ledger import _fail

# --- paying through the processor's hosted page ---------------------------------------------


@transaction.atomic
def payment_start(*, invoice: Invoice, payer, method: str, idempotency_key) -> Payment:
    """Start an attempt to pay the invoice's balance: the amount and the card fee are fixed
    here. The same idempotency key always gives back the same attempt. An earlier attempt
    still open at the processor is closed there first, so two open checkouts can never both
    be paid (the payer who closed the processor's page and came back pays once)."""
    invoice = locked(invoice)  # serializes attempts on one invoice, including same-key replays
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.invoice_id != invoice.pk or existing.payer_id != payer.pk:
            raise DomainError("This payment form was already used; reload the page.")
        return existing
    if invoice.payer_id != payer.pk:
        raise DomainError("Only the person who owes this fee can pay it here.")
    if invoice.status not in PAYABLE:
        raise DomainError(f"This fee cannot be paid: it is {invoice.get_status_display().lower()}.")
    if method not in ONLINE_METHODS:
        raise DomainError("Choose card or bank account.", field="method")
    balance = selectors.invoice_balance(invoice)
    if balance <= 0:
        raise DomainError("Nothing is due on this invoice.")
    gateway = get_gateway()
    for earlier in invoice.payments.select_for_update().filter(status=PaymentStatus.PENDING):
        _close_checkout(earlier, gateway=gateway)
    payment = Payment(
        invoice=invoice,
        payer=payer,
        method=method,
        amount=balance,
        convenience_fee=fees.payment_convenience_fee(balance, method=method),
        idempotency_key=idempotency_key,
        gateway=gateway.name,
        test_mode=gateway.test_mode,
    )
    try:
        with transaction.atomic():
            save_with_audit(payment, actor=payer, reason="Payment started")
    except IntegrityError:  # the same key from another invoice's form, committed meanwhile
        raise DomainError("This payment form was already used; reload the page.") from None
    return payment


def _close_checkout(payment: Payment, *, gateway) -> None:
    if payment.checkout_reference:
        try:
            gateway.cancel_checkout(reference=payment.checkout_reference)
        except GatewayError:
            raise DomainError(
                "Your earlier payment for this fee was completed at the payment processor; "
                "its confirmation is on its way. Check this page again in a minute before "
                "paying again."
            ) from None
    _fail(payment, actor=None, message="Replaced by a new attempt; nothing was charged.")


@transaction.atomic
def payment_checkout(*, payment: Payment, return_url: str, cancel_url: str) -> str:
    """The processor's page for this attempt, created once (the idempotency key goes to the
    processor, so a retried call gets the same checkout)."""
    payment = locked(payment)
    if payment.checkout_url or payment.status != PaymentStatus.PENDING:
        return payment.checkout_url
    try:
        checkout = get_gateway().create_checkout(
            payment_id=str(payment.pk),
            method=payment.method,
            amount=payment.amount,
            convenience_fee=payment.convenience_fee,
            description=payment.invoice.description,
            idempotency_key=str(payment.idempotency_key),
            customer_email=payment.payer.email,
            return_url=return_url,
            cancel_url=cancel_url,
        )
    except GatewayError as error:
        raise DomainError(error.message) from error
    payment.checkout_reference = checkout.reference
    payment.checkout_url = checkout.url
    save_with_audit(
        payment,
        actor=payment.payer,
        reason="Sent to the processor's payment page",
        update_fields=["checkout_reference", "checkout_url", "updated_at"],
    )
    return checkout.url
