"""The Stripe adapter: Checkout Sessions for card and US bank account (ACH) payments, refunds
through the API, signed webhooks, and the balance transactions reconciliation compares.

Configured by ``STRIPE_SECRET_KEY`` and ``STRIPE_WEBHOOK_SECRET`` (docs/payments.md). A
``sk_test_`` key is Stripe's own test mode, and is labelled so on every page.
"""

import json
import logging
from datetime import UTC, datetime
from decimal import Decimal

import stripe
from django.conf import settings

from .gateway import (
    Checkout,
    EventKind,
    GatewayError,
    GatewayResult,
    InvalidWebhook,
    Outcome,
    PaymentDetails,
    PaymentGateway,
    ProcessorEvent,
    SettledTransaction,
)
from .signing import TOLERANCE_SECONDS

logger = logging.getLogger(__name__)

CHECKOUT_LIFETIME_SECONDS = 60 * 60  # Stripe allows 30 minutes to 24 hours

# Stripe's bank-debit failure codes, as the portal's return reasons (NACHA codes).
ACH_FAILURE_CODES = {
    "insufficient_funds": "R01",
    "account_closed": "R02",
    "no_account": "R03",
    "invalid_account_number": "R04",
    "debit_not_authorized": "R10",
}

PAYMENT_METHOD_TYPES = {"card": "card", "ach": "us_bank_account"}


