"""The fake processor's behaviour (TEST MODE): checkouts paid on its hosted page with the
documented test numbers, the events it sends (signed, on commit, by a task), bank debits that
settle or fail later, refunds. No money moves; no number typed here is stored, only the last four.
"""

import hashlib
import hmac
import json
import time
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from payments.gateway import GatewayError, InvalidWebhook
from payments.models import WebhookEvent
from payments.services import payment_checkout, webhook_event_process, webhook_receive
from payments.signing import sign

from .cardrules import card_brand
from .models import CheckoutStatus, TestCheckout, TestEvent

# number: (result, message shown on the hosted page when it fails)
TEST_CARDS = {
    "4242424242424242": ("approved", ""),
    "5555555555554444": ("approved", ""),
    "378282246310005": ("approved", ""),
    "4000000000000002": ("declined", "Your card was declined. Use another card."),
    "4000000000009995": (
        "declined",
        "Your card was declined for insufficient funds. Use another card.",
    ),
    "4000000000000069": (
        "expired",
        "Your card has expired. Check the expiration date or use another card.",
    ),
    "4000000000000119": (
        "error",
        "The card processor had an error; nothing was charged. Please try again.",
    ),
}
NOT_A_TEST_CARD = "Test mode accepts only the documented test card numbers."

TEST_ROUTING_NUMBER = "011000015"  # any number passing the ABA checksum is accepted
# account number: the return code it comes back with later ("" = it settles)
TEST_ACCOUNTS = {"000123456789": "", "000222222227": "R01", "000111111116": "R03"}
NOT_A_TEST_ACCOUNT = "Test mode accepts only the documented test bank account numbers."


class PaymentRefused(Exception):
    """The hosted page says no (declined card, unknown test number); nothing changes."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def webhook_secret() -> str:
    """The signing secret of the fake processor's webhooks, derived from SECRET_KEY so that
    nothing has to be configured to use TEST MODE."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"test-processor-webhook", hashlib.sha256
    ).hexdigest()


