"""Where a payment processor plugs in.

``PaymentGateway`` is the interface a real processor adapter implements (docs/payments.md says
how); ``TestModeGateway`` is the built-in one, behaving like a processor's test mode with
documented test numbers. Which one runs is ``settings.PAYMENTS_GATEWAY`` (a dotted path), the
test mode by default. Card data passes through here and is never stored or logged: results carry
only the brand and last four digits.
"""

import abc
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class CardDetails:
    number: str  # digits only
    exp_month: int
    exp_year: int
    cvc: str
    name: str
    postal_code: str = ""

    def __repr__(self):  # never let a traceback or a log line carry the number
        return f"CardDetails(last4={self.number[-4:]!r}, name={self.name!r})"


@dataclass(frozen=True)
class BankAccount:
    routing_number: str
    account_number: str
    account_type: str  # "checking" or "savings"
    name: str

    def __repr__(self):
        return f"BankAccount(routing={self.routing_number!r}, last4={self.account_number[-4:]!r})"


class Outcome(StrEnum):
    APPROVED = "approved"  # card: authorized and captured
    ACCEPTED = "accepted"  # ACH: debit submitted; settles or comes back returned later
    DECLINED = "declined"
    EXPIRED = "expired"
    ERROR = "error"  # the processor failed; nothing was charged, trying again may work


@dataclass(frozen=True)
class GatewayResult:
    outcome: Outcome
    reference: str = ""
    message: str = ""  # shown to the payer when the outcome is not a success
    card_brand: str = ""
    last4: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome in (Outcome.APPROVED, Outcome.ACCEPTED)


class SettlementStatus(StrEnum):
    SETTLED = "settled"
    RETURNED = "returned"
    PENDING = "pending"


@dataclass(frozen=True)
class SettlementEntry:
    reference: str
    status: SettlementStatus
    return_code: str = ""


class PaymentGateway(abc.ABC):
    """What a processor adapter implements. Every money-moving call takes the attempt's
    idempotency key and must pass it to the processor, so a retried call never charges twice."""

    name: str = ""
    test_mode: bool = False
    label: str = ""  # shown on every page, receipt and admin screen that shows its payments

    @abc.abstractmethod
    def charge_card(
        self, *, card: CardDetails, amount: Decimal, idempotency_key: str, description: str
    ) -> GatewayResult:
        """Authorize and capture ``amount`` (dollars) on the card."""

    @abc.abstractmethod
    def debit_bank_account(
        self, *, account: BankAccount, amount: Decimal, idempotency_key: str, description: str
    ) -> GatewayResult:
        """Submit an ACH debit; ACCEPTED means submitted, not yet settled."""

    @abc.abstractmethod
    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> GatewayResult:
        """Give ``amount`` of the payment ``reference`` back; APPROVED when done."""

    @abc.abstractmethod
    def settlement_report(self, *, references: list[str]) -> list[SettlementEntry]:
        """What the processor now knows about these payments: settled, returned (with the
        return code), or still pending."""


class TestModeGateway(PaymentGateway):
    """A processor's test mode: no money moves, outcomes follow the documented test numbers.
    Every other card number is declined, as a processor's sandbox does with live cards."""

    name = "test"
    test_mode = True
    label = "TEST MODE — no real money moves"

    __test__ = False  # not a pytest test class, whatever its name
    TEST_CARDS = {
        # number: (outcome, message when it fails)
        "4242424242424242": (Outcome.APPROVED, ""),
        "5555555555554444": (Outcome.APPROVED, ""),
        "378282246310005": (Outcome.APPROVED, ""),
        "4000000000000002": (Outcome.DECLINED, "Your card was declined. Use another card."),
        "4000000000009995": (
            Outcome.DECLINED,
            "Your card was declined for insufficient funds. Use another card.",
        ),
        "4000000000000069": (
            Outcome.EXPIRED,
            "Your card has expired. Check the expiration date or use another card.",
        ),
        "4000000000000119": (
            Outcome.ERROR,
            "The card processor had an error; nothing was charged. Please try again.",
        ),
    }
    NOT_A_TEST_CARD = "Test mode accepts only the documented test card numbers."

    TEST_ROUTING_NUMBER = "011000015"  # any number passing the ABA checksum is accepted
    TEST_ACCOUNTS = {
        # account number: what the settlement report says later
        "000123456789": (SettlementStatus.SETTLED, ""),
        "000222222227": (SettlementStatus.RETURNED, "R01"),
        "000111111116": (SettlementStatus.RETURNED, "R03"),
    }
    NOT_A_TEST_ACCOUNT = "Test mode accepts only the documented test bank account numbers."

    def _reference(self, kind: str, idempotency_key: str, tag: str = "") -> str:
        # The same key gives the same reference, as a processor answers a retried request.
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:16]
        return f"test_{kind}_{tag + '_' if tag else ''}{digest}"

    def charge_card(self, *, card, amount, idempotency_key, description):
        from .cardrules import card_brand

        brand = card_brand(card.number) or "Card"
        outcome, message = self.TEST_CARDS.get(
            card.number, (Outcome.DECLINED, self.NOT_A_TEST_CARD)
        )
        return GatewayResult(
            outcome=outcome,
            reference=self._reference("ch", idempotency_key) if outcome != Outcome.ERROR else "",
            message=message,
            card_brand=brand,
            last4=card.number[-4:],
        )

    def debit_bank_account(self, *, account, amount, idempotency_key, description):
        known = self.TEST_ACCOUNTS.get(account.account_number)
        if known is None:
            return GatewayResult(
                outcome=Outcome.DECLINED,
                message=self.NOT_A_TEST_ACCOUNT,
                last4=account.account_number[-4:],
            )
        status, code = known
        # The later settlement outcome rides in the test reference, so settlement_report can
        # answer without this gateway keeping state; a real processor looks it up.
        tag = code or "OK"
        return GatewayResult(
            outcome=Outcome.ACCEPTED,
            reference=self._reference("ach", idempotency_key, tag),
            last4=account.account_number[-4:],
        )

    def refund(self, *, reference, amount, idempotency_key):
        return GatewayResult(
            outcome=Outcome.APPROVED, reference=self._reference("re", idempotency_key)
        )

    def settlement_report(self, *, references):
        entries = []
        for reference in references:
            if not reference.startswith("test_"):
                continue
            parts = reference.split("_")
            if parts[1] == "ach" and len(parts) == 4 and parts[2] != "OK":
                entries.append(SettlementEntry(reference, SettlementStatus.RETURNED, parts[2]))
            else:
                entries.append(SettlementEntry(reference, SettlementStatus.SETTLED))
        return entries


def get_gateway() -> PaymentGateway:
    path = getattr(settings, "PAYMENTS_GATEWAY", "payments.gateway.TestModeGateway")
    return import_string(path)()
