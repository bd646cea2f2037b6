"""Reinstating a certification past its grace period but within the reinstatement window
(``rules.REINSTATEMENT_YEARS``): CE per the requirement set in effect, a signed attestation and
the reinstatement fee, reviewed like a renewal. Past the window a new initial certification is
required. What is its own: eligibility, the signed draft and what "complete" means, its fee,
what approval does (a new full cycle from today), its emails; the review steps are the one
lifecycle in ``flow``."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit
from payments.models import FeeCode

from .. import rules, selectors
from ..models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    Certification,
    ReinstatementApplication,
)
from . import emails, flow

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
    typed = flow.signature_of(application.certification.provider, attestation_name)
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
    return {**missing, **flow.ce_and_signature_missing(application)}


def _reinstatement_approve(
    application: ReinstatementApplication, *, actor, today: date | None = None
) -> flow.Approval:
    """The certification starts a new full cycle today (the state record, which verification
    shows, is active again)."""
    starts_on = today or timezone.localdate()
    return flow.new_expiration_approval(
        application,
        actor=actor,
        reason=f"Reinstated (application {application.pk})",
        expires_on=lambda certification: rules.new_cycle_expiration(
            level=certification.level, starts_on=starts_on
        ),
    )


def _fee_description(application: ReinstatementApplication) -> str:
    certification = application.certification
    return f"Reinstatement of {certification.get_level_display()} {certification.number}"


KIND = flow.register(
    flow.ApplicationKind(
        model=ReinstatementApplication,
        missing=reinstatement_missing,
        fee_code=FeeCode.PROVIDER_REINSTATEMENT,
        fee_description=_fee_description,
        approve=_reinstatement_approve,
        emails=flow.Emails(
            received=emails.send_reinstatement_received,
            returned=emails.send_reinstatement_returned,
            approved=emails.send_reinstatement_approved,
            denied=emails.send_reinstatement_denied,
        ),
    )
)

# The review steps: the one lifecycle (flow), under the names callers use.
reinstatement_request_fee = flow.application_request_fee
reinstatement_mark_paid = flow.application_mark_paid
reinstatement_put_on_hold = flow.application_put_on_hold
reinstatement_submit = flow.application_submit
reinstatement_resubmit = flow.application_resubmit
reinstatement_start_review = flow.application_start_review
reinstatement_return_incomplete = flow.application_return_incomplete
reinstatement_approve = flow.application_approve
reinstatement_deny = flow.application_deny