def _cents(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


@transaction.atomic
def checkout_create(
    *,
    payment_id,
    method,
    amount,
    convenience_fee,
    description,
    idempotency_key,
    customer_email,
    return_url,
    cancel_url,
) -> TestCheckout:
    """One checkout per idempotency key, as a processor answers a retried request."""
    existing = TestCheckout.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TestCheckout.objects.create(
                idempotency_key=idempotency_key,
                payment_id=payment_id,
                method=method,
                amount=amount,
                convenience_fee=convenience_fee,
                description=description[:200],
                customer_email=customer_email,
                return_url=return_url,
                cancel_url=cancel_url,
            )
    except IntegrityError:  # the same key created meanwhile by a concurrent retry
        return TestCheckout.objects.get(idempotency_key=idempotency_key)


def _locked(checkout_id: str) -> TestCheckout:
    return TestCheckout.objects.select_for_update().get(pk=checkout_id)


@transaction.atomic
def checkout_pay_card(*, checkout_id: str, number: str) -> TestCheckout:
    """Charge a test card once. A second submit of the same page finds the checkout complete."""
    checkout = _locked(checkout_id)
    if checkout.status != CheckoutStatus.OPEN or checkout.method != "card":
        return checkout
    result, message = TEST_CARDS.get(number, ("declined", NOT_A_TEST_CARD))
    if result != "approved":
        raise PaymentRefused(message, field="expiry" if result == "expired" else "number")
    now = timezone.now()
    checkout.status = CheckoutStatus.COMPLETE
    checkout.payment_status = "paid"
    checkout.payment_reference = f"pi_test_{uuid.uuid4().hex[:24]}"
    checkout.card_brand = card_brand(number) or "Card"
    checkout.last4 = number[-4:]
    checkout.settled_at = now
    checkout.settled_amount = checkout.total
    checkout.save()
    _emit(checkout, "checkout.session.completed")
    return checkout


@transaction.atomic
def checkout_pay_bank(*, checkout_id: str, account_number: str) -> TestCheckout:
    """Submit a test bank debit once; it settles or fails when the debits are released."""
    checkout = _locked(checkout_id)
    if checkout.status != CheckoutStatus.OPEN or checkout.method != "ach":
        return checkout
    if account_number not in TEST_ACCOUNTS:
        raise PaymentRefused(NOT_A_TEST_ACCOUNT, field="account_number")
    checkout.status = CheckoutStatus.COMPLETE
    checkout.payment_reference = f"pi_test_{uuid.uuid4().hex[:24]}"
    checkout.last4 = account_number[-4:]
    checkout.later_return_code = TEST_ACCOUNTS[account_number]
    checkout.save()
    _emit(checkout, "checkout.session.completed")
    return checkout


@transaction.atomic
def checkout_expire(*, checkout_id: str) -> TestCheckout:
    checkout = _locked(checkout_id)
    if checkout.status == CheckoutStatus.COMPLETE:
        raise GatewayError("That payment was already completed.")
    if checkout.status == CheckoutStatus.OPEN:
        checkout.status = CheckoutStatus.EXPIRED
        checkout.save(update_fields=["status"])
        _emit(checkout, "checkout.session.expired")
    return checkout


def debits_release(*, checkout_ids: list[str] | None = None) -> int:
    """What a bank does days later: each submitted test debit (all, or those named) settles,
    or fails with its account's return code. Returns how many were released; a second call
    releases nothing."""
    released = 0
    pending = TestCheckout.objects.filter(
        method="ach", status=CheckoutStatus.COMPLETE, payment_status="unpaid", debit_failed=False
    )
    if checkout_ids is not None:
        pending = pending.filter(pk__in=checkout_ids)
    for checkout_id in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            checkout = _locked(checkout_id)
            if checkout.payment_status != "unpaid" or checkout.debit_failed:
                continue
            if checkout.later_return_code:
                checkout.debit_failed = True
                checkout.save(update_fields=["debit_failed"])
                _emit(checkout, "checkout.session.async_payment_failed")
            else:
                checkout.payment_status = "paid"
                checkout.settled_at = timezone.now()
                checkout.settled_amount = checkout.total
                checkout.save(update_fields=["payment_status", "settled_at", "settled_amount"])
                _emit(checkout, "checkout.session.async_payment_succeeded")
            released += 1
    return released


@transaction.atomic
def refund(*, reference: str, amount: Decimal, idempotency_key: str) -> str:
    checkout = TestCheckout.objects.select_for_update().filter(payment_reference=reference).first()
    if checkout is None or checkout.payment_status != "paid":
        raise GatewayError("The test processor has no settled payment with that reference.")
    refund_id = "re_test_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
    if checkout.refunded_amount == 0:  # one refund per payment in this fake processor
        checkout.refunded_amount = amount
        checkout.save(update_fields=["refunded_amount"])
        _emit(checkout, "charge.refunded")
    return refund_id


@transaction.atomic
def dispute_open(*, checkout_id: str) -> TestCheckout:
    """The cardholder disputes the charge with their bank (a chargeback)."""
    checkout = _locked(checkout_id)
    if (
        checkout.payment_status != "paid"
        or checkout.events.filter(type="charge.dispute.created").exists()
    ):
        return checkout
    _emit(checkout, "charge.dispute.created")
    return checkout


def _event_object(checkout: TestCheckout, event_type: str) -> dict:
    metadata = {"payment_id": checkout.payment_id}
    if event_type.startswith("checkout.session."):
        return {
            "id": checkout.id,
            "object": "checkout.session",
            "client_reference_id": checkout.payment_id,
            "metadata": metadata,
            "payment_intent": checkout.payment_reference or None,
            "payment_status": checkout.payment_status,
            "status": checkout.status,
            "amount_total": _cents(checkout.total),
            "currency": "usd",
            "customer_email": checkout.customer_email,
        }
    charge_id = "ch_" + checkout.payment_reference.removeprefix("pi_")
    if event_type == "charge.refunded":
        return {
            "id": charge_id,
            "object": "charge",
            "payment_intent": checkout.payment_reference,
            "amount": _cents(checkout.total),
            "amount_refunded": _cents(checkout.refunded_amount),
            "refunded": checkout.refunded_amount >= checkout.total,
            "metadata": metadata,
        }
    return {  # charge.dispute.created
        "id": "dp_" + checkout.payment_reference.removeprefix("pi_"),
        "object": "dispute",
        "charge": charge_id,
        "payment_intent": checkout.payment_reference,
        "amount": _cents(checkout.total),
        "reason": "fraudulent",
        "metadata": metadata,
    }


def _emit(checkout: TestCheckout, event_type: str) -> TestEvent:
    event_id = f"evt_test_{uuid.uuid4().hex[:24]}"
    payload = {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": _event_object(checkout, event_type)},
    }
    event = TestEvent.objects.create(
        id=event_id, type=event_type, payload=json.dumps(payload), checkout=checkout
    )
    enqueue_on_commit("test_processor.tasks.deliver_event", event_id)
    return event


def event_deliver(*, event_id: str) -> bool:
    """Sign the event now and hand it to the portal's webhook endpoint logic (the same function
    the HTTP endpoint calls). The fake processor lives in the portal's own process, so it
    delivers in-process instead of over HTTP; everything after the signature is the same."""
    event = TestEvent.objects.get(pk=event_id)
    payload = event.payload.encode()
    try:
        webhook_receive(payload=payload, signature_header=sign(payload, secret=webhook_secret()))
    except InvalidWebhook as error:
        response = f"400 {error}"
    else:
        response = "200"
    TestEvent.objects.filter(pk=event_id).update(
        delivered_at=timezone.now(), delivery_response=response[:300]
    )
    return response == "200"


# --- for demo data and tests: a payer's visit to the hosted page, without a browser ----------


def events_flush() -> int:
    """Deliver every event not yet delivered and process what the portal stored, now, in this
    transaction (the on-commit tasks that would do it later then find nothing to do). For demo
    data and tests that pay inside one transaction; the web flow never calls it."""
    ids = list(TestEvent.objects.filter(delivered_at=None).values_list("pk", flat=True))
    for event_id in ids:
        event_deliver(event_id=event_id)
    for record_pk in WebhookEvent.objects.filter(processed_at=None, event_id__in=ids).values_list(
        "pk", flat=True
    ):
        webhook_event_process(event_pk=record_pk)
    return len(ids)


def pay_hosted(payment, *, number: str, flush: bool = True):
    """Open the attempt's checkout and submit ``number`` (a test card or bank account) on the
    test processor's page, as the payer would; then deliver the signed events. A refused
    number leaves the checkout open, as on the page. Returns the payment, refreshed."""
    base = settings.SITE_URL
    payment_checkout(
        payment=payment,
        return_url=base + reverse("payments:attempt", args=[payment.pk]),
        cancel_url=base + reverse("payments:pay", args=[payment.invoice_id]),
    )
    payment.refresh_from_db()
    try:
        if payment.method == "card":
            checkout_pay_card(checkout_id=payment.checkout_reference, number=number)
        else:
            checkout_pay_bank(checkout_id=payment.checkout_reference, account_number=number)
    except PaymentRefused:
        pass
    if flush:
        events_flush()
    payment.refresh_from_db()
    return payment
