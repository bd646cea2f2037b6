"""What the processor tells us: signed webhooks, stored once and acted on once under the
payment's lock."""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import locked, transition

from ..gateway import (
    EventKind,
    InvalidWebhook,
    PaymentDetails,
    get_gateway,
)
from ..models import (
    PAYMENT_TRANSITIONS,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ReturnCode,
    WebhookEvent,
)
from .invoices import _record_money_in
from .ledger import _fail
from .refunds import _record_refund, payment_return, payment_settle

logger = logging.getLogger("payments.services")  # the name it has always logged under


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
