"""Reinstating a certification past its grace period but within the reinstatement window
(``rules.REINSTATEMENT_YEARS``): CE per the requirement set in effect, a signed attestation and
the reinstatement fee, reviewed like a renewal. Past the window a new initial certification is
required. One service per transition."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import check_transition, locked, save_with_audit, transition

from . import application_emails as emails
from . import application_flow as flow
from . import rules, selectors
from .models import (
    APPLICATION_TRANSITIONS,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    Certification,
    ReinstatementApplication,
)

S = rules.CertificationStatus


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    status: str
    message: str
    initial_required: bool = False
    window_ends: date | None = None


def reinstatement_eligibility(certification: Certification, *, today: date | None = None):
    """Whether ``certification`` can be reinstated on ``today``, with a message saying why not."""
    today = today or timezone.localdate()
    status = certification.status_on(today)
    window_ends = rules.reinstatement_end(certification.expires_on)
    if status in rules.REINSTATABLE_STATUSES:
        return Eligibility(
            True,
            status,
            f"This certification can be reinstated until {window_ends:%B %-d, %Y}.",
            window_ends=window_ends,
        )
    if status == S.EXPIRED:
        return Eligibility(
            False,
            status,
            f"The reinstatement window closed on {window_ends:%B %-d, %Y}. A new initial "
            "certification is required.",
            initial_required=True,
            window_ends=window_ends,
        )
    if status in rules.RENEWABLE_STATUSES:
        return Eligibility(
            False, status, "This certification is still renewable: renew it instead."
        )
    return Eligibility(
        False,
        status,
        f"This certification is {S(status).label.lower()}; contact the office.",
    )


def _require_eligible(certification, *, today=None):
    eligibility = reinstatement_eligibility(certification, today=today)
    if not eligibility.eligible:
        raise DomainError(eligibility.message, code="not_reinstatable")


@transaction.atomic
def reinstatement_start(
    *, certification: Certification, user, today: date | None = None
) -> ReinstatementApplication:
    """The open reinstatement of this certification, or a new draft; only its linked account,
    only inside the reinstatement window."""
    if certification.provider.user_id != user.pk:
        raise DomainError("This certification is not linked to your account.")
    existing = certification.reinstatement_applications.filter(
        status__in=OPEN_APPLICATION_STATUSES
    ).first()
    if existing:
        return existing
    _require_eligible(certification, today=today)
    application = ReinstatementApplication(certification=certification, applicant=user)
    return save_with_audit(application, actor=user, reason="Draft started")


@transaction.atomic
def reinstatement_sign(
    *, application: ReinstatementApplication, actor, attestation_name: str
) -> ReinstatementApplication:
    """Attach the CE of the cycle and sign the attestation with the typed name."""
    application = locked(application)
    if not application.is_editable:
        raise DomainError("This application can no longer be changed.")
    provider = application.certification.provider
    typed = " ".join((attestation_name or "").split())
    names = {provider.full_name.lower(), f"{provider.first_name} {provider.last_name}".lower()}
    if typed.lower() not in names:
        raise DomainError(
            f"Type your name as it is on your certification: {provider.full_name}.",
            field="attestation_name",
        )
    application.ce_records.set(selectors.ce_progress(application.certification).records)
    application.attestation_name = typed
    application.attested_at = timezone.now()
    return save_with_audit(
        application,
        actor=actor,
        reason="Signed",
        update_fields=["attestation_name", "attested_at", "updated_at"],
    )


def reinstatement_missing(application: ReinstatementApplication) -> dict[str, str]:
    missing = {}
    eligibility = reinstatement_eligibility(application.certification)
    if not eligibility.eligible and application.status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.FEE_DUE,
    ):
        missing["certification"] = eligibility.message
    progress = selectors.ce_progress(application.certification)
    if not progress.complete:
        missing["ce"] = (
            f"Your continuing education is not complete: {progress.remaining_summary}. "
            "Record the missing hours first."
        )
    if not application.attested_at:
        missing["attestation_name"] = "Sign the attestation by typing your name."
    return missing


@transaction.atomic
def reinstatement_request_fee(*, application: ReinstatementApplication, actor):
    from payments.models import FeeCode

    certification = application.certification
    return flow.request_fee(
        application,
        actor=actor,
        missing=reinstatement_missing,
        fee_code=FeeCode.PROVIDER_REINSTATEMENT,
        description=f"Reinstatement of {certification.get_level_display()} {certification.number}",
        payer=application.applicant,
    )


@transaction.atomic
def reinstatement_mark_paid(*, application: ReinstatementApplication, actor=None):
    return flow.mark_paid(application, actor=actor)


@transaction.atomic
def reinstatement_put_on_hold(
    *, application: ReinstatementApplication, actor=None, reason="Payment returned"
):
    return flow.put_on_hold(application, actor=actor, reason=reason)


@transaction.atomic
def reinstatement_submit(*, application: ReinstatementApplication, actor):
    return flow.submit(
        application,
        actor=actor,
        missing=reinstatement_missing,
        on_done=emails.send_reinstatement_received,
    )


@transaction.atomic
def reinstatement_resubmit(*, application: ReinstatementApplication, actor):
    return flow.resubmit(
        application,
        actor=actor,
        missing=reinstatement_missing,
        on_done=emails.send_reinstatement_received,
    )


@transaction.atomic
def reinstatement_start_review(*, application: ReinstatementApplication, actor, note: str = ""):
    return flow.start_review(application, actor=actor, note=note)


@transaction.atomic
def reinstatement_return_incomplete(
    *, application: ReinstatementApplication, actor, reasons, note: str = ""
):
    return flow.return_incomplete(
        application,
        actor=actor,
        reasons=reasons,
        note=note,
        on_done=emails.send_reinstatement_returned,
    )


@transaction.atomic
def reinstatement_deny(*, application: ReinstatementApplication, actor, note: str):
    return flow.deny(application, actor=actor, note=note, on_done=emails.send_reinstatement_denied)


@transaction.atomic
def reinstatement_approve(
    *, application: ReinstatementApplication, actor, note: str = "", today: date | None = None
) -> ReinstatementApplication:
    """In review → approved: the certification starts a new full cycle today (the state record,
    which verification shows, is active again)."""
    application = locked(application)
    if application.status == ApplicationStatus.APPROVED:
        return application
    check_transition(
        APPLICATION_TRANSITIONS,
        current=application.status,
        target=ApplicationStatus.APPROVED,
        label_of=lambda value: ApplicationStatus(value).label,
    )
    today = today or timezone.localdate()
    certification = locked(application.certification)
    new_expiration = rules.new_cycle_expiration(level=certification.level, starts_on=today)
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.APPROVED,
        actor=actor,
        reason=note or "Approved",
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor,
            "decision_note": note,
            "previous_expires_on": certification.expires_on,
            "new_expires_on": new_expiration,
        },
    )
    certification.expires_on = new_expiration
    save_with_audit(
        certification,
        actor=actor,
        reason=f"Reinstated (application {application.pk})",
        update_fields=["expires_on", "updated_at"],
    )
    pk = application.pk
    enqueue(emails.send_reinstatement_approved, pk)
    return application
