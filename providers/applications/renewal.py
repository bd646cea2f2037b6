"""Renewal of a certification (two steps, as in the seed: Step A at the national registry, then
the state application with its fee). What is its own: the four-step draft, what "complete"
means, what approval does (the new expiration date on the state record, credentials waiting on
it become decidable, the card), its emails. The review steps are the one lifecycle in
``flow``; the names below are kept for callers."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit
from payments.models import FeeCode

from .. import rules, selectors
from ..ce import upload_check
from ..contact.services import provider_contact_update
from ..credentials import credential_renewal_mark_ready
from ..models import (
    OPEN_APPLICATION_STATUSES,
    RENEWAL_STEPS,
    Certification,
    CredentialRenewal,
    CredentialRenewalStatus,
    RenewalApplication,
    RenewalDocument,
    RenewalStep,
)
from . import emails, flow

RENEWAL_CONTACT_FIELDS = ["email", "phone", "address_line1", "city", "state", "postal_code"]


@transaction.atomic
def renewal_start(*, certification: Certification, user) -> RenewalApplication:
    """The open application of this certification, or a new draft. Only the linked account
    may start one, and only while the certification is renewable online."""
    if certification.provider.user_id != user.pk:
        raise DomainError("This certification is not linked to your account.")
    existing = certification.renewal_applications.filter(
        status__in=OPEN_APPLICATION_STATUSES
    ).first()
    if existing:
        return existing
    status = certification.status
    if status not in rules.RENEWABLE_STATUSES:
        raise DomainError(
            f"This certification is {rules.CertificationStatus(status).label.lower()}; it cannot "
            "be renewed online. Contact the office about reinstatement."
        )
    today = timezone.localdate()
    if not rules.renewal_window_open(
        status=status, expiration=certification.expires_on, today=today
    ):
        raise DomainError(
            "The renewal of this certification opens on "
            f"{rules.renewal_opens_on(certification.expires_on):%B %-d, %Y}."
        )
    provider = certification.provider
    application = RenewalApplication(
        certification=certification,
        applicant=user,
        nremt_number=provider.nremt_number,
        email=provider.email or user.email,
        phone=provider.phone,
        address_line1=provider.address_line1,
        city=provider.city,
        state=provider.state,
        postal_code=provider.postal_code,
    )
    return save_with_audit(application, actor=user, reason="Draft started")


def _require_editable(application):
    if not application.is_editable:
        raise DomainError(
            f"This application is {application.get_status_display().lower()} and can no "
            "longer be changed."
        )


def _next_step(step: str) -> str:
    index = RENEWAL_STEPS.index(step)
    return RENEWAL_STEPS[min(index + 1, len(RENEWAL_STEPS) - 1)]


@transaction.atomic
def renewal_save_step(
    *, application: RenewalApplication, actor, step: str, data: dict
) -> RenewalApplication:
    """Save one step of the draft (what was typed is kept) and move on to the next step."""
    application = locked(application)
    _require_editable(application)
    provider = application.certification.provider
    fields = []
    if step == RenewalStep.NREMT:
        application.nremt_number = data["nremt_number"].strip()
        fields.append("nremt_number")
        if data.get("nremt_attest"):
            if not application.nremt_attested_at:
                application.nremt_attested_at = timezone.now()
        else:
            application.nremt_attested_at = None
        fields.append("nremt_attested_at")
        if application.nremt_number and provider.nremt_number != application.nremt_number:
            provider.nremt_number = application.nremt_number
            save_with_audit(
                provider, actor=actor, reason="NREMT number", update_fields=["nremt_number"]
            )
    elif step == RenewalStep.DETAILS:
        # The record's contact details are the ones every email uses: the same service as the
        # contact page (one audited change, an address of someone else's refused).
        contact = {name: data.get(name, "") for name in RENEWAL_CONTACT_FIELDS}
        provider = provider_contact_update(
            provider=provider,
            actor=actor,
            reason=f"Contact details updated with renewal of {application.certification.number}",
            **contact,
        )
        for name in RENEWAL_CONTACT_FIELDS:
            setattr(application, name, getattr(provider, name))
        fields += RENEWAL_CONTACT_FIELDS
    elif step == RenewalStep.CE:
        progress = selectors.ce_progress(application.certification)
        application.ce_records.set(progress.records)
    elif step == RenewalStep.ATTEST:
        application.attestation_name = flow.signature_of(provider, data.get("attestation_name"))
        application.attested_at = timezone.now()
        fields += ["attestation_name", "attested_at"]
    else:
        raise DomainError("Unknown step.")
    application.step = _next_step(step)
    fields.append("step")
    fields.append("updated_at")
    return save_with_audit(
        application, actor=actor, reason=f"Saved: {RenewalStep(step).label}", update_fields=fields
    )


def renewal_missing(application: RenewalApplication) -> dict[str, str]:
    """What the application still needs before its fee and submission, by form field."""
    missing = {}
    if not application.nremt_number:
        missing["nremt_number"] = "Enter your NREMT number (Step A)."
    if not application.nremt_attested_at:
        missing["nremt_attest"] = "Attest that your national recertification is submitted."
    if not (application.address_line1 and application.city and application.postal_code):
        missing["address_line1"] = "Enter your mailing address."
    return {**missing, **flow.ce_and_signature_missing(application)}


def _renewal_approve(application: RenewalApplication, *, actor) -> flow.Approval:
    """The state record gets the new expiration date (the truth that verification shows), and
    credentials waiting on this certification become decidable."""
    approval = flow.new_expiration_approval(
        application,
        actor=actor,
        reason=f"Renewed (application {application.pk})",
        expires_on=lambda certification: rules.next_expiration(
            level=certification.level, current_expiration=certification.expires_on
        ),
        card=True,
    )
    for renewal in CredentialRenewal.objects.filter(
        credential__underlying=application.certification,
        status=CredentialRenewalStatus.PENDING_UNDERLYING,
    ):
        credential_renewal_mark_ready(renewal=renewal, actor=actor)
    return approval


def _fee_description(application: RenewalApplication) -> str:
    certification = application.certification
    return f"Renewal of {certification.get_level_display()} {certification.number}"


KIND = flow.register(
    flow.ApplicationKind(
        model=RenewalApplication,
        missing=renewal_missing,
        fee_code=FeeCode.PROVIDER_RENEWAL,
        fee_description=_fee_description,
        approve=_renewal_approve,
        emails=flow.Emails(
            received=emails.send_renewal_received,
            returned=emails.send_renewal_returned,
            approved=emails.send_renewal_approved,
            denied=emails.send_renewal_denied,
        ),
        fee_name="renewal fee",
        denial_reader="provider",
        return_changes={"step": RenewalStep.NREMT},
    )
)

# The review steps: the one lifecycle (flow), under the names callers use.
renewal_request_fee = flow.application_request_fee
renewal_mark_paid = flow.application_mark_paid
renewal_put_on_hold = flow.application_put_on_hold
renewal_submit = flow.application_submit
renewal_resubmit = flow.application_resubmit
renewal_start_review = flow.application_start_review
renewal_return_incomplete = flow.application_return_incomplete
renewal_approve = flow.application_approve
renewal_deny = flow.application_deny


@transaction.atomic
def renewal_mark_nremt_verified(*, application: RenewalApplication, actor) -> RenewalApplication:
    application = locked(application)
    if application.nremt_verified_at:
        return application
    if not application.nremt_attested_at:
        raise DomainError("The applicant has not attested Step A yet.")
    application.nremt_verified_at = timezone.now()
    application.nremt_verified_by = actor
    return save_with_audit(
        application,
        actor=actor,
        reason="NREMT Step A verified",
        update_fields=["nremt_verified_at", "nremt_verified_by", "updated_at"],
    )


@transaction.atomic
def renewal_document_add(*, application: RenewalApplication, actor, kind: str, file):
    application = locked(application)
    if application.is_decided:
        raise DomainError("This application is decided.", field="file")
    upload_check(file, field="file")
    document = RenewalDocument(application=application, kind=kind, file=file)
    document.save()
    return document
