"""The one home of the rate rules: the CPI cap and what a requested rate may be.

The CPI factor itself is data (``RateYear.cpi_factor``, 4.3% for 2024); the arithmetic that
applies it lives here and nowhere else.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.files import upload_problem

CENT = Decimal("0.01")
MAX_RATE = Decimal("99999999.99")  # what RateFilingLine's DecimalField(10, 2) can hold

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

LONG_FORM_HINT = "ask for more with the Full Rate Application (Long Form)"


def rate_cap(*, prior: Decimal | None, cpi_factor: Decimal) -> Decimal | None:
    """The most the Short Form may ask for a category: last year's approved rate times
    (1 + CPI), rounded to the cent, half a cent rounding up. ``None`` when there is no prior
    rate: a category new to the organization cannot be capped, so it needs the Long Form."""
    if prior is None:
        return None
    return (Decimal(prior) * (Decimal(1) + Decimal(cpi_factor))).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def parse_rate(value) -> Decimal | None:
    """A rate as typed or read from a spreadsheet cell: blank is ``None``; anything that is not
    a non-negative amount in dollars and cents raises ``ValueError`` with the reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    text = str(value).strip().replace("$", "").replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a number") from None
    if not amount.is_finite():
        raise ValueError(f"“{value}” is not a number")
    if amount < 0:
        raise ValueError("a rate cannot be negative")
    if amount > MAX_RATE:
        raise ValueError("that rate is too large")
    # Spreadsheets hand back floats (104.82 arrives as 104.82000000000001): round them to the
    # cent; typed text with more than two decimals is refused rather than silently rounded.
    if isinstance(value, float):
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount != amount.quantize(CENT):
        raise ValueError("use dollars and cents (at most two decimals)")
    return amount.quantize(CENT)


def short_form_problem(
    *, category_name: str, requested: Decimal | None, prior: Decimal | None, cap: Decimal | None
) -> str | None:
    """Why the Short Form cannot ask ``requested`` for this category, or ``None`` if it can."""
    if requested is None:
        return None
    if prior is None:
        return (
            f"{category_name} has no approved rate last year, so it cannot be capped; "
            f"{LONG_FORM_HINT}."
        )
    if requested > cap:
        return (
            f"${requested} is above the cap of ${cap} (last year's ${prior} plus the CPI "
            f"increase); {LONG_FORM_HINT}."
        )
    return None


def attachment_problem(file) -> str | None:
    """Size first (a file dropped while streaming in has its sent size), then the type the
    content proves (core.files: PDF, PNG or JPEG)."""
    if file.size > ATTACHMENT_MAX_BYTES:
        return f"Attachments can be at most {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB."
    return upload_problem(file)
    return None
