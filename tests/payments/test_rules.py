"""Fee arithmetic and the number checks made before anything reaches the gateway."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from payments import cardrules, fees
from payments.gateway import BankAccount, CardDetails, Outcome, TestModeGateway
from payments.models import FeeCode, FeeSchedule


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


def _card(number):
    return CardDetails(number=number, exp_month=12, exp_year=2099, cvc="123", name="A")


@pytest.mark.parametrize(
    ("number", "outcome"),
    [
        ("4242424242424242", Outcome.APPROVED),
        ("4000000000000002", Outcome.DECLINED),
        ("4000000000000069", Outcome.EXPIRED),
        ("4000000000000119", Outcome.ERROR),
        ("4111111111111111", Outcome.DECLINED),  # a real-looking card: refused in test mode
    ],
)
def test_test_mode_card_outcomes(number, outcome):
    result = TestModeGateway().charge_card(
        card=_card(number), amount=Decimal("127.94"), idempotency_key="k", description="x"
    )
    assert result.outcome == outcome
    assert result.last4 == number[-4:]
    assert result.succeeded is (outcome == Outcome.APPROVED)


def test_test_mode_ach_outcomes_and_settlement_report():
    gateway = TestModeGateway()

    def debit(number):
        return gateway.debit_bank_account(
            account=BankAccount("011000015", number, "checking", "A"),
            amount=Decimal("125"),
            idempotency_key=number,
            description="x",
        )

    ok, r01, r03, unknown = (
        debit("000123456789"),
        debit("000222222227"),
        debit("000111111116"),
        debit("999"),
    )
    assert ok.outcome == r01.outcome == r03.outcome == Outcome.ACCEPTED
    assert unknown.outcome == Outcome.DECLINED
    report = {
        e.reference: (e.status, e.return_code)
        for e in gateway.settlement_report(references=[ok.reference, r01.reference, r03.reference])
    }
    assert report[ok.reference] == ("settled", "")
    assert report[r01.reference] == ("returned", "R01")
    assert report[r03.reference] == ("returned", "R03")


def test_card_details_never_print_the_number():
    assert "4242424242424242" not in repr(_card("4242424242424242"))
    assert "000123456789" not in repr(BankAccount("011000015", "000123456789", "checking", "A"))
