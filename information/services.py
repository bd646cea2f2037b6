"""Writes: attestation warnings (claimed once per threshold), nominations and their review."""

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import attach_audit, locked, transition

from . import emails, selectors
from .models import (
    NOMINATION_TRANSITIONS,
    AttestationWarning,
    AwardCategory,
    Nomination,
    NominationStatus,
)

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "information.change_nomination"


# --- Attestation warnings -----------------------------------------------------------------------


def attestation_warnings_claim(*, today: date) -> list[AttestationWarning]:
    """Claim every warning due today, one row per certification, expiry and threshold. A
    warning already claimed (an earlier run, another worker) is skipped by the unique
    constraint, so running this twice claims nothing the second time. Each claim commits on its
    own and queues its email on commit."""
    claimed = []
    for certification in selectors.certifications_needing_warning(today=today):
        days_before = selectors.attestation_warning_due(certification=certification, today=today)
        if days_before is None:
            continue
        try:
            with transaction.atomic():
                warning = AttestationWarning.objects.create(
                    certification=certification,
                    days_before=days_before,
                    expires_on=certification.attestation_expires,
                )
                enqueue_on_commit(
                    "information.tasks.send_attestation_warning", warning.pk, robust=True
                )
        except IntegrityError:
            continue  # another run got there first
        claimed.append(warning)
    return claimed


def attestation_warning_send(*, warning_id: int) -> bool:
    """Email the claimed warning once: ``sent_at`` is set by a conditional update before
    sending and cleared again if sending fails, so a retry sends it and a re-run does not."""
    now = timezone.now()
    if not AttestationWarning.objects.filter(pk=warning_id, sent_at__isnull=True).update(
        sent_at=now
    ):
        return False  # already sent
    warning = AttestationWarning.objects.select_related("certification__hospital").get(
        pk=warning_id
    )
    try:
        emails.send_attestation_warning(warning)
    except Exception:
        AttestationWarning.objects.filter(pk=warning_id, sent_at=now).update(sent_at=None)
        raise
    return True


# --- Nominations --------------------------------------------------------------------------------


def nomination_closed_message(*, today: date) -> str:
    """What the form says outside a nomination period, naming the dates."""
    period = selectors.nearest_period(today=today)
    if period is None:
        return "Nominations are closed: no nomination period has been announced yet."
    opens, closes = (f"{day:%B} {day.day}, {day.year}" for day in (period.opens, period.closes))
    if period.opens > today:
        return (
            f"Nominations for the {period.year} EMS Council Awards are not open yet: "
            f"they open on {opens} and close on {closes}."
        )
    return (
        f"Nominations for the {period.year} EMS Council Awards are closed: "
        f"they were accepted from {opens} to {closes}."
    )


@transaction.atomic
def nomination_submit(
    *,
    category: AwardCategory,
    nominee_name: str,
    nominee_affiliation: str = "",
    nominator_name: str,
    nominator_email: str,
    nominator_phone: str = "",
    narrative: str,
    attachment=None,
    submission_token=None,
    today: date | None = None,
) -> Nomination:
    """Record a public nomination during the open period and email the nominator a receipt.
    The same submission token twice (a double click) returns the first nomination."""
    if submission_token is not None:
        existing = Nomination.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    today = today or timezone.localdate()
    period = selectors.open_period(today=today)
    if period is None:
        raise DomainError(nomination_closed_message(today=today), code="closed")
    if not category.is_active:
        raise DomainError(f"The {category.name} award takes no nominations this year.")
    nomination = Nomination(
        period=period,
        category=category,
        nominee_name=nominee_name.strip(),
        nominee_affiliation=nominee_affiliation.strip(),
        nominator_name=nominator_name.strip(),
        nominator_email=nominator_email.strip(),
        nominator_phone=nominator_phone.strip(),
        narrative=narrative.strip(),
    )
    if submission_token is not None:
        nomination.submission_token = submission_token
    if attachment:
        nomination.attachment = attachment
    attach_audit(nomination, reason="Nomination received")
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        # The same token raced in from a second request: that one won.
        return Nomination.objects.get(submission_token=submission_token)
    enqueue_on_commit("information.tasks.send_nomination_receipt", nomination.pk)
    return nomination


def _review(*, nomination: Nomination, actor, target: str, note: str) -> Nomination:
    if not actor.has_perm(REVIEW_PERMISSION):
        raise DomainError("Only award reviewers (supervisors) may decide nominations.")
    nomination = locked(nomination)
    if nomination.status == target:
        return nomination
    decided = target in (NominationStatus.RECIPIENT, NominationStatus.NOT_SELECTED)
    transition(
        nomination,
        allowed=NOMINATION_TRANSITIONS,
        target=target,
        actor=actor,
        reason=note,
        changes={"decided_at": timezone.now()} if decided else None,
    )
    return nomination


@transaction.atomic
def nomination_shortlist(*, nomination: Nomination, actor, note: str = "") -> Nomination:
    return _review(
        nomination=nomination, actor=actor, target=NominationStatus.SHORTLISTED, note=note
    )


@transaction.atomic
def nomination_select_recipient(*, nomination: Nomination, actor, note: str = "") -> Nomination:
    """Record the nominee as the year's recipient: listed publicly from now on."""
    return _review(nomination=nomination, actor=actor, target=NominationStatus.RECIPIENT, note=note)


@transaction.atomic
def nomination_not_select(*, nomination: Nomination, actor, note: str = "") -> Nomination:
    return _review(
        nomination=nomination, actor=actor, target=NominationStatus.NOT_SELECTED, note=note
    )
