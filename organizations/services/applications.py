"""The organization applications staff review (new license, renewal, changes): fee, submit, review,
return, hold, approve or deny; and the payments receivers."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import locked, save_with_audit, transition, transition_once
from payments.models import FeeCode
from payments.services import invoice_open

from .. import emails, rules
from ..models import (
    APPLICATION_TRANSITIONS,
    ApplicationKind,
    ApplicationStatus,
    CredentialType,
    Organization,
    OrganizationApplication,
    OrganizationStatus,
    PrimaryServiceArea,
)
from .psas import psa_assign

REQUIRED_BY_KIND: dict[str, dict[str, str]] = {
    ApplicationKind.NEW_ORGANIZATION: {
        "legal_name": "Enter the organization's legal name.",
        "service_kind": "Choose the kind of service.",
        "ownership": "Choose the ownership.",
        "email": "Enter the organization's email address.",
        "street": "Enter the street address.",
        "city": "Enter the town or city.",
        "requested_level": "Choose the level of service.",
        "requested_psa_type": "Choose the PSA type the organization will serve.",
    },
    ApplicationKind.CHANGE_OF_SERVICES: {
        "description": "Describe the change in services.",
    },
    ApplicationKind.RENEWAL: {},
}


def application_problems(application: OrganizationApplication) -> dict[str, str]:
    """What is missing before this application can be submitted, by field."""
    problems = {}
    for field, message in REQUIRED_BY_KIND[application.kind].items():
        if not getattr(application, field):
            problems[field] = message
    if application.kind == ApplicationKind.CHANGE_OF_SERVICES:
        if application.requested_psa_type and not application.requested_towns.exists():
            problems["requested_towns"] = "Choose the towns of the Primary Service Area requested."
        if application.requested_towns.exists() and not application.requested_psa_type:
            problems["requested_psa_type"] = "Choose the PSA type for the towns requested."
    if application.kind != ApplicationKind.NEW_ORGANIZATION and application.organization is None:
        problems["organization"] = "Choose the organization this application is for."
    return problems


@transaction.atomic
def application_create(
    *, kind: str, applicant, organization: Organization | None = None, **fields
) -> OrganizationApplication:
    if kind != ApplicationKind.NEW_ORGANIZATION:
        if organization is None or not organization.administrators.filter(pk=applicant.pk).exists():
            raise DomainError("Only the organization's administrator can apply for it.")
        open_same = OrganizationApplication.objects.filter(
            organization=organization, kind=kind
        ).exclude(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.DENIED])
        if kind == ApplicationKind.RENEWAL and open_same.exists():
            raise DomainError("A renewal application for this organization is already open.")
    towns = fields.pop("requested_towns", None)
    application = OrganizationApplication(
        kind=kind, applicant=applicant, organization=organization, **fields
    )
    save_with_audit(application, actor=applicant, reason="Draft started")
    if towns is not None:
        application.requested_towns.set(towns)
    return application


def _organization_of(application: OrganizationApplication) -> Organization:
    """The organization a renewal or a change of services is about (a new organization's
    application has none until it is approved)."""
    if application.organization is None:
        raise DomainError("This application names no organization.")
    return application.organization


def _refuse_on_hold(application) -> None:
    # Off hold goes only through application_fee_paid (the balance paid), back to where it was;
    # the transition table allows those targets from ON_HOLD for that one path.
    if application.status == ApplicationStatus.ON_HOLD:
        raise DomainError(
            "This application is on hold because its license fee payment was returned; it "
            "continues once the balance is paid."
        )


def _require_complete(application) -> None:
    problems = application_problems(application)
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)


def _move(application, target: str, *, actor, reason: str, changes=None, note: str = ""):
    """One move of the locked application (its audit row) and the applicant's status email."""
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=target,
        actor=actor,
        reason=reason,
        changes=changes,
    )
    _status_changed(application, note=note)
    return application


def _move_once(application, target: str, *, actor, reason: str, changes=None, note="", check=None):
    """Lock; nothing when already at ``target`` (a double click acts once); ``check`` the locked
    row; one audited move and the applicant's status email."""
    application, moved = transition_once(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=target,
        actor=actor,
        reason=reason,
        changes=changes,
        check=check,
    )
    if moved:
        _status_changed(application, note=note)
    return application


def _status_changed(application, *, note: str = "") -> None:
    # The status and note of this transition, recorded with it (core.outbox).
    enqueue(emails.send_application_status, application.pk, application.status, note)


