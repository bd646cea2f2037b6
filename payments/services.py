"""Writes on invoices, payments and the ledger: opening and settling invoices (the contract the
other apps use), paying through the processor's hosted page, the processor's signed webhooks,
checks and money orders recorded by staff, returns, refunds and the daily reconciliation.

The portal never charges anything itself: it creates a checkout at the processor (one per
attempt, the attempt's idempotency key passed on) and records money only when the processor's
signed confirmation arrives. Each webhook event is stored once (unique event id) and acted on
once, in a task, under the payment's lock.
"""

import hashlib
import logging
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import check_transition, locked, save_with_audit, transition

from . import emails, fees, selectors, signals
from .gateway import (
    EventKind,
    GatewayError,
    InvalidWebhook,
    PaymentDetails,
    SettlementEntry,
    SettlementStatus,
    get_gateway,
)
from .models import (
    ONLINE_METHODS,
    PAYMENT_TRANSITIONS,
    STAFF_RECORDED_METHODS,
    EntryKind,
    FeeCode,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    MismatchKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ReconciliationMismatch,
    ReconciliationRun,
    ReturnCode,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

INVOICE_TRANSITIONS = {
    InvoiceStatus.OPEN: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.PAID: {InvoiceStatus.ON_HOLD},
    InvoiceStatus.ON_HOLD: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.VOID: set(),
}
PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.ON_HOLD)

# A check or money order's key comes from the invoice and the instrument's number, so recording
# the same check twice (a double submit, two staff members) records it once.
OFFLINE_NAMESPACE = uuid.UUID("5d0f7f3e-8a4c-4c1e-9d61-0e5b8f3a2c11")
STAFF_GATEWAY = "staff"  # the "gateway" of payments staff record from the mail or the counter


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


# --- what the processor tells us: signed webhooks -------------------------------------------


def webhook_receive(*, payload: bytes, signature_header: str) -> WebhookEvent:
    """Verify one webhook and store it; its processing is a task enqueued on commit, so the
    processor gets its answer at once. A redelivered event id is stored once and acted on
    once. Raises ``InvalidWebhook`` (bad signature, old timestamp, unknown type): nothing
    changes."""
    gateway = get_gateway()
    try:
        event = gateway.parse_webhook(payload=payload, signature_header=signature_header)
    except InvalidWebhook as error:
        logger.warning("Webhook refused (%s): %s", gateway.name, error)
        raise
    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(
            gateway=gateway.name,
            event_id=event.event_id,
            defaults={
                "event_type": event.event_type,
                "kind": event.kind,
                "payment_ref": event.payment_id[:64],
                "reference": event.reference,
                "amount": event.amount,
                "card_brand": event.card_brand,
                "last4": event.last4,
                "return_code": event.return_code,
                "created": event.created,
                "payload": payload.decode("utf-8", errors="replace"),
            },
        )
        if created:
            enqueue_on_commit("payments.tasks.process_webhook_event", record.pk)
    return record


def webhook_event_process(*, event_pk: int) -> str:
    """Act on one stored event, once: the row is locked and marked processed in the same
    transaction as the payment change. Events may come in any order; each one brings the
    payment to the state it implies (a refund of a payment not yet confirmed records the
    payment first), so the end state is the same whatever the order."""
    record = WebhookEvent.objects.get(pk=event_pk)
    if record.processed_at:
        return record.outcome
    details = PaymentDetails()
    if record.reference and record.kind != EventKind.EXPIRED:
        details = get_gateway().payment_details(reference=record.reference)  # not under a lock
    with transaction.atomic():
        record = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if record.processed_at:
            return record.outcome
        payment = _payment_of_event(record)
        if payment is None:
            logger.error("Webhook %s names no known payment", record.event_id)
            outcome = "No payment matches this event; reconciliation will list it."
        else:
            try:
                outcome = _apply_event(payment, record, details)
            except DomainError as error:
                logger.error("Webhook %s not applied: %s", record.event_id, error.message)
                outcome = f"Not applied: {error.message}"
        record.payment = payment
        record.outcome = outcome[:300]
        record.processed_at = timezone.now()
        record.save(update_fields=["payment", "outcome", "processed_at"])
    return outcome


def _payment_of_event(record: WebhookEvent) -> Payment | None:
    payment = None
    if record.payment_ref:
        try:
            payment = Payment.objects.filter(pk=uuid.UUID(record.payment_ref)).first()
        except ValueError:
            payment = None
    if payment is None and record.reference:
        payment = Payment.objects.filter(gateway_reference=record.reference).first()
    return payment


