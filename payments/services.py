"""Writes on invoices, payments and the ledger: opening and settling invoices (the contract the
other apps use), paying through the gateway exactly once per attempt, returns and refunds.

Charging happens inside the transaction that holds the invoice and payment rows locked: a second
request for the same attempt (double click, browser retry, replayed POST) waits for the first and
then finds the attempt decided, so the processor is asked once. A gateway adapter raises when it
cannot tell whether money moved; the transaction rolls back, the attempt stays pending, and the
retry reaches the processor with the same idempotency key, which it deduplicates.
"""

import uuid
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import check_transition, locked, save_with_audit, transition

from . import emails, fees, selectors, signals
from .gateway import BankAccount, CardDetails, GatewayResult, SettlementEntry, SettlementStatus
from .gateway import get_gateway as get_gateway
from .models import (
    PAYMENT_TRANSITIONS,
    EntryKind,
    FeeCode,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ReturnCode,
)

INVOICE_TRANSITIONS = {
    InvoiceStatus.OPEN: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.PAID: {InvoiceStatus.ON_HOLD},
    InvoiceStatus.ON_HOLD: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.VOID: set(),
}
PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.ON_HOLD)

# The next attempt after a failed one gets a key derived from the failed one's key, so a double
# submit of the failed form still leads to one new attempt, not two.
RETRY_NAMESPACE = uuid.UUID("5d0f7f3e-8a4c-4c1e-9d61-0e5b8f3a2c11")


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


# --- paying ---------------------------------------------------------------------------------


@transaction.atomic
def payment_start(*, invoice: Invoice, payer, method: str, idempotency_key) -> Payment:
    """Start an attempt to pay the invoice's balance: the amount and the card fee are fixed
    here. The same idempotency key always gives back the same attempt."""
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
    if method not in PaymentMethod.values:
        raise DomainError("Choose card or bank account.", field="method")
    balance = selectors.invoice_balance(invoice)
    if balance <= 0:
        raise DomainError("Nothing is due on this invoice.")
    gateway = get_gateway()
    payment = Payment(
        invoice=invoice,
        payer=payer,
        method=method,
        amount=balance,
        convenience_fee=fees.card_convenience_fee(balance)
        if method == PaymentMethod.CARD
        else Decimal("0.00"),
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


@transaction.atomic
def payment_retry(*, payment: Payment) -> Payment:
    """The attempt that follows a failed one (same invoice, payer and method)."""
    if payment.status != PaymentStatus.FAILED:
        return payment
    return payment_start(
        invoice=payment.invoice,
        payer=payment.payer,
        method=payment.method,
        idempotency_key=uuid.uuid5(RETRY_NAMESPACE, str(payment.idempotency_key)),
    )


@transaction.atomic
def payment_pay_by_card(*, payment: Payment, card: CardDetails, actor) -> Payment:
    """Charge the card for this attempt, once. Returns the attempt, decided."""
    payment, ready = _lock_for_charge(payment, method=PaymentMethod.CARD, actor=actor)
    if not ready:
        return payment
    result = get_gateway().charge_card(
        card=card,
        amount=payment.total,
        idempotency_key=str(payment.idempotency_key),
        description=payment.invoice.description,
    )
    return _record_result(payment, result, actor=actor, success=PaymentStatus.SETTLED)


@transaction.atomic
def payment_pay_by_ach(*, payment: Payment, account: BankAccount, actor) -> Payment:
    """Submit the ACH debit for this attempt, once. Accepted debits count as paid until the
    settlement says otherwise (a return puts the invoice on hold)."""
    payment, ready = _lock_for_charge(payment, method=PaymentMethod.ACH, actor=actor)
    if not ready:
        return payment
    result = get_gateway().debit_bank_account(
        account=account,
        amount=payment.total,
        idempotency_key=str(payment.idempotency_key),
        description=payment.invoice.description,
    )
    return _record_result(payment, result, actor=actor, success=PaymentStatus.AUTHORIZED)


def _lock_for_charge(payment: Payment, *, method: str, actor) -> tuple[Payment, bool]:
    """Lock invoice then payment (always in that order); say whether the gateway may be asked."""
    locked(payment.invoice)
    payment = locked(payment)
    if payment.status != PaymentStatus.PENDING:
        return payment, False  # decided by an earlier request: same result, no second charge
    if payment.method != method:
        raise DomainError("This payment was started for another payment method.")
    invoice = payment.invoice
    if invoice.status not in PAYABLE or selectors.invoice_balance(invoice) != payment.amount:
        _fail(
            payment,
            actor=actor,
            message="The amount due changed since you started (or it was paid meanwhile); "
            "nothing was charged.",
        )
        return payment, False
    return payment, True


def _record_result(payment: Payment, result: GatewayResult, *, actor, success: str) -> Payment:
    last4 = {"card_last4": result.last4} if payment.method == PaymentMethod.CARD else {}
    if payment.method == PaymentMethod.ACH:
        last4 = {"ach_last4": result.last4}
    if not result.succeeded:
        return _fail(
            payment,
            actor=actor,
            message=result.message or "The payment did not go through.",
            changes={"card_brand": result.card_brand, **last4},
        )
    now = timezone.now()
    changes = {
        "gateway_reference": result.reference,
        "card_brand": result.card_brand,
        "completed_at": now,
        **last4,
    }
    if success == PaymentStatus.SETTLED:
        changes["settled_at"] = now
    transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=success,
        actor=actor,
        reason=f"Gateway {result.outcome} ({get_gateway().label or payment.gateway})",
        changes=changes,
    )
    invoice = payment.invoice
    _ledger(
        invoice=invoice,
        kind=EntryKind.PAYMENT,
        amount=-payment.amount,
        actor=actor,
        payment=payment,
        memo=f"{payment.get_method_display()} ending {payment.account_last4}",
    )
    if selectors.invoice_balance(invoice) <= 0:
        invoice_mark_paid(
            invoice=invoice, actor=actor, reason=f"Paid: {payment.get_method_display()}"
        )
    payment_id = payment.pk
    enqueue_on_commit("payments.tasks.send_receipt", str(payment_id))
    return payment


