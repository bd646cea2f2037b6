"""Vehicle Identification Numbers: the one home of the VIN format and its check digit.

A VIN has 17 characters from the digits and capital letters other than I, O and Q (ISO 3779).
Vehicles sold in North America (49 CFR 565) carry a check digit in position 9: each character is
transliterated to a number, multiplied by its position's weight, and the sum taken modulo 11; a
remainder of 10 is written ``X``. Every place that accepts a VIN calls ``validate_vin``.
"""

import re

from django.core.exceptions import ValidationError

VIN_LENGTH = 17
CHECK_DIGIT_POSITION = 8  # zero-based: the ninth character
_ALLOWED = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_TRANSLITERATION = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def normalize_vin(value: str) -> str:
    """Upper case, without the spaces and dashes people type between groups."""
    return re.sub(r"[\s-]", "", value or "").upper()


def check_digit(vin: str) -> str:
    """The check digit ('0'-'9' or 'X') the other 16 characters call for."""
    total = sum(_TRANSLITERATION[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def with_check_digit(vin: str) -> str:
    """``vin`` with position 9 replaced by its correct check digit (for generated demo VINs)."""
    vin = normalize_vin(vin)
    return vin[:CHECK_DIGIT_POSITION] + check_digit(vin) + vin[CHECK_DIGIT_POSITION + 1 :]


def validate_vin(value: str) -> str:
    """Return the normalized VIN, or raise a ValidationError a person can act on."""
    vin = normalize_vin(value)
    if len(vin) != VIN_LENGTH:
        raise ValidationError(
            f"A VIN has {VIN_LENGTH} characters; this one has {len(vin)}.", code="vin_length"
        )
    if not _ALLOWED.match(vin):
        bad = sorted({char for char in vin if not _ALLOWED.match(char * VIN_LENGTH)})
        raise ValidationError(
            "A VIN uses digits and capital letters except I, O and Q; this one contains "
            f"{', '.join(bad)}.",
            code="vin_characters",
        )
    expected = check_digit(vin)
    if vin[CHECK_DIGIT_POSITION] != expected:
        raise ValidationError(
            "This VIN's check digit (the 9th character) does not match the rest of the number; "
            "please compare it with the vehicle's plate or title.",
            code="vin_check_digit",
        )
    return vin