@transaction.atomic
def application_submit(*, application: OrganizationApplication, actor) -> OrganizationApplication:
    """draft → submitted, or → fee due when it is a license renewal (the fee is paid first:
    "submission comes after payment")."""
    application = locked(application)
    _refuse_on_hold(application)
    if application.status in {ApplicationStatus.SUBMITTED, ApplicationStatus.FEE_DUE}:
        return application
    _require_complete(application)
    if application.charges_license_fee:
        invoice_open(
            subject=application,
            payer=application.applicant,
            fee_code=FeeCode.ORGANIZATION_LICENSE,
            description=f"Annual license fee, {_organization_of(application).legal_name}",
            actor=actor,
        )
        _move(
            application,
            ApplicationStatus.FEE_DUE,
            actor=actor,
            reason="Submitted; license fee due",
        )
    else:
        now = timezone.now()
        _move(
            application,
            ApplicationStatus.SUBMITTED,
            actor=actor,
            reason="Submitted",
            changes={"submitted_at": now, "complete_at": now},
        )
    return application


@transaction.atomic
def application_fee_paid(
    *, application: OrganizationApplication, actor=None
) -> OrganizationApplication:
    """fee due → submitted, or off hold back to where it was: called when payments reports
    the license fee paid (first payment, or the balance after a returned payment)."""
    application = locked(application)
    if application.status == ApplicationStatus.ON_HOLD:
        target = application.status_before_hold or ApplicationStatus.SUBMITTED
        _move(
            application,
            target,
            actor=actor,
            reason="License fee paid again after a returned payment",
            changes={"status_before_hold": ""},
        )
        return application
    if application.status != ApplicationStatus.FEE_DUE:
        return application  # already moved on: a repeated signal changes nothing
    now = timezone.now()
    _move(
        application,
        ApplicationStatus.SUBMITTED,
        actor=actor,
        reason="License fee paid",
        changes={"submitted_at": now, "complete_at": now},
    )
    return application


@transaction.atomic
def application_put_on_hold(
    *, application: OrganizationApplication, actor=None, reason: str = "Payment returned"
) -> OrganizationApplication:
    """A payment of the license fee came back: the review stops until the balance is paid."""
    application = locked(application)
    if application.status == ApplicationStatus.ON_HOLD:
        return application
    _move(
        application,
        ApplicationStatus.ON_HOLD,
        actor=actor,
        reason=reason,
        changes={"status_before_hold": application.status},
    )
    return application


def _require_resubmittable(application) -> None:
    _refuse_on_hold(application)
    if application.status != ApplicationStatus.RETURNED:
        raise DomainError("Only an application returned as incomplete can be sent back.")
    _require_complete(application)


@transaction.atomic
def application_resubmit(*, application: OrganizationApplication, actor) -> OrganizationApplication:
    """returned incomplete → submitted: the review clock restarts from now."""
    return _move_once(
        application,
        ApplicationStatus.SUBMITTED,
        actor=actor,
        reason="Resubmitted with what was missing",
        changes={"complete_at": timezone.now()},
        check=_require_resubmittable,
    )


@transaction.atomic
def application_start_review(
    *, application: OrganizationApplication, actor, note: str = ""
) -> OrganizationApplication:
    return _move_once(
        application,
        ApplicationStatus.IN_REVIEW,
        actor=actor,
        reason=note or "Review started",
        check=_refuse_on_hold,
    )


@transaction.atomic
def application_return(
    *, application: OrganizationApplication, actor, reason: str
) -> OrganizationApplication:
    if not reason.strip():
        raise DomainError("Say what is missing so the applicant can fix it.", field="return_reason")
    return _move_once(
        application,
        ApplicationStatus.RETURNED,
        actor=actor,
        reason=reason,
        changes={"return_reason": reason, "complete_at": None},
        note=reason,
        check=_refuse_on_hold,
    )


@transaction.atomic
def application_deny(
    *, application: OrganizationApplication, actor, reason: str
) -> OrganizationApplication:
    if not reason.strip():
        raise DomainError("Give the reason for the denial.", field="decision_note")
    return _move_once(
        application,
        ApplicationStatus.DENIED,
        actor=actor,
        reason=reason,
        changes={"decision_note": reason, "decided_at": timezone.now()},
        note=reason,
    )


