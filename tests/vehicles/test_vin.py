"""The VIN check digit (49 CFR 565, position 9) on real VINs and near-misses."""

import pytest
from django.core.exceptions import ValidationError

from vehicles.vin import check_digit, normalize_vin, validate_vin, with_check_digit

# Real VINs whose check digit is right (the first is the worked example in the standard's
# commentary; two have the check digit X).
REAL_VINS = [
    "1M8GDM9AXKP042788",
    "1HGCM82633A004352",
    "JH4KA7561PC008269",
    "1G1JC5444R7252367",
    "4S3BMHB68B3286050",
    "1GNEK13ZX3R298984",
]


@pytest.mark.parametrize("vin", REAL_VINS)
def test_real_vins_are_accepted(vin):
    assert validate_vin(vin) == vin


def test_typed_spaces_dashes_and_lower_case_are_normalized():
    assert validate_vin(" 1hgcm826-33a 004352 ") == "1HGCM82633A004352"
    assert normalize_vin("1m8-gdm") == "1M8GDM"


@pytest.mark.parametrize(
    "vin",
    [
        "1M8GDM9A0KP042788",  # check digit X changed to 0
        "1HGCM82643A004352",  # check digit off by one
        "1HGCM82633A004353",  # last digit mistyped: the check digit no longer matches
        "1HGCM82633A040352",  # two digits swapped
        "JH4KA7561PC008268",
    ],
)
def test_near_misses_fail_on_the_check_digit(vin):
    with pytest.raises(ValidationError) as raised:
        validate_vin(vin)
    assert raised.value.code == "vin_check_digit"
    assert "check digit" in raised.value.messages[0]


@pytest.mark.parametrize("vin", ["1HGCM82633A00435", "1HGCM82633A0043522", ""])
def test_wrong_length_says_how_long_it_is(vin):
    with pytest.raises(ValidationError) as raised:
        validate_vin(vin)
    assert raised.value.code == "vin_length"
    assert f"has {len(vin)}" in raised.value.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "Q"])
def test_letters_i_o_q_are_refused_by_name(letter):
    vin = "1HGCM82633A00435" + letter
    with pytest.raises(ValidationError) as raised:
        validate_vin(vin)
    assert raised.value.code == "vin_characters"
    assert letter in raised.value.messages[0]


def test_with_check_digit_repairs_position_nine():
    assert with_check_digit("1M8GDM9A0KP042788") == "1M8GDM9AXKP042788"
    assert check_digit("11111111111111111") == "1"