def _apply_event(payment: Payment, record: WebhookEvent, details: PaymentDetails) -> str:
    kind = record.kind
    why = f"processor: {record.event_type}"
    if kind == EventKind.EXPIRED:
        payment = locked(payment)
        if payment.status != PaymentStatus.PENDING:
            return "unchanged"
        _fail(
            payment, actor=None, message="The payer left the processor's page; nothing was charged."
        )
        return "failed: checkout expired"
    settled = kind in (EventKind.PAID, EventKind.REFUNDED, EventKind.DISPUTED)
    outcome = _payment_received(payment, record=record, details=details, settled=settled)
    if kind == EventKind.DEBIT_FAILED:
        code = details.return_code or record.return_code or ReturnCode.DEBIT_FAILED
        payment_return(payment=payment, actor=None, return_code=code, note=why)
        return "returned"
    if kind == EventKind.DISPUTED:
        payment_return(payment=payment, actor=None, return_code=ReturnCode.CHARGEBACK, note=why)
        return "returned: chargeback"
    if kind == EventKind.REFUNDED:
        payment = locked(payment)
        if payment.status != PaymentStatus.REFUNDED:
            _record_refund(payment, actor=None, reason="Refunded at the processor")
            return "refunded"
        return "unchanged"
    return outcome


@transaction.atomic
def _payment_received(
    payment: Payment, *, record: WebhookEvent, details: PaymentDetails, settled: bool
) -> str:
    """The processor confirms the money: pending (or an attempt given up on) → authorized
    (bank debit submitted) or settled; authorized → settled. Anything later is left alone."""
    invoice = locked(payment.invoice)
    payment = locked(payment)
    reason = f"Confirmed by the processor ({record.event_type})"
    if payment.status == PaymentStatus.AUTHORIZED and settled:
        payment_settle(payment=payment, actor=None, reason=reason)
        return "settled"
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return "unchanged"
    if record.amount is not None and record.amount != payment.total:
        logger.error(
            "Processor amount %s differs from payment %s total %s",
            record.amount,
            payment.pk,
            payment.total,
        )
    now = timezone.now()
    last4 = details.last4 or record.last4
    changes = {
        "gateway_reference": record.reference or payment.gateway_reference,
        "card_brand": details.card_brand or record.card_brand,
        "completed_at": now,
        "failure_message": "",
        ("card_last4" if payment.method == PaymentMethod.CARD else "ach_last4"): last4,
    }
    if settled:
        changes["settled_at"] = now
    transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.SETTLED if settled else PaymentStatus.AUTHORIZED,
        actor=None,
        reason=reason,
        changes=changes,
    )
    return _record_money_in(payment, invoice=invoice, actor=None)


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
    enqueue(getattr(emails, name), str(payment_id))  # core.outbox: in the transaction


# --- the daily reconciliation ---------------------------------------------------------------


def reconciliation_run(*, day: date) -> ReconciliationRun:
    """Compare what the processor settled on ``day`` with what the ledger recorded, and keep
    the mismatches for staff: settled but not recorded, recorded (settled that day) but not
    settled by the processor, different amounts. A re-run replaces the day's findings; the
    finance role is emailed when the findings are new or changed, once."""
    gateway = get_gateway()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    settled = gateway.settled_transactions(start=start, end=end)  # GatewayError: task retries
    processor: dict[str, Decimal] = {}
    for item in settled:
        processor[item.reference] = processor.get(item.reference, Decimal("0")) + item.amount
    known = {
        payment.gateway_reference: payment
        for payment in Payment.objects.filter(gateway_reference__in=list(processor))
    }
    recorded = list(
        Payment.objects.filter(gateway=gateway.name, settled_at__gte=start, settled_at__lt=end)
    )
    findings: list[tuple[str, str, Payment | None, Decimal | None, Decimal | None]] = []
    for reference, amount in sorted(processor.items()):
        payment = known.get(reference)
        if payment is None or payment.status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            findings.append((MismatchKind.SETTLED_NOT_RECORDED, reference, payment, amount, None))
        elif payment.total != amount:
            findings.append(
                (MismatchKind.AMOUNT_DIFFERS, reference, payment, amount, payment.total)
            )
    for payment in recorded:
        if payment.gateway_reference not in processor:
            findings.append(
                (
                    MismatchKind.RECORDED_NOT_SETTLED,
                    payment.gateway_reference,
                    payment,
                    None,
                    payment.total,
                )
            )
    digest = hashlib.sha256(
        repr(
            [(kind, ref, str(p_amt), str(l_amt)) for kind, ref, _, p_amt, l_amt in findings]
        ).encode()
    ).hexdigest()
    with transaction.atomic():
        run, _ = ReconciliationRun.objects.select_for_update().get_or_create(
            gateway=gateway.name, day=day, defaults={"ran_at": timezone.now()}
        )
        run.ran_at = timezone.now()
        run.processor_count = len(processor)
        run.processor_total = sum(processor.values(), Decimal("0.00"))
        run.ledger_count = len(recorded)
        run.ledger_total = sum((p.total for p in recorded), Decimal("0.00"))
        run.findings_digest = digest if findings else ""
        run.save()
        # The findings are derived from the two sides each time: replaced, not edited.
        run.mismatches.all().delete()
        ReconciliationMismatch.objects.bulk_create(
            ReconciliationMismatch(
                run=run,
                kind=kind,
                reference=reference,
                payment=payment,
                processor_amount=processor_amount,
                ledger_amount=ledger_amount,
            )
            for kind, reference, payment, processor_amount, ledger_amount in findings
        )
        if findings and run.emailed_digest != digest:
            enqueue_on_commit("payments.tasks.email_reconciliation", run.pk)
    return run