@transaction.atomic
def application_approve(
    *, application: OrganizationApplication, actor, note: str = ""
) -> OrganizationApplication:
    """Approve and carry the decision out: create the organization, change its services and
    PSAs, or move its renewal date on by one cycle."""
    application = locked(application)
    if application.status == ApplicationStatus.APPROVED:
        return application
    transition(  # the status email goes after what approval does (below)
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.APPROVED,
        actor=actor,
        reason=note or "Approved",
        changes={"decision_note": note, "decided_at": timezone.now()},
    )
    today = timezone.localdate()
    if application.kind == ApplicationKind.NEW_ORGANIZATION:
        organization = _organization_from_application(application, actor=actor, today=today)
        application.organization = organization
        application.save(update_fields=["organization"])
        _assign_requested_towns(application, organization, actor=actor, today=today)
    elif application.kind == ApplicationKind.CHANGE_OF_SERVICES:
        organization = locked(_organization_of(application))
        if (
            application.requested_level
            and application.requested_level != organization.highest_level
        ):
            organization.highest_level = application.requested_level
            save_with_audit(
                organization,
                actor=actor,
                reason=f"Level of service changed by application {application.reference}",
                update_fields=["highest_level", "updated_at"],
            )
        _assign_requested_towns(application, organization, actor=actor, today=today)
    else:
        organization = locked(_organization_of(application))
        organization.renewal_due_on = rules.next_renewal_due_date(
            credential_type=organization.credential_type,
            quarter=organization.renewal_quarter,
            current=organization.renewal_due_on,
            today=today,
        )
        save_with_audit(
            organization,
            actor=actor,
            reason=f"Renewed by application {application.reference}",
            update_fields=["renewal_due_on", "updated_at"],
        )
    _status_changed(application, note=note)
    return application


def _assign_requested_towns(application, organization, *, actor, today) -> None:
    if not application.requested_psa_type:
        return
    for town in application.requested_towns.all():
        holder = (
            PrimaryServiceArea.objects.on(today)
            .filter(town=town, psa_type=application.requested_psa_type)
            .first()
        )
        if holder and holder.organization_id == organization.pk:
            continue
        # A PSA changes hands from tomorrow so today's holder keeps today.
        psa_assign(
            town=town,
            psa_type=application.requested_psa_type,
            organization=organization,
            effective_from=today + timedelta(days=1),
            actor=actor,
            reason=f"Application {application.reference} approved",
        )


def _organization_from_application(application, *, actor, today) -> Organization:
    ownership = application.ownership
    credential_type = rules.credential_type_for(ownership)
    prefix = rules.NUMBER_PREFIX[application.service_kind]
    last = Organization.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))
    sequence = int(last["last"].removeprefix(prefix)) + 1 if last["last"] else 1
    quarter = None if credential_type == CredentialType.LICENSE else (today.month - 1) // 3 + 1
    organization = Organization(
        legal_name=application.legal_name,
        number=rules.organization_number(kind=application.service_kind, sequence=sequence),
        kind=application.service_kind,
        ownership=ownership,
        credential_type=credential_type,
        highest_level=application.requested_level,
        status=OrganizationStatus.ACTIVE,
        email=application.email,
        phone=application.phone,
        street=application.street,
        city=application.city,
        postal_code=application.postal_code,
        renewal_quarter=quarter,
    )
    organization.renewal_due_on = rules.next_renewal_due_date(
        credential_type=credential_type, quarter=quarter, current=None, today=today
    )
    save_with_audit(
        organization, actor=actor, reason=f"Application {application.reference} approved"
    )
    organization.administrators.add(application.applicant)
    application.applicant.groups.add(Group.objects.get(name=roles.ORGANIZATION_ADMINISTRATOR))
    return organization


# A payment that comes back after the decision does not reopen it: the balance stays on the
# payer's account and payments emails them to pay it.
_DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.DENIED)


def on_invoice_paid(sender, *, invoice, subject, **kwargs) -> None:
    """payments.signals.invoice_paid receiver (connected in apps.py)."""
    if subject.status in _DECIDED:
        return
    application_fee_paid(application=subject, actor=invoice.payer)


def on_invoice_returned(sender, *, invoice, subject, **kwargs) -> None:
    """payments.signals.invoice_returned receiver (connected in apps.py)."""
    if subject.status in _DECIDED:
        return
    application_put_on_hold(
        application=subject, actor=None, reason="License fee payment returned; balance due"
    )