def to_cents(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def from_cents(cents) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def _id(value) -> str:
    """An expandable field: Stripe sends either the id or the object."""
    if isinstance(value, dict):
        return value.get("id", "")
    return value or ""


class StripeGateway(PaymentGateway):
    name = "stripe"
    # Tests give the adapter a client that answers from recorded responses (no network).
    http_client: stripe.HTTPClient | None = None

    def __init__(self):
        self.secret_key = getattr(settings, "STRIPE_SECRET_KEY", "")
        self.webhook_secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
        self.test_mode = self.secret_key.startswith("sk_test_")
        self.label = "Stripe TEST MODE — no real money moves" if self.test_mode else ""

    @property
    def client(self) -> stripe.StripeClient:
        return stripe.StripeClient(
            self.secret_key, http_client=self.http_client, max_network_retries=2
        )

    def create_checkout(
        self,
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
    ):
        line_items = [_line_item(description, amount)]
        if convenience_fee:
            line_items.append(_line_item("Card convenience fee", convenience_fee))
        params = {
            "mode": "payment",
            "payment_method_types": [PAYMENT_METHOD_TYPES[method]],
            "line_items": line_items,
            "client_reference_id": payment_id,
            "metadata": {"payment_id": payment_id},
            "payment_intent_data": {
                "description": description[:200],
                "metadata": {"payment_id": payment_id},
            },
            "success_url": return_url,
            "cancel_url": cancel_url,
            "expires_at": int(datetime.now(UTC).timestamp()) + CHECKOUT_LIFETIME_SECONDS,
        }
        if customer_email:
            params["customer_email"] = customer_email
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        except stripe.StripeError as error:
            logger.warning("Stripe checkout for payment %s failed: %s", payment_id, error)
            raise GatewayError(
                "The payment processor could not start the payment; nothing was charged. "
                "Please try again."
            ) from error
        return Checkout(reference=session.id, url=session.url)

    def cancel_checkout(self, *, reference):
        try:
            self.client.v1.checkout.sessions.expire(reference)
        except stripe.InvalidRequestError as error:
            # Only an open session can be expired: find out whether it was paid meanwhile.
            session = self.client.v1.checkout.sessions.retrieve(reference)
            if session.status == "complete":
                raise GatewayError("That payment was already completed.") from error
        except stripe.StripeError as error:
            raise GatewayError("The payment processor could not be reached.") from error

    def parse_webhook(self, *, payload, signature_header):
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature_header, self.webhook_secret, tolerance=TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidWebhook(str(error)) from error
        return event_from_payload(payload)

    def payment_details(self, *, reference):
        try:
            intent = self.client.v1.payment_intents.retrieve(
                reference, params={"expand": ["latest_charge"]}
            ).to_dict()
        except stripe.StripeError as error:
            logger.info("No payment details for %s: %s", reference, error)
            return PaymentDetails()
        failure = intent.get("last_payment_error") or {}
        return_code = ACH_FAILURE_CODES.get(failure.get("code", ""), "")
        charge = intent.get("latest_charge")
        details = charge.get("payment_method_details") if isinstance(charge, dict) else None
        if not details:
            return PaymentDetails(return_code=return_code)
        if details.get("type") == "card":
            card = details["card"]
            return PaymentDetails(card_brand=card["brand"].title(), last4=card["last4"])
        if details.get("type") == "us_bank_account":
            return PaymentDetails(
                last4=details["us_bank_account"]["last4"], return_code=return_code
            )
        return PaymentDetails(return_code=return_code)

    def refund(self, *, reference, amount, idempotency_key):
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": reference, "amount": to_cents(amount)},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            message = getattr(error, "user_message", None) or "Stripe refused the refund."
            return GatewayResult(outcome=Outcome.DECLINED, message=message)
        if refund.status in ("succeeded", "pending"):
            return GatewayResult(outcome=Outcome.APPROVED, reference=refund.id)
        return GatewayResult(outcome=Outcome.DECLINED, message=f"Refund {refund.status}.")

    def settled_transactions(self, *, start, end):
        try:
            page = self.client.v1.balance_transactions.list(
                params={
                    "created": {"gte": int(start.timestamp()), "lt": int(end.timestamp())},
                    "limit": 100,
                    "expand": ["data.source"],
                }
            )
            transactions = []
            for item in (each.to_dict() for each in page.auto_paging_iter()):
                if item["type"] not in ("charge", "payment"):
                    continue
                source = item.get("source")
                reference = _id(source.get("payment_intent")) if source else ""
                transactions.append(
                    SettledTransaction(
                        reference=reference or _id(source), amount=from_cents(item["amount"])
                    )
                )
        except stripe.StripeError as error:
            raise GatewayError("Stripe could not list the day's transactions.") from error
        return transactions


def event_from_payload(payload: bytes) -> ProcessorEvent:
    """Read a verified event in Stripe's shape (the test processor sends the same shape)."""
    try:
        event = json.loads(payload)
        event_type, obj = event["type"], event["data"]["object"]
        created = datetime.fromtimestamp(int(event["created"]), UTC)
        event_id = event["id"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidWebhook("the payload is not a Stripe event") from error
    common = {"event_id": event_id, "event_type": event_type, "created": created}
    if event_type.startswith("checkout.session."):
        kind = _session_kind(event_type, obj)
        return ProcessorEvent(
            **common,
            kind=kind,
            payment_id=obj.get("client_reference_id")
            or (obj.get("metadata") or {}).get("payment_id", ""),
            reference=_id(obj.get("payment_intent")),
            amount=from_cents(obj["amount_total"]) if obj.get("amount_total") else None,
            return_code="debit_failed" if kind == EventKind.DEBIT_FAILED else "",
        )
    if event_type == "charge.refunded":
        return ProcessorEvent(
            **common,
            kind=EventKind.REFUNDED,
            payment_id=(obj.get("metadata") or {}).get("payment_id", ""),
            reference=_id(obj.get("payment_intent")),
            amount=from_cents(obj.get("amount_refunded", 0)),
        )
    if event_type == "charge.dispute.created":
        return ProcessorEvent(
            **common,
            kind=EventKind.DISPUTED,
            payment_id=(obj.get("metadata") or {}).get("payment_id", ""),
            reference=_id(obj.get("payment_intent")),
            amount=from_cents(obj.get("amount", 0)),
            return_code="chargeback",
        )
    raise InvalidWebhook(f"unknown event type {event_type!r}")


def _line_item(name: str, amount: Decimal) -> dict:
    return {
        "quantity": 1,
        "price_data": {
            "currency": "usd",
            "unit_amount": to_cents(amount),
            "product_data": {"name": name[:200]},
        },
    }


def _session_kind(event_type: str, session: dict) -> EventKind:
    if event_type == "checkout.session.completed":
        # A card is paid at once; a bank debit completes the session "unpaid" and settles later.
        return EventKind.PAID if session.get("payment_status") == "paid" else EventKind.ACCEPTED
    kinds = {
        "checkout.session.async_payment_succeeded": EventKind.PAID,
        "checkout.session.async_payment_failed": EventKind.DEBIT_FAILED,
        "checkout.session.expired": EventKind.EXPIRED,
    }
    if event_type not in kinds:
        raise InvalidWebhook(f"unknown event type {event_type!r}")
    return kinds[event_type]
