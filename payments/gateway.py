"""Where a payment processor plugs in: the hosted-payment shape.

The portal never sees a card or bank-account number. Paying is: the portal creates a
*checkout* at the processor for one attempt (amount and description decided here, one
idempotency key per attempt) → the payer is sent to the processor's own page → the processor
tells the portal what happened by a **signed webhook**, which ``parse_webhook`` verifies and
turns into a ``ProcessorEvent``. Refunds go through the processor's API; reconciliation asks it
what settled on a day.

Adapters: ``payments.stripe_gateway.StripeGateway`` (a real processor) and
``test_processor.adapter.TestProcessorGateway`` (TEST MODE: the portal's own fake hosted page).
Which one runs is ``settings.PAYMENTS_GATEWAY`` (a short name or a dotted path).
"""

import abc
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.utils.module_loading import import_string

GATEWAYS = {
    "stripe": "payments.stripe_gateway.StripeGateway",
    "test": "test_processor.adapter.TestProcessorGateway",
}


class GatewayError(Exception):
    """The processor refused or failed a call; ``message`` can be shown to staff or the payer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidWebhook(Exception):
    """A webhook that must change nothing: bad signature, old timestamp, unknown event type,
    or a payload that does not parse. Answered with 400 and logged."""


@dataclass(frozen=True)
class Checkout:
    reference: str  # the processor's checkout (session) id
    url: str  # where to send the payer


class EventKind(StrEnum):
    PAID = "paid"  # money received: card captured, or a bank debit settled
    ACCEPTED = "accepted"  # bank debit submitted; it settles or fails days later
    DEBIT_FAILED = "debit_failed"  # a submitted bank debit failed: a returned payment
    EXPIRED = "expired"  # the payer left the processor's page; nothing was charged
    REFUNDED = "refunded"
    DISPUTED = "disputed"  # card chargeback: the money was taken back


@dataclass(frozen=True)
class ProcessorEvent:
    """One verified webhook, in the portal's terms."""

    event_id: str
    event_type: str  # the processor's own name, e.g. checkout.session.completed
    kind: EventKind
    created: datetime
    payment_id: str = ""  # the portal's Payment id, carried through the checkout
    reference: str = ""  # the processor's payment reference (e.g. a PaymentIntent id)
    amount: Decimal | None = None  # dollars, as the processor states them
    card_brand: str = ""
    last4: str = ""
    return_code: str = ""


@dataclass(frozen=True)
class PaymentDetails:
    """What the processor says about a paid reference beyond the event itself."""

    card_brand: str = ""
    last4: str = ""
    return_code: str = ""  # why a bank debit failed, as a ReturnCode value


@dataclass(frozen=True)
class SettledTransaction:
    reference: str
    amount: Decimal  # dollars, the whole charge (fee + card convenience fee)


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    ERROR = "error"


@dataclass(frozen=True)
class GatewayResult:
    outcome: Outcome
    reference: str = ""
    message: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome == Outcome.APPROVED


class SettlementStatus(StrEnum):
    SETTLED = "settled"
    RETURNED = "returned"
    PENDING = "pending"


@dataclass(frozen=True)
class SettlementEntry:
    """One line of a processor's settlement file (CSV import in the admin)."""

    reference: str
    status: SettlementStatus
    return_code: str = ""


class PaymentGateway(abc.ABC):
    """What a processor adapter implements. Calls that move money or create a checkout take
    the attempt's idempotency key and must pass it to the processor, so a retried call never
    creates a second checkout or refund."""

    name: str = ""
    test_mode: bool = False
    label: str = ""  # shown on every page, receipt and admin screen while test_mode is true

    @abc.abstractmethod
    def create_checkout(
        self,
        *,
        payment_id: str,
        method: str,
        amount: Decimal,
        convenience_fee: Decimal,
        description: str,
        idempotency_key: str,
        customer_email: str,
        return_url: str,
        cancel_url: str,
    ) -> Checkout:
        """A hosted checkout for ``amount`` + ``convenience_fee`` by ``method`` (card or ach).
        ``payment_id`` must come back in every webhook about it. Raise ``GatewayError``."""

    @abc.abstractmethod
    def cancel_checkout(self, *, reference: str) -> None:
        """Close an open checkout so it can no longer be paid (the payer started another
        attempt). Raise ``GatewayError`` if it was already paid."""

    @abc.abstractmethod
    def parse_webhook(self, *, payload: bytes, signature_header: str) -> ProcessorEvent:
        """Verify the signature and its timestamp, then read the event. Raise
        ``InvalidWebhook`` for a bad signature, an old timestamp or an unknown event type."""

    def payment_details(self, *, reference: str) -> PaymentDetails:
        """Card brand, last four digits, and a failed debit's reason, when the processor
        tells them (webhooks do not carry them). Never raises: the details are a courtesy."""
        return PaymentDetails()

    @abc.abstractmethod
    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> GatewayResult:
        """Give ``amount`` of the payment ``reference`` back; APPROVED when done."""

    @abc.abstractmethod
    def settled_transactions(self, *, start: datetime, end: datetime) -> list[SettledTransaction]:
        """What the processor settled between ``start`` (inclusive) and ``end`` (exclusive)."""


def gateway_path(name: str) -> str:
    return GATEWAYS.get(name, name)


def get_gateway() -> PaymentGateway:
    return import_string(gateway_path(getattr(settings, "PAYMENTS_GATEWAY", "test")))()
