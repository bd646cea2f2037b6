"""The one home of fee arithmetic: which amount applies on a date, and the card convenience fee."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.errors import DomainError

from .models import FeeSchedule, PaymentMethod

CENT = Decimal("0.01")
# Card payments carry a convenience fee; ACH/eCheck none (shared/DESIGN.md, Renewal).
CARD_CONVENIENCE_RATE = Decimal("0.0235")


def to_cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def current_fee(code: str, *, on: date | None = None) -> Decimal:
    on = on or timezone.localdate()
    row = (
        FeeSchedule.objects.filter(code=code, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        raise DomainError(f"No fee is set for {code!r} on {on:%B %-d, %Y}; staff must add one.")
    return row.amount


def card_convenience_fee(amount: Decimal) -> Decimal:
    return to_cents(Decimal(amount) * CARD_CONVENIENCE_RATE)


def payment_convenience_fee(amount: Decimal, *, method: str) -> Decimal:
    """The fee on top of ``amount`` for a payment method: cards only."""
    return card_convenience_fee(amount) if method == PaymentMethod.CARD else Decimal("0.00")
