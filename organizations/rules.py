"""The one home of the organizations domain's dates and numbers: business days, the chief of
service report deadline, renewal due dates, organization numbers and account-linking PINs."""

from datetime import date, timedelta
from functools import cache

import holidays

# A change of chief of service must be reported in writing within ten business days
# (shared/DESIGN.md, Organizations; the office's "change in leadership" notice).
CHIEF_CHANGE_REPORT_BUSINESS_DAYS = 10

# Organizations renew every year: a license by December 31, a certificate by the end of the
# quarter the office assigned to it.
RENEWAL_CYCLE_YEARS = 1
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}

# Number prefixes by kind of service (AMB- ambulance, EFR- first responder).
NUMBER_PREFIX = {"ambulance": "AMB-", "first_responder": "EFR-"}

# Account-linking PINs: six digits, emailed, valid for 30 minutes, single use, five tries.
PIN_DIGITS = 6
PIN_VALID_MINUTES = 30
PIN_MAX_ATTEMPTS = 5
# PIN requests (each one emails the organization): at most this many per organization and per
# client address in a window, so nobody can flood an organization's inbox or sweep numbers.
PIN_REQUESTS_PER_ORGANIZATION = 5
PIN_REQUESTS_PER_ADDRESS = 10
PIN_REQUEST_WINDOW_SECONDS = 60 * 60

# An organization whose renewal is due within this many days shows as "due soon" to staff.
RENEWAL_DUE_SOON_DAYS = 90


@cache
def _state_holidays(year: int):
    # Connecticut state holidays (Lincoln's Birthday, Good Friday, ... and the observed days).
    return holidays.US(subdiv="CT", years=year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _state_holidays(day.year)


def add_business_days(start: date, count: int) -> date:
    """The ``count``-th business day after ``start`` (``start`` itself never counts)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def chief_change_due_date(effective_date: date) -> date:
    return add_business_days(effective_date, CHIEF_CHANGE_REPORT_BUSINESS_DAYS)


def renewal_due_date(*, credential_type: str, quarter: int | None, year: int) -> date:
    """Licenses renew by December 31; certificates by the end of their assigned quarter."""
    if credential_type == "license":
        return date(year, 12, 31)
    if quarter not in QUARTER_END:
        raise ValueError("A certificate needs an assigned renewal quarter (1 to 4).")
    month, day = QUARTER_END[quarter]
    return date(year, month, day)


def next_renewal_due_date(
    *, credential_type: str, quarter: int | None, current: date | None, today: date
) -> date:
    """The due date after a renewal is approved: one cycle after the current one (or, for an
    organization without one yet, the first due date on or after today)."""
    if current is not None:
        return renewal_due_date(
            credential_type=credential_type,
            quarter=quarter,
            year=current.year + RENEWAL_CYCLE_YEARS,
        )
    due = renewal_due_date(credential_type=credential_type, quarter=quarter, year=today.year)
    if due < today:
        due = renewal_due_date(
            credential_type=credential_type, quarter=quarter, year=today.year + 1
        )
    return due


def credential_type_for(ownership: str) -> str:
    """Commercial services hold a license; volunteer, municipal and state-agency ones a
    certificate."""
    return "license" if ownership == "commercial" else "certificate"


def organization_number(*, kind: str, sequence: int) -> str:
    return f"{NUMBER_PREFIX[kind]}{sequence:04d}"
