"""The one home of the complaints' rules and numbers: the tracking-number format, the deadline
of each stage, what each outcome does to a certification or an organization, upload limits and
the public form's flood limit."""

from datetime import date, timedelta

from django.db import models

# --- Tracking numbers ---------------------------------------------------------------------------

TRACKING_PREFIX = "C"
TRACKING_DIGITS = 6


def tracking_number(year: int, sequence: int) -> str:
    """C-2026-000123: the year filed and that year's sequence."""
    return f"{TRACKING_PREFIX}-{year}-{sequence:0{TRACKING_DIGITS}d}"


# --- Stages, outcomes ---------------------------------------------------------------------------


class Stage(models.TextChoices):
    RECEIVED = "received", "Received"
    TRIAGED = "triaged", "Triaged"
    ASSIGNED = "assigned", "Assigned to an investigator"
    INVESTIGATING = "investigating", "Under investigation"
    REFERRED = "referred", "Referred for legal action"
    CLOSED = "closed", "Closed"


# The allowed moves; each one has its service in services.py.
STAGE_TRANSITIONS = {
    Stage.RECEIVED: {Stage.TRIAGED, Stage.CLOSED},  # closed = triaged as no jurisdiction
    Stage.TRIAGED: {Stage.ASSIGNED},
    Stage.ASSIGNED: {Stage.ASSIGNED, Stage.INVESTIGATING},  # reassignment
    Stage.INVESTIGATING: {Stage.REFERRED, Stage.CLOSED},
    Stage.REFERRED: {Stage.CLOSED},
    Stage.CLOSED: set(),
}

OPEN_STAGES = [stage for stage in Stage.values if stage != Stage.CLOSED]

# Days each stage may take before the complaint is overdue (from the day it entered the stage).
STAGE_DEADLINE_DAYS = {
    Stage.RECEIVED: 10,  # triage
    Stage.TRIAGED: 5,  # assignment
    Stage.ASSIGNED: 10,  # the investigator opens the investigation
    Stage.INVESTIGATING: 90,
    Stage.REFERRED: 180,  # legal action
}


def stage_due_on(stage: str, *, entered_on: date) -> date | None:
    """The day a complaint that entered ``stage`` on ``entered_on`` is due (None: no deadline,
    as for a closed complaint)."""
    days = STAGE_DEADLINE_DAYS.get(stage)
    return entered_on + timedelta(days=days) if days else None


class Category(models.TextChoices):
    STANDARD_OF_CARE = "standard_of_care", "Standard of care"
    REGULATORY = "regulatory", "Regulatory violation"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    NO_JURISDICTION = "no_jurisdiction", "No jurisdiction"
    DISMISSED = "dismissed", "Dismissed"
    NO_VIOLATION = "no_violation", "No violation found"
    REPRIMAND = "reprimand", "Reprimand"
    CENSURE = "censure", "Censure"
    PROBATION = "probation", "Probation"
    PRACTICE_RESTRICTION = "practice_restriction", "Practice restriction"
    CIVIL_PENALTY = "civil_penalty", "Civil penalty"
    SUSPENSION = "suspension", "Suspension"
    REVOCATION = "revocation", "Revocation"
    CONSENT_AGREEMENT = "consent_agreement", "Consent agreement"


# What staff may close an investigated complaint with (no jurisdiction is decided at triage).
CLOSING_OUTCOMES = [outcome for outcome in Outcome if outcome != Outcome.NO_JURISDICTION]


class Effect(models.TextChoices):
    NONE = "", "No change of status"
    SUSPEND = "suspend", "Suspends"
    REVOKE = "revoke", "Revokes"


# What an outcome does to the subject's certification or organization license. A consent
# agreement here is a negotiated suspension: from the effective date until the agreed end date.
OUTCOME_EFFECT = {
    Outcome.SUSPENSION: Effect.SUSPEND,
    Outcome.CONSENT_AGREEMENT: Effect.SUSPEND,
    Outcome.REVOCATION: Effect.REVOKE,
}


def outcome_effect(outcome: str) -> str:
    return OUTCOME_EFFECT.get(outcome, Effect.NONE)


# --- Uploads and the public form ------------------------------------------------------------------

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_FILES = 5
# The type is proved by content in core.files: PDF, PNG or JPEG.

# At most this many complaints from one address per window; more gets a throttle message.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 60 * 60

# The public subject search: shortest query and most results shown.
SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 10