def _fail(payment: Payment, *, actor, message: str, changes=None) -> Payment:
    return transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.FAILED,
        actor=actor,
        reason=message,
        changes={"failure_message": message[:300], **(changes or {})},
    )


# --- after the payment: settlement, returns, refunds -----------------------------------------


@transaction.atomic
def payment_settle(*, payment: Payment, actor, reason: str = "Settled") -> Payment:
    payment = locked(payment)
    if payment.status == PaymentStatus.SETTLED:
        return payment
    return transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.SETTLED,
        actor=actor,
        reason=reason,
        changes={"settled_at": timezone.now()},
    )


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
    transaction.on_commit(lambda: _send_email("send_payment_returned", payment_id))
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
    result = get_gateway().refund(
        reference=payment.gateway_reference,
        amount=payment.amount,
        idempotency_key=f"refund-{payment.idempotency_key}",
    )
    if not result.succeeded:
        raise DomainError(result.message or "The processor refused the refund; try again later.")
    transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.REFUNDED,
        actor=actor,
        reason=f"Refund: {reason.strip()}",
        changes={"refund_reason": reason.strip(), "refunded_at": timezone.now()},
    )
    _ledger(
        invoice=payment.invoice,
        kind=EntryKind.REFUND,
        amount=payment.amount,
        actor=actor,
        payment=payment,
        memo=reason.strip()[:200],
    )
    payment_id = payment.pk
    transaction.on_commit(lambda: _send_email("send_refund", payment_id))
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


def settlement_pull(*, actor) -> dict[str, int]:
    """Ask the gateway about every ACH debit not yet settled and apply its answer."""
    references = list(
        Payment.objects.filter(status=PaymentStatus.AUTHORIZED)
        .exclude(gateway_reference="")
        .values_list("gateway_reference", flat=True)
    )
    if not references:
        return {"settled": 0, "returned": 0, "unchanged": 0, "unknown": 0}
    return settlement_apply(
        entries=get_gateway().settlement_report(references=references), actor=actor
    )


def _ledger(*, invoice, kind, amount, actor, payment=None, memo="") -> LedgerEntry:
    return LedgerEntry.objects.create(
        account_id=invoice.payer_id,
        invoice=invoice,
        payment=payment,
        kind=kind,
        amount=amount,
        memo=memo[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _send_email(name: str, payment_id) -> None:
    getattr(emails, name)(payment_id)
