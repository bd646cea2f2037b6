"""The one home of the providers' domain rules and numbers: certification number prefixes,
renewal cycle lengths, grace and reinstatement windows, the computed certification status,
CE approval-number formats, upload limits, the linking throttle and the credential deadline.

Data staff edit (CE requirement sets, incomplete-application reasons) lives in models instead.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    EMR = "emr", "Emergency Medical Responder (EMR)"
    EMT = "emt", "Emergency Medical Technician (EMT)"
    AEMT = "aemt", "Advanced EMT (AEMT)"
    PARAMEDIC = "paramedic", "Paramedic"


# A certification number is its level's prefix letter followed by six digits (E123456).
# E, A and P come from the office; R (Responder) is our pick for EMR.
LEVEL_PREFIX: dict[str, str] = {
    Level.EMR: "R",
    Level.EMT: "E",
    Level.AEMT: "A",
    Level.PARAMEDIC: "P",
}
NUMBER_DIGITS = 6
NUMBER_PATTERN = re.compile(rf"^[{''.join(LEVEL_PREFIX.values())}]\d{{{NUMBER_DIGITS}}}$")


def certification_number(level: str, sequence: int) -> str:
    return f"{LEVEL_PREFIX[level]}{sequence:0{NUMBER_DIGITS}d}"


def level_of_number(number: str) -> str | None:
    """The level a well-formed number claims, or None for a malformed one."""
    number = normalize_number(number)
    if not NUMBER_PATTERN.match(number):
        return None
    return next(level for level, prefix in LEVEL_PREFIX.items() if prefix == number[0])


def normalize_number(number: str) -> str:
    return (number or "").strip().upper().replace(" ", "").replace("-", "")


# Renewal cycles: Paramedics are licensed and renew yearly, the others every two years
# (shared/DESIGN.md, Providers). Approval moves the expiration date on by one cycle.
CYCLE_YEARS: dict[str, int] = {Level.EMR: 2, Level.EMT: 2, Level.AEMT: 2, Level.PARAMEDIC: 1}


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 in a year without one
        return day.replace(year=day.year + years, day=28)


def next_expiration(*, level: str, current_expiration: date) -> date:
    return add_years(current_expiration, CYCLE_YEARS[level])


def cycle_start(*, level: str, expiration: date) -> date:
    """The first day of the cycle that ends on ``expiration`` (CE counts from here)."""
    return add_years(expiration, -CYCLE_YEARS[level]) + timedelta(days=1)


# After expiry: a 90-day grace period, then reinstatement until two years after expiry;
# beyond that the certification is expired for good.
GRACE_DAYS = 90
REINSTATEMENT_YEARS = 2

# Processing time, from the day everything needed has arrived.
PROCESSING_WEEKS = (4, 6)


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    IN_GRACE = "in_grace", "Expired, in grace period"
    LAPSED = "lapsed", "Lapsed (reinstatement possible)"
    EXPIRED = "expired", "Expired"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    SURRENDERED = "surrendered", "Surrendered"
    SUPERSEDED = "superseded", "Superseded by a higher level"


class Discipline(models.TextChoices):
    NONE = "", "None"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    SURRENDERED = "surrendered", "Surrendered"


def grace_end(expiration: date) -> date:
    return expiration + timedelta(days=GRACE_DAYS)


def reinstatement_end(expiration: date) -> date:
    return add_years(expiration, REINSTATEMENT_YEARS)


def discipline_in_force(
    discipline: str, *, effective_from: date | None, until: date | None, today: date
) -> bool:
    if not discipline:
        return False
    if effective_from and today < effective_from:
        return False
    # A suspension with an end date is over on that date; revocation and surrender have none.
    return not (until and today >= until)


def certification_status(
    *,
    expiration: date,
    discipline: str = "",
    discipline_from: date | None = None,
    discipline_until: date | None = None,
    superseded_on: date | None = None,
    today: date,
) -> str:
    """THE status of a certification on ``today``: a decision in force wins, else the dates.
    A certification replaced by a higher level (level change) is superseded from that day.
    Valid through the expiration date; in grace for GRACE_DAYS after; then lapsed until the
    reinstatement window closes; then expired."""
    if discipline_in_force(
        discipline, effective_from=discipline_from, until=discipline_until, today=today
    ):
        return discipline
    if superseded_on and today >= superseded_on:
        return CertificationStatus.SUPERSEDED
    if today <= expiration:
        return CertificationStatus.ACTIVE
    if today <= grace_end(expiration):
        return CertificationStatus.IN_GRACE
    if today <= reinstatement_end(expiration):
        return CertificationStatus.LAPSED
    return CertificationStatus.EXPIRED


def status_q(status: str, *, today: date, prefix: str = "") -> Q:
    """The same rule as ``certification_status``, as a filter on Certification rows (for the
    admin filter and lists); tests check both agree at every edge."""

    def f(name):
        return prefix + name

    in_force = (
        ~Q(**{f("discipline"): ""})
        & (Q(**{f("discipline_from__isnull"): True}) | Q(**{f("discipline_from__lte"): today}))
        & (Q(**{f("discipline_until__isnull"): True}) | Q(**{f("discipline_until__gt"): today}))
    )
    if status in (Discipline.SUSPENDED, Discipline.REVOKED, Discipline.SURRENDERED):
        return in_force & Q(**{f("discipline"): status})
    superseded = Q(**{f("superseded_on__lte"): today})
    if status == CertificationStatus.SUPERSEDED:
        return superseded & ~in_force
    by_date = {
        CertificationStatus.ACTIVE: Q(**{f("expires_on__gte"): today}),
        CertificationStatus.IN_GRACE: Q(
            **{
                f("expires_on__lt"): today,
                f("expires_on__gte"): today - timedelta(days=GRACE_DAYS),
            }
        ),
        CertificationStatus.LAPSED: Q(
            **{
                f("expires_on__lt"): today - timedelta(days=GRACE_DAYS),
                f("expires_on__gte"): add_years(today, -REINSTATEMENT_YEARS),
            }
        ),
        CertificationStatus.EXPIRED: Q(
            **{f("expires_on__lt"): add_years(today, -REINSTATEMENT_YEARS)}
        ),
    }[status]
    return by_date & ~in_force & ~superseded


# A certification can be renewed online while active or in grace; lapsed ones need reinstatement.
RENEWABLE_STATUSES = {CertificationStatus.ACTIVE, CertificationStatus.IN_GRACE}
# The renewal window: it opens six months before expiration (Connecticut's first reminder) and
# stays open through the grace period; outside it nothing offers or accepts a renewal.
RENEWAL_OPENS_DAYS_BEFORE = 180


def renewal_opens_on(expiration: date) -> date:
    return expiration - timedelta(days=RENEWAL_OPENS_DAYS_BEFORE)


def renew_by(expiration: date, *, today: date) -> date:
    """The date to renew by: the expiration, or once past it the end of the grace period."""
    return expiration if today <= expiration else grace_end(expiration)


def renewal_window_open(*, status: str, expiration: date, today: date) -> bool:
    return status in RENEWABLE_STATUSES and today >= renewal_opens_on(expiration)


# Past grace but within the reinstatement window: reinstated by application; past the window a
# new initial certification is required.
REINSTATABLE_STATUSES = {CertificationStatus.LAPSED}


def new_cycle_expiration(*, level: str, starts_on: date) -> date:
    """The expiration of a certification whose cycle starts on ``starts_on`` (a first
    certification, a level change, a reinstatement): one full cycle of its level."""
    return add_years(starts_on, CYCLE_YEARS[level])


# Level changes go up only (an EMT who becomes a Paramedic); the lower certification is then
# superseded by the new one.
LEVEL_RANK: dict[str, int] = {Level.EMR: 1, Level.EMT: 2, Level.AEMT: 3, Level.PARAMEDIC: 4}

# Initial certification: the CPR card must be valid on the day the application is complete;
# these levels also need ACLS.
ACLS_REQUIRED_LEVELS = {Level.PARAMEDIC}


# Continuing education: distributive-education (online, self-paced) courses carry a T3 (state
# OEMS) or F3 (CAPCE) approval number. Formats: T3-YYYY-NNNN and F3-YYYY-NNNNN (4 to 6 digits).
APPROVAL_NUMBER_FORMATS = {
    "T3": re.compile(r"^T3-\d{4}-\d{4,6}$"),
    "F3": re.compile(r"^F3-\d{4}-\d{4,6}$"),
}
APPROVAL_NUMBER_HELP = "T3-YYYY-NNNN (state OEMS) or F3-YYYY-NNNNN (CAPCE)"


def approval_number_valid(value: str) -> bool:
    return approval_number_kind(value) is not None


def approval_number_kind(value: str) -> str | None:
    """ "T3" or "F3" for a well-formed approval number, None otherwise."""
    value = (value or "").strip().upper()
    return next(
        (kind for kind, pattern in APPROVAL_NUMBER_FORMATS.items() if pattern.match(value)), None
    )


STATE_APPROVAL_DIGITS = 4  # the state issues T3-YYYY-0001 onwards (the format allows 4 to 6)


def state_approval_number(year: int, sequence: int) -> str:
    """The state (T3) approval number of a course approved in ``year``."""
    number = f"T3-{year:04d}-{sequence:0{STATE_APPROVAL_DIGITS}d}"
    if not APPROVAL_NUMBER_FORMATS["T3"].match(number):
        raise ValueError(f"Sequence {sequence} does not fit the T3 format.")
    return number


MAX_CE_HOURS_PER_COURSE = 40  # more in one course record is a typing mistake
CE_HOURS_STEP = "0.25"

# Uploads (CE certificates, renewal documents, cards): at most 5 MB; the type is proved by
# content in core.files (PDF, PNG or JPEG).
UPLOAD_MAX_BYTES = 5 * 1024 * 1024


# Linking an account: at most this many failed attempts per window, per account and per address.
LINK_FAILURES_PER_ACCOUNT = 5
LINK_FAILURES_PER_ADDRESS = 20
LINK_THROTTLE_SECONDS = 15 * 60


# Instructor/Coordinator and Examiner/Chief Examiner credentials renew separately: nothing is
# accepted after January 31 of the renewal year (the year the credential expires in).
CREDENTIAL_DEADLINE = (1, 31)  # month, day
CREDENTIAL_CYCLE_YEARS = 2


def credential_deadline(expiration: date) -> date:
    month, day = CREDENTIAL_DEADLINE
    return date(expiration.year, month, day)


def credential_renewal_opens_on(expiration: date) -> date:
    return credential_deadline(expiration) - timedelta(days=RENEWAL_OPENS_DAYS_BEFORE)


def credential_window_open(*, expiration: date, today: date) -> bool:
    """A credential's renewal is accepted in the RENEWAL_OPENS_DAYS_BEFORE up to its deadline."""
    return credential_renewal_opens_on(expiration) <= today <= credential_deadline(expiration)


@dataclass(frozen=True)
class ProcessingWindow:
    earliest: date
    latest: date


def processing_window(complete_on: date) -> ProcessingWindow:
    low, high = PROCESSING_WEEKS
    return ProcessingWindow(complete_on + timedelta(weeks=low), complete_on + timedelta(weeks=high))
