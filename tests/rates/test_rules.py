"""The CPI cap arithmetic and the rate parser: the one home of the rate rules."""

from decimal import Decimal

import pytest

from rates import rules


@pytest.mark.parametrize(
    ("prior", "cpi", "cap"),
    [
        ("800.00", "0.043", "834.40"),
        # 15.00 x 1.043 = 15.645 exactly: half a cent rounds up (banker's rounding would give 15.64)
        ("15.00", "0.043", "15.65"),
        # 10.10 x 1.05 = 10.605: half a cent again, even digit before it
        ("10.10", "0.05", "10.61"),
        # just under half a cent rounds down: 100.50 x 1.043 = 104.8215
        ("100.50", "0.043", "104.82"),
        ("0.00", "0.043", "0.00"),  # a zero-rate category stays at zero
        ("1234.56", "0", "1234.56"),
    ],
)
def test_cap_is_last_years_rate_times_one_plus_cpi_rounded_half_up(prior, cpi, cap):
    assert rules.rate_cap(prior=Decimal(prior), cpi_factor=Decimal(cpi)) == Decimal(cap)


def test_a_category_with_no_prior_rate_has_no_cap():
    assert rules.rate_cap(prior=None, cpi_factor=Decimal("0.043")) is None


def test_short_form_problem_refuses_above_cap_and_points_to_the_long_form():
    problem = rules.short_form_problem(
        category_name="Mileage",
        requested=Decimal("15.66"),
        prior=Decimal("15.00"),
        cap=Decimal("15.65"),
    )
    assert "above the cap of $15.65" in problem
    assert "Long Form" in problem
    assert (
        rules.short_form_problem(
            category_name="Mileage",
            requested=Decimal("15.65"),
            prior=Decimal("15.00"),
            cap=Decimal("15.65"),
        )
        is None
    )


def test_zero_rate_category_cannot_be_raised_on_the_short_form():
    assert "above the cap of $0.00" in rules.short_form_problem(
        category_name="Waiting time",
        requested=Decimal("0.01"),
        prior=Decimal("0"),
        cap=Decimal("0.00"),
    )


def test_new_category_needs_the_long_form():
    problem = rules.short_form_problem(
        category_name="ALS2", requested=Decimal("10"), prior=None, cap=None
    )
    assert "no approved rate last year" in problem and "Long Form" in problem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("104.82", "104.82"),
        ("$1,040.00", "1040.00"),
        (" 7 ", "7.00"),
        (104.82000000000001, "104.82"),
        (12, "12.00"),
    ],
)
def test_parse_rate_accepts_amounts(typed, expected):
    assert rules.parse_rate(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("abc", "not a number"),
        ("-5", "cannot be negative"),
        ("1.234", "two decimals"),
        ("NaN", "not a number"),
        (True, "not a number"),
    ],
)
def test_parse_rate_refuses_bad_input_with_the_reason(typed, reason):
    with pytest.raises(ValueError, match=reason):
        rules.parse_rate(typed)


def test_parse_rate_blank_is_none():
    assert rules.parse_rate("  ") is None
    assert rules.parse_rate(None) is None
