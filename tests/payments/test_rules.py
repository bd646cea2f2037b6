"""Fee arithmetic, and the number checks the test processor's hosted page makes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from payments import fees
from payments.models import FeeCode, FeeSchedule, PaymentMethod
from test_processor import cardrules


def test_card_fee_is_two_point_three_five_percent_rounded_to_the_cent():
    assert fees.card_convenience_fee(Decimal("125.00")) == Decimal("2.94")  # 2.9375 -> 2.94
    assert fees.card_convenience_fee(Decimal("140.00")) == Decimal("3.29")  # 3.29 exactly
    assert fees.card_convenience_fee(Decimal("300.00")) == Decimal("7.05")
    assert fees.card_convenience_fee(Decimal("10.00")) == Decimal("0.24")  # 0.235 rounds half up


@pytest.mark.django_db
def test_fee_in_force_on_a_date_comes_from_the_schedule():
    assert fees.current_fee(FeeCode.PROVIDER_RENEWAL) == Decimal("125.00")
    assert fees.current_fee(FeeCode.RETURNED_PAYMENT) == Decimal("15.00")
    next_year = date.today() + timedelta(days=365)
    FeeSchedule.objects.create(
        code=FeeCode.PROVIDER_RENEWAL, amount="150.00", effective_from=next_year
    )
    assert fees.current_fee(FeeCode.PROVIDER_RENEWAL) == Decimal("125.00")
    assert fees.current_fee(FeeCode.PROVIDER_RENEWAL, on=next_year) == Decimal("150.00")


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4242424242424242", True),
        ("4242424242424241", False),
        ("378282246310005", True),
        ("12ab", False),
    ],
)
def test_luhn(number, valid):
    assert cardrules.luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("routing", "valid"),
    [
        ("011000015", True),
        ("021000021", True),
        ("011000016", False),
        ("12345678", False),
        ("12345678a", False),
    ],
)
def test_aba_routing_checksum(routing, valid):
    assert cardrules.aba_routing_valid(routing) is valid


def test_card_brand_and_expiry():
    assert cardrules.card_brand("4242424242424242") == "Visa"
    assert cardrules.card_brand("5555555555554444") == "Mastercard"
    assert cardrules.card_brand("378282246310005") == "American Express"
    assert cardrules.card_brand("9999999999999995") is None
    assert cardrules.parse_expiry("4/29") == (4, 2029)
    assert cardrules.parse_expiry("13/29") is None
    assert cardrules.expired(1, 2024, today=date(2024, 1, 31)) is False
    assert cardrules.expired(1, 2024, today=date(2024, 2, 1)) is True


def test_the_convenience_fee_applies_to_cards_only():
    assert fees.payment_convenience_fee(Decimal("125.00"), method=PaymentMethod.CARD) == Decimal(
        "2.94"
    )
    assert fees.payment_convenience_fee(Decimal("125.00"), method=PaymentMethod.ACH) == 0
