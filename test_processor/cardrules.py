"""The one home of card and bank-account number rules: Luhn, card brands, the ABA routing-number
checksum, expiry. Used by the test processor's hosted page; the portal itself never sees a number."""

import re
from datetime import date

DIGITS = re.compile(r"^\d+$")

# Leading digits -> brand, longest prefix first where they overlap.
CARD_BRANDS = [
    ("American Express", ("34", "37"), (15,)),
    (
        "Mastercard",
        tuple(str(n) for n in range(51, 56)) + tuple(str(n) for n in range(2221, 2721)),
        (16,),
    ),
    ("Discover", ("6011", "65") + tuple(str(n) for n in range(644, 650)), (16, 19)),
    ("Visa", ("4",), (13, 16, 19)),
]


def digits_only(value: str) -> str:
    """Strip the spaces and dashes people type between groups."""
    return re.sub(r"[\s-]", "", value or "")


def luhn_valid(number: str) -> bool:
    if not DIGITS.match(number or ""):
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def card_brand(number: str) -> str | None:
    """The brand the number's prefix and length belong to, or None."""
    for brand, prefixes, lengths in CARD_BRANDS:
        if len(number) in lengths and number.startswith(prefixes):
            return brand
    return None


def aba_routing_valid(routing_number: str) -> bool:
    """ABA checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10."""
    if not (routing_number and len(routing_number) == 9 and DIGITS.match(routing_number)):
        return False
    d = [int(c) for c in routing_number]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0


def parse_expiry(value: str) -> tuple[int, int] | None:
    """'MM/YY' or 'MM/YYYY' -> (month, four-digit year), or None when malformed."""
    match = re.match(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$", value or "")
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return month, year + 2000 if year < 100 else year


def expired(month: int, year: int, *, today: date) -> bool:
    """A card is good through the last day of its expiry month."""
    return (year, month) < (today.year, today.month)
