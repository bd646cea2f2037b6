"""Initial (first) state certification: a person who passed the national exam applies at a
level; staff review it like a renewal; approval puts the person and the certification on the
state record. What is its own: the draft and what "complete" means, its fee, what approval
does, its emails; the review steps are the one lifecycle in ``flow``."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit
from payments.models import FeeCode

from .. import rules
from ..ce import approval_number_check, upload_check
from ..certifications import certification_issue, provider_create_keyed, provider_find
from ..models import OPEN_APPLICATION_STATUSES, InitialApplication, Provider
from ..ssn import ssn_keyed
from . import emails, flow

IDENTITY_FIELDS = ["first_name", "middle_name", "last_name", "date_of_birth"]
CONTACT_FIELDS = ["email", "phone", "address_line1", "city", "state", "postal_code"]
EDUCATION_FIELDS = ["course_title", "course_approval_number", "course_completed_on"]
EXAM_FIELDS = ["nremt_number", "exam_passed_on"]
CARD_DATE_FIELDS = ["cpr_expires_on", "acls_expires_on"]
TEXT_FIELDS = IDENTITY_FIELDS + CONTACT_FIELDS + EDUCATION_FIELDS + EXAM_FIELDS + CARD_DATE_FIELDS


@transaction.atomic
def initial_start(*, user, level: str) -> InitialApplication:
    """The account's open initial application, or a new draft at ``level``. Someone already on
    the record (a level change) starts with their identity filled in from it."""
    if level not in rules.Level.values:
        raise DomainError("Choose a level.", field="level")
    existing = InitialApplication.objects.filter(
        applicant=user, status__in=OPEN_APPLICATION_STATUSES
    ).first()
    if existing:
        return existing
    application = InitialApplication(applicant=user, level=level, email=user.email)
    provider = Provider.objects.filter(user=user).first()
    if provider is not None:
        for name in IDENTITY_FIELDS + CONTACT_FIELDS + ["nremt_number"]:
            setattr(application, name, getattr(provider, name, "") or getattr(application, name))
        application.ssn_hmac, application.ssn_last4 = provider.ssn_hmac, provider.ssn_last4
    return save_with_audit(application, actor=user, reason="Draft started")


def _past_or_today(value: date | None, *, field: str, what: str) -> None:
    if value and value > timezone.localdate():
        raise DomainError(f"The {what} cannot be in the future.", field=field)


def _cards_valid(application: InitialApplication, *, today: date) -> None:
    if application.cpr_expires_on and application.cpr_expires_on < today:
        raise DomainError(
            f"This CPR card expired on {application.cpr_expires_on:%B %-d, %Y}. Upload a "
            "current card.",
            field="cpr_expires_on",
        )
    if application.acls_expires_on and application.acls_expires_on < today:
        raise DomainError(
            f"This ACLS card expired on {application.acls_expires_on:%B %-d, %Y}. Upload a "
            "current card.",
            field="acls_expires_on",
        )


@transaction.atomic
def initial_save(
    *, application: InitialApplication, actor, data: dict, cpr_card=None, acls_card=None
) -> InitialApplication:
    """Save the draft as typed (blank fields stay blank until the fee step asks for them). A
    typed SSN becomes its keyed hash at once; a blank SSN keeps the one on file. A refused
    value saves nothing, and its message names the field."""
    application = locked(application)
    if not application.is_editable:
        raise DomainError(
            f"This application is {application.get_status_display().lower()} and can no "
            "longer be changed."
        )
    today = timezone.localdate()
    fields = []
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            setattr(application, name, value.strip() if isinstance(value, str) else value)
            fields.append(name)
    application.course_approval_number = application.course_approval_number.upper()
    application.state = application.state.upper()
    if data.get("ssn"):
        application.ssn_hmac, application.ssn_last4 = ssn_keyed(data["ssn"])
        fields += ["ssn_hmac", "ssn_last4"]
    _past_or_today(application.date_of_birth, field="date_of_birth", what="date of birth")
    _past_or_today(application.course_completed_on, field="course_completed_on", what="course date")
    _past_or_today(application.exam_passed_on, field="exam_passed_on", what="exam date")
    approval_number_check(
        application.course_approval_number,
        completed_on=application.course_completed_on,
        field="course_approval_number",
    )
    _cards_valid(application, today=today)
    for name, upload in (("cpr_card", cpr_card), ("acls_card", acls_card)):
        if upload is not None:
            upload_check(upload, field=name)
            setattr(application, name, upload)
            fields += [name, f"{name}_name"]  # the file and the name it had, for display
    if "background_attest" in data:
        if data["background_attest"]:
            application.background_attested_at = (
                application.background_attested_at or timezone.now()
            )
        else:
            application.background_attested_at = None
        fields.append("background_attested_at")
    if data.get("attestation_name"):
        typed = " ".join(data["attestation_name"].split())
        names = {
            application.full_name.lower(),
            f"{application.first_name} {application.last_name}".lower(),
        }
        if not application.first_name or typed.lower() not in names:
            raise DomainError(
                "Type your name as you entered it above"
                + (f": {application.full_name}." if application.full_name else "."),
                field="attestation_name",
            )
        application.attestation_name = typed
        application.attested_at = timezone.now()
        fields += ["attestation_name", "attested_at"]
    return save_with_audit(
        application, actor=actor, reason="Draft saved", update_fields=fields + ["updated_at"]
    )


def initial_missing(application: InitialApplication) -> dict[str, str]:
    """What the application still needs before its fee and submission, by form field."""
    missing = {}
    if not (application.first_name and application.last_name):
        missing["first_name"] = "Enter your name."
    if not application.date_of_birth:
        missing["date_of_birth"] = "Enter your date of birth."
    if not application.ssn_hmac:
        missing["ssn"] = "Enter your Social Security number."
    if not application.email:
        missing["email"] = "Enter your email address."
    if not (application.address_line1 and application.city and application.postal_code):
        missing["address_line1"] = "Enter your mailing address."
    if not (application.course_approval_number and application.course_completed_on):
        missing["course_approval_number"] = (
            "Enter the approval number and completion date of your certification course."
        )
    else:
        try:
            approval_number_check(
                application.course_approval_number,
                completed_on=application.course_completed_on,
                field="course_approval_number",
            )
        except DomainError as error:
            missing["course_approval_number"] = error.message
    if not (application.nremt_number and application.exam_passed_on):
        missing["nremt_number"] = "Enter your NREMT number and the day you passed the exam."
    if not (application.cpr_card and application.cpr_expires_on):
        missing["cpr_card"] = "Upload your CPR card and enter its expiration date."
    if application.needs_acls and not (application.acls_card and application.acls_expires_on):
        missing["acls_card"] = "Paramedics upload their ACLS card and its expiration date."
    try:
        _cards_valid(application, today=timezone.localdate())
    except DomainError as error:
        missing[error.field or "cpr_card"] = error.message
    if not application.background_attested_at:
        missing["background_attest"] = "Attest to the background check."
    if not application.attested_at:
        missing["attestation_name"] = "Sign the application by typing your name."
    return missing


def _initial_approve(application: InitialApplication, *, actor) -> flow.Approval:
    """The person goes on the state record (found by SSN hash and date of birth, else created)
    with a new certification in the level's format; a lower certification they hold is
    superseded (level change)."""
    # A submitted application has a date of birth (initial_missing), so the approval has one.
    assert application.date_of_birth is not None
    provider = provider_find(ssn_hmac=application.ssn_hmac, date_of_birth=application.date_of_birth)
    held = Provider.objects.filter(user=application.applicant).first()
    if held and (provider is None or held.pk != provider.pk):
        raise DomainError(
            "The applicant's account already holds another person's certifications; one "
            "account links one person."
        )
    if provider is None:
        provider = provider_create_keyed(
            first_name=application.first_name,
            middle_name=application.middle_name,
            last_name=application.last_name,
            date_of_birth=application.date_of_birth,
            ssn_hmac=application.ssn_hmac,
            ssn_last4=application.ssn_last4,
            email=application.email,
            phone=application.phone,
            address_line1=application.address_line1,
            city=application.city,
            state=application.state,
            postal_code=application.postal_code,
            nremt_number=application.nremt_number,
            user=application.applicant,
            actor=actor,
            reason=f"Initial certification (application {application.pk})",
        )
    elif provider.user_id is None:
        provider = locked(provider)
        provider.user = application.applicant
        save_with_audit(provider, actor=actor, reason="Account linked", update_fields=["user"])
    elif provider.user_id != application.applicant_id:
        raise DomainError("This person is linked to another account.")
    certification = certification_issue(
        provider=provider,
        level=application.level,
        actor=actor,
        reason=f"Initial certification (application {application.pk})",
    )
    return flow.Approval(
        changes={"provider": provider, "certification": certification},
        reason=f"Approved: {certification.number}",
        card_for=certification,
    )


KIND = flow.register(
    flow.ApplicationKind(
        model=InitialApplication,
        missing=initial_missing,
        fee_code=FeeCode.PROVIDER_INITIAL,
        fee_description=lambda application: (
            f"Initial {rules.Level(application.level).label} certification"
        ),
        approve=_initial_approve,
        emails=flow.Emails(
            received=emails.send_initial_received,
            returned=emails.send_initial_returned,
            approved=emails.send_initial_approved,
            denied=emails.send_initial_denied,
        ),
    )
)

# The review steps: the one lifecycle (flow), under the names callers use.
initial_request_fee = flow.application_request_fee
initial_mark_paid = flow.application_mark_paid
initial_put_on_hold = flow.application_put_on_hold
initial_submit = flow.application_submit
initial_resubmit = flow.application_resubmit
initial_start_review = flow.application_start_review
initial_return_incomplete = flow.application_return_incomplete
initial_approve = flow.application_approve
initial_deny = flow.application_deny
