"""Writes on organizations: PSA assignments, people, chief of service reports, account linking,
administrator transfer and the applications staff review. One function per action or
transition; each refusal is a DomainError a person can read."""

import secrets
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import roles
from accounts.models import User
from core.cache import count_in_window
from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition

from . import emails, rules
from .models import (
    APPLICATION_TRANSITIONS,
    CHIEF_REPORT_TRANSITIONS,
    PSA_TYPES_BY_KIND,
    SINGLE_HOLDER_ROLES,
    ApplicationKind,
    ApplicationStatus,
    ChiefChangeReport,
    ChiefReportStatus,
    CredentialType,
    Organization,
    OrganizationApplication,
    OrganizationLinkPin,
    OrganizationPerson,
    OrganizationStatus,
    PersonRole,
    PrimaryServiceArea,
    PsaType,
    Town,
)

# --- Primary Service Areas -------------------------------------------------------------------


def town_resolve(town: Town | str) -> Town:
    """A Town, or the town of that name (any case); an unknown name is refused."""
    if isinstance(town, Town):
        return town
    name = (town or "").strip()
    found = Town.objects.filter(name__iexact=name).first()
    if found is None:
        raise DomainError(f"There is no Connecticut town named “{name}”.", field="town")
    return found


def psa_check(
    *,
    town: Town | str,
    psa_type: str,
    organization: Organization,
    effective_from: date,
    lock: bool = False,
) -> tuple[Town, PrimaryServiceArea | None]:
    """Refuse an assignment that breaks the PSA rules; return the town and its current holder.
    Forms call it to show the refusal beside the field; psa_assign calls it under a lock."""
    town = town_resolve(town)
    if psa_type not in PsaType.values:
        raise DomainError("Choose a PSA type: first responder, BLS or ALS.", field="psa_type")
    if psa_type not in PSA_TYPES_BY_KIND[organization.kind]:
        raise DomainError(
            f"A {organization.get_kind_display().lower()} cannot hold a "
            f"{PsaType(psa_type).label} PSA.",
            field="psa_type",
        )
    rows = PrimaryServiceArea.objects.filter(town=town, psa_type=psa_type)
    if lock:
        # Lock every row of this town and type so two assignments cannot interleave.
        rows = rows.select_for_update()
    rows = list(rows.select_related("organization").order_by("effective_from"))
    current = next((row for row in rows if row.effective_until is None), None)
    if current is not None:
        if current.organization_id == organization.pk:
            raise DomainError(
                f"{organization.display_name} already holds {town} ({PsaType(psa_type).label}) "
                f"since {current.effective_from:%B %-d, %Y}.",
                field="organization",
            )
        if effective_from <= current.effective_from:
            raise DomainError(
                f"The effective date must be after {current.effective_from:%B %-d, %Y}, when the "
                f"current holder ({current.organization.display_name}) started.",
                field="effective_from",
            )
    for row in rows:
        if row is not current and row.effective_until > effective_from:
            raise DomainError(
                f"This overlaps {row.organization.display_name}'s assignment from "
                f"{row.effective_from:%B %-d, %Y} to {row.effective_until:%B %-d, %Y}.",
                field="effective_from",
            )
    return town, current


@transaction.atomic
def psa_assign(
    *,
    town: Town | str,
    psa_type: str,
    organization: Organization,
    effective_from: date,
    actor,
    reason: str = "",
) -> PrimaryServiceArea:
    """Make ``organization`` the PSA holder of ``town`` for ``psa_type`` from ``effective_from``.
    The current holder's assignment ends that day; history is never rewritten."""
    town, current = psa_check(
        town=town,
        psa_type=psa_type,
        organization=organization,
        effective_from=effective_from,
        lock=True,
    )
    if current is not None:
        current.effective_until = effective_from
        save_with_audit(
            current,
            actor=actor,
            reason=reason or f"Handed to {organization.display_name}",
            update_fields=["effective_until"],
        )
    assignment = PrimaryServiceArea(
        town=town, psa_type=psa_type, organization=organization, effective_from=effective_from
    )
    return save_with_audit(assignment, actor=actor, reason=reason or "PSA assigned")


@transaction.atomic
def psa_end(
    *, assignment: PrimaryServiceArea, effective_until: date, actor, reason: str = ""
) -> PrimaryServiceArea:
    """End an assignment without a successor (the office reassigns the town later)."""
    assignment = locked(assignment)
    if assignment.effective_until is not None:
        raise DomainError("This assignment has already ended.", field="effective_until")
    if effective_until <= assignment.effective_from:
        raise DomainError(
            f"The end date must be after the start ({assignment.effective_from:%B %-d, %Y}).",
            field="effective_until",
        )
    assignment.effective_until = effective_until
    return save_with_audit(
        assignment, actor=actor, reason=reason or "PSA ended", update_fields=["effective_until"]
    )


# --- People ------------------------------------------------------------------------------------


@transaction.atomic
def person_set(
    *,
    organization: Organization,
    role: str,
    full_name: str,
    actor,
    email: str = "",
    phone: str = "",
    title: str = "",
    since: date | None = None,
) -> OrganizationPerson:
    """Name the organization's IDO, medical director or a contact. For a role held by one
    person at a time, the previous holder's row is ended (kept as history). The chief of
    service changes only through an accepted change report."""
    if role == PersonRole.CHIEF_OF_SERVICE:
        raise DomainError(
            "A new chief of service is reported on letterhead and accepted by the office.",
            field="role",
        )
    since = since or timezone.localdate()
    if role in SINGLE_HOLDER_ROLES:
        _end_current_holder(organization=organization, role=role, until=since, actor=actor)
    person = OrganizationPerson(
        organization=organization,
        role=role,
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        since=since,
    )
    return save_with_audit(person, actor=actor, reason=f"{PersonRole(role).label} named")


@transaction.atomic
def person_remove(*, person: OrganizationPerson, actor) -> OrganizationPerson:
    person = locked(person)
    if person.until is not None:
        return person
    person.until = timezone.localdate()
    return save_with_audit(person, actor=actor, reason="No longer in role", update_fields=["until"])


def _end_current_holder(*, organization, role, until, actor) -> None:
    for previous in OrganizationPerson.objects.select_for_update().filter(
        organization=organization, role=role, until__isnull=True
    ):
        previous.until = until
        save_with_audit(previous, actor=actor, reason="Replaced", update_fields=["until"])


# --- Chief of service change reports -----------------------------------------------------------


@transaction.atomic
def chief_report_submit(
    *,
    organization: Organization,
    reported_by,
    new_chief_name: str,
    new_chief_email: str,
    effective_date: date,
    letterhead,
    new_chief_phone: str = "",
) -> ChiefChangeReport:
    today = timezone.localdate()
    if effective_date > today:
        raise DomainError(
            "Report a new chief once they have taken office; the date cannot be in the future.",
            field="effective_date",
        )
    report = ChiefChangeReport(
        organization=organization,
        reported_by=reported_by,
        new_chief_name=new_chief_name,
        new_chief_email=new_chief_email,
        new_chief_phone=new_chief_phone,
        effective_date=effective_date,
        letterhead=letterhead,
        submitted_on=today,
        due_on=rules.chief_change_due_date(effective_date),
    )
    save_with_audit(report, actor=reported_by, reason="Chief of service change reported")
    transaction.on_commit(lambda: emails.send_chief_report_status(report.pk))
    return report


@transaction.atomic
def chief_report_accept(*, report: ChiefChangeReport, actor, note: str = "") -> ChiefChangeReport:
    """The office accepts the report: the new chief becomes the organization's chief of
    service from the effective date, the previous one's row is ended."""
    report = locked(report)
    if report.status == ChiefReportStatus.ACCEPTED:
        return report
    transition(
        report,
        allowed=CHIEF_REPORT_TRANSITIONS,
        target=ChiefReportStatus.ACCEPTED,
        actor=actor,
        reason=note or "Accepted",
        changes={"decided_at": timezone.now(), "decision_note": note},
    )
    _end_current_holder(
        organization=report.organization,
        role=PersonRole.CHIEF_OF_SERVICE,
        until=report.effective_date,
        actor=actor,
    )
    chief = OrganizationPerson(
        organization=report.organization,
        role=PersonRole.CHIEF_OF_SERVICE,
        full_name=report.new_chief_name,
        email=report.new_chief_email,
        phone=report.new_chief_phone,
        title="Chief of service",
        since=report.effective_date,
    )
    save_with_audit(chief, actor=actor, reason=f"Chief of service change report #{report.pk}")
    transaction.on_commit(lambda: emails.send_chief_report_status(report.pk))
    return report


@transaction.atomic
def chief_report_return(*, report: ChiefChangeReport, actor, note: str) -> ChiefChangeReport:
    if not note.strip():
        raise DomainError("Say what is wrong so the organization can send a new report.")
    report = locked(report)
    if report.status == ChiefReportStatus.RETURNED:
        return report
    transition(
        report,
        allowed=CHIEF_REPORT_TRANSITIONS,
        target=ChiefReportStatus.RETURNED,
        actor=actor,
        reason=note,
        changes={"decided_at": timezone.now(), "decision_note": note},
    )
    transaction.on_commit(lambda: emails.send_chief_report_status(report.pk))
    return report


# --- Administrators: account linking and transfer ----------------------------------------------


def _pin_hash(pin: str, *, pin_id_salt: str) -> str:
    return salted_hmac(
        "organizations.link-pin", f"{pin_id_salt}:{pin}", algorithm="sha256"
    ).hexdigest()


def _organization_by_number(number: str) -> Organization:
    organization = Organization.objects.filter(number__iexact=(number or "").strip()).first()
    if organization is None:
        raise DomainError("No organization has this license or certificate number.", field="number")
    return organization


PIN_REQUESTS_THROTTLED = (
    "Too many PIN requests in the last hour. Try again later, or call the office if the PIN "
    "does not arrive."
)


def _pin_request_over_limit(key: str, limit: int) -> bool:
    return count_in_window(key, rules.PIN_REQUEST_WINDOW_SECONDS) > limit


@transaction.atomic
def organization_link_request(
    *, user, number: str, ip_address: str | None = None
) -> OrganizationLinkPin:
    """Email a one-time PIN to the organization's address on file. Earlier unused PINs of this
    user for this organization stop working. Requests are limited per client address (before
    the number is even looked up) and per organization."""
    if _pin_request_over_limit(
        f"organizations:pin-request:ip:{ip_address or 'unknown'}", rules.PIN_REQUESTS_PER_ADDRESS
    ):
        raise DomainError(PIN_REQUESTS_THROTTLED, code="throttled")
    organization = _organization_by_number(number)
    if _pin_request_over_limit(
        f"organizations:pin-request:organization:{organization.pk}",
        rules.PIN_REQUESTS_PER_ORGANIZATION,
    ):
        raise DomainError(PIN_REQUESTS_THROTTLED, code="throttled")
    if organization.administrators.filter(pk=user.pk).exists():
        raise DomainError("You already administer this organization.", field="number")
    if not organization.email:
        raise DomainError(
            "This organization has no email address on file; call the office.", field="number"
        )
    now = timezone.now()
    OrganizationLinkPin.objects.filter(
        organization=organization, user=user, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    pin = "".join(secrets.choice("0123456789") for _ in range(rules.PIN_DIGITS))
    record = OrganizationLinkPin.objects.create(
        organization=organization,
        user=user,
        pin_hash=_pin_hash(pin, pin_id_salt=f"{organization.pk}:{user.pk}"),
        expires_at=now + timezone.timedelta(minutes=rules.PIN_VALID_MINUTES),
    )
    transaction.on_commit(
        lambda: emails.send_link_pin(
            organization=organization,
            pin=pin,
            requested_by=user,
            valid_minutes=rules.PIN_VALID_MINUTES,
        )
    )
    return record


def organization_link_confirm(*, user, number: str, pin: str) -> Organization:
    """Check the PIN; the right, unexpired, unused one makes ``user`` an administrator.
    A wrong PIN counts as a failed attempt (kept even though the link is refused)."""
    organization = _organization_by_number(number)
    now = timezone.now()
    salt = f"{organization.pk}:{user.pk}"
    given = _pin_hash((pin or "").strip(), pin_id_salt=salt)
    pins = list(OrganizationLinkPin.objects.filter(organization=organization, user=user))
    if not pins:
        raise DomainError("Ask for a PIN first; none was sent for this organization.", field="pin")
    match = next((p for p in pins if constant_time_compare(p.pin_hash, given)), None)
    if match is None:
        latest = pins[0]
        if latest.used_at is None and latest.expires_at > now:
            failed = latest.failed_attempts + 1
            changes = {"failed_attempts": failed}
            if failed >= rules.PIN_MAX_ATTEMPTS:
                changes["expires_at"] = now  # too many tries: this PIN is spent
            OrganizationLinkPin.objects.filter(pk=latest.pk).update(**changes)
        raise DomainError("That PIN is not correct.", field="pin")
    if match.used_at is not None:
        raise DomainError(
            "This PIN has already been used. Ask for a new one if you need to link again.",
            field="pin",
        )
    if match.expires_at <= now:
        raise DomainError("This PIN has expired. Ask for a new one.", field="pin")
    with transaction.atomic():
        # The claim: exactly one request can mark this PIN used.
        claimed = OrganizationLinkPin.objects.filter(
            pk=match.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            raise DomainError(
                "This PIN has already been used. Ask for a new one if you need to link again.",
                field="pin",
            )
        organization.administrators.add(user)
        user.groups.add(Group.objects.get(name=roles.ORGANIZATION_ADMINISTRATOR))
        save_with_audit(organization, actor=user, reason="Administrator linked with a PIN")
    return organization


@transaction.atomic
def organization_administrator_transfer(
    *, organization: Organization, actor, to_email: str
) -> User:
    """Hand the organization's administration from ``actor`` to another portal account."""
    organization = locked(organization)
    if not organization.administrators.filter(pk=actor.pk).exists():
        raise DomainError("Only an administrator of this organization can hand it over.")
    new_administrator = User.objects.filter(email__iexact=(to_email or "").strip()).first()
    if new_administrator is None:
        raise DomainError(
            "Nobody has a portal account with this email; ask them to create one first.",
            field="email",
        )
    if new_administrator.pk == actor.pk:
        raise DomainError("Enter the email of the person taking over, not yours.", field="email")
    organization.administrators.add(new_administrator)
    organization.administrators.remove(actor)
    new_administrator.groups.add(Group.objects.get(name=roles.ORGANIZATION_ADMINISTRATOR))
    save_with_audit(
        organization, actor=actor, reason=f"Administration transferred to {new_administrator.email}"
    )
    transaction.on_commit(
        lambda: emails.send_administrator_transferred(
            organization=organization, new_administrator=new_administrator, previous=actor
        )
    )
    return new_administrator


@transaction.atomic
def organization_update_contact(*, organization: Organization, actor, **fields) -> Organization:
    """The organization's own contact details (what an administrator may edit)."""
    allowed = {
        "email",
        "phone",
        "street",
        "city",
        "postal_code",
        "mailing_address",
        "doing_business_as",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    organization = locked(organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    return save_with_audit(
        organization,
        actor=actor,
        reason="Contact details updated",
        update_fields=[*fields, "updated_at"],
    )


# --- Applications ------------------------------------------------------------------------------

REQUIRED_BY_KIND = {
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


def _refuse_on_hold(application) -> None:
    # Off hold goes only through application_fee_paid (the balance paid), back to where it was;
    # the transition table allows those targets from ON_HOLD for that one path.
    if application.status == ApplicationStatus.ON_HOLD:
        raise DomainError(
            "This application is on hold because its license fee payment was returned; it "
            "continues once the balance is paid."
        )


def _status_changed(application, *, note: str = "") -> None:
    pk, status = application.pk, application.status
    transaction.on_commit(lambda: emails.send_application_status(pk, status=status, note=note))


@transaction.atomic
def application_submit(*, application: OrganizationApplication, actor) -> OrganizationApplication:
    """draft → submitted, or → fee due when it is a license renewal (the fee is paid first:
    "submission comes after payment")."""
    application = locked(application)
    _refuse_on_hold(application)
    if application.status in {ApplicationStatus.SUBMITTED, ApplicationStatus.FEE_DUE}:
        return application
    problems = application_problems(application)
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)
    if application.charges_license_fee:
        from payments.models import FeeCode
        from payments.services import invoice_open

        invoice_open(
            subject=application,
            payer=application.applicant,
            fee_code=FeeCode.ORGANIZATION_LICENSE,
            description=f"Annual license fee, {application.organization.legal_name}",
            actor=actor,
        )
        transition(
            application,
            allowed=APPLICATION_TRANSITIONS,
            target=ApplicationStatus.FEE_DUE,
            actor=actor,
            reason="Submitted; license fee due",
        )
    else:
        now = timezone.now()
        transition(
            application,
            allowed=APPLICATION_TRANSITIONS,
            target=ApplicationStatus.SUBMITTED,
            actor=actor,
            reason="Submitted",
            changes={"submitted_at": now, "complete_at": now},
        )
    _status_changed(application)
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
        transition(
            application,
            allowed=APPLICATION_TRANSITIONS,
            target=target,
            actor=actor,
            reason="License fee paid again after a returned payment",
            changes={"status_before_hold": ""},
        )
        _status_changed(application)
        return application
    if application.status != ApplicationStatus.FEE_DUE:
        return application  # already moved on: a repeated signal changes nothing
    now = timezone.now()
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.SUBMITTED,
        actor=actor,
        reason="License fee paid",
        changes={"submitted_at": now, "complete_at": now},
    )
    _status_changed(application)
    return application


@transaction.atomic
def application_put_on_hold(
    *, application: OrganizationApplication, actor=None, reason: str = "Payment returned"
) -> OrganizationApplication:
    """A payment of the license fee came back: the review stops until the balance is paid."""
    application = locked(application)
    if application.status == ApplicationStatus.ON_HOLD:
        return application
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.ON_HOLD,
        actor=actor,
        reason=reason,
        changes={"status_before_hold": application.status},
    )
    _status_changed(application)
    return application


@transaction.atomic
def application_resubmit(*, application: OrganizationApplication, actor) -> OrganizationApplication:
    """returned incomplete → submitted: the review clock restarts from now."""
    application = locked(application)
    _refuse_on_hold(application)
    if application.status == ApplicationStatus.SUBMITTED:
        return application
    if application.status != ApplicationStatus.RETURNED:
        raise DomainError("Only an application returned as incomplete can be sent back.")
    problems = application_problems(application)
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.SUBMITTED,
        actor=actor,
        reason="Resubmitted with what was missing",
        changes={"complete_at": timezone.now()},
    )
    _status_changed(application)
    return application


@transaction.atomic
def application_start_review(
    *, application: OrganizationApplication, actor, note: str = ""
) -> OrganizationApplication:
    application = locked(application)
    _refuse_on_hold(application)
    if application.status == ApplicationStatus.IN_REVIEW:
        return application
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.IN_REVIEW,
        actor=actor,
        reason=note or "Review started",
    )
    _status_changed(application)
    return application


@transaction.atomic
def application_return(
    *, application: OrganizationApplication, actor, reason: str
) -> OrganizationApplication:
    if not reason.strip():
        raise DomainError("Say what is missing so the applicant can fix it.", field="return_reason")
    application = locked(application)
    _refuse_on_hold(application)
    if application.status == ApplicationStatus.RETURNED:
        return application
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.RETURNED,
        actor=actor,
        reason=reason,
        changes={"return_reason": reason, "complete_at": None},
    )
    _status_changed(application, note=reason)
    return application


@transaction.atomic
def application_deny(
    *, application: OrganizationApplication, actor, reason: str
) -> OrganizationApplication:
    if not reason.strip():
        raise DomainError("Give the reason for the denial.", field="decision_note")
    application = locked(application)
    if application.status == ApplicationStatus.DENIED:
        return application
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=ApplicationStatus.DENIED,
        actor=actor,
        reason=reason,
        changes={"decision_note": reason, "decided_at": timezone.now()},
    )
    _status_changed(application, note=reason)
    return application


@transaction.atomic
def application_approve(
    *, application: OrganizationApplication, actor, note: str = ""
) -> OrganizationApplication:
    """Approve and carry the decision out: create the organization, change its services and
    PSAs, or move its renewal date on by one cycle."""
    application = locked(application)
    if application.status == ApplicationStatus.APPROVED:
        return application
    transition(
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
        organization = locked(application.organization)
        if (
            application.requested_level
            and application.requested_level != organization.highest_level
        ):
            organization.highest_level = application.requested_level
            save_with_audit(
                organization,
                actor=actor,
                reason=f"Level of service changed by application #{application.pk}",
                update_fields=["highest_level", "updated_at"],
            )
        _assign_requested_towns(application, organization, actor=actor, today=today)
    else:
        organization = locked(application.organization)
        organization.renewal_due_on = rules.next_renewal_due_date(
            credential_type=organization.credential_type,
            quarter=organization.renewal_quarter,
            current=organization.renewal_due_on,
            today=today,
        )
        save_with_audit(
            organization,
            actor=actor,
            reason=f"Renewed by application #{application.pk}",
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
            effective_from=today + timezone.timedelta(days=1),
            actor=actor,
            reason=f"Application #{application.pk} approved",
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
    save_with_audit(organization, actor=actor, reason=f"Application #{application.pk} approved")
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


# --- Discipline (called by Complaints) ---------------------------------------------------------

S = OrganizationStatus
# An outcome of a complaint acts on an organization in good standing; lifting it restores the
# organization to active (the only status a suspension or revocation starts from).
DISCIPLINE_TRANSITIONS = {
    S.ACTIVE: {S.SUSPENDED, S.REVOKED},
    S.SUSPENDED: {S.REVOKED, S.ACTIVE},
    S.REVOKED: {S.ACTIVE},
}


def _organization_discipline(organization, *, actor, target, reason, effective_from):
    if not (reason or "").strip():
        raise DomainError("Give the reason (it is the audit record).", field="reason")
    if effective_from is None:
        raise DomainError("Give the effective date.", field="effective_from")
    if effective_from > timezone.localdate():
        # The organization's status is one field with no dates of its own: it changes the day
        # the outcome is recorded, so a date in the future cannot be honoured.
        raise DomainError(
            "An organization's status changes when the outcome is recorded: the effective date "
            "cannot be in the future.",
            field="effective_from",
        )
    organization = locked(organization)
    if organization.status == target:
        return organization
    return transition(
        organization,
        allowed=DISCIPLINE_TRANSITIONS,
        target=target,
        actor=actor,
        reason=f"{reason} (effective {effective_from:%B %-d, %Y})",
    )


@transaction.atomic
def organization_suspend(
    *, organization: Organization, actor, reason: str, effective_from: date
) -> Organization:
    return _organization_discipline(
        organization, actor=actor, target=S.SUSPENDED, reason=reason, effective_from=effective_from
    )


@transaction.atomic
def organization_revoke(
    *, organization: Organization, actor, reason: str, effective_from: date
) -> Organization:
    return _organization_discipline(
        organization, actor=actor, target=S.REVOKED, reason=reason, effective_from=effective_from
    )


@transaction.atomic
def organization_lift_discipline(*, organization: Organization, actor, reason: str) -> Organization:
    """End a suspension or revocation: the organization is active again."""
    if not (reason or "").strip():
        raise DomainError("Give the reason (it is the audit record).", field="reason")
    organization = locked(organization)
    if organization.status not in (S.SUSPENDED, S.REVOKED):
        return organization
    return transition(
        organization, allowed=DISCIPLINE_TRANSITIONS, target=S.ACTIVE, actor=actor, reason=reason
    )


def on_invoice_returned(sender, *, invoice, subject, **kwargs) -> None:
    """payments.signals.invoice_returned receiver (connected in apps.py)."""
    if subject.status in _DECIDED:
        return
    application_put_on_hold(
        application=subject, actor=None, reason="License fee payment returned; balance due"
    )


# --- Affiliations (a provider on an organization's roster) -------------------------------------


def _may_decide_affiliation(*, actor, organization: Organization) -> bool:
    """The organization's administrator, or staff allowed to change affiliations (admin)."""
    from .selectors import user_administers

    if not getattr(actor, "is_authenticated", False):
        return False
    return user_administers(user=actor, organization=organization) or (
        actor.is_staff and actor.has_perm("organizations.change_affiliation")
    )


def _affiliation_email(name: str, affiliation_id: int) -> None:
    transaction.on_commit(lambda: getattr(emails, name)(affiliation_id))


@transaction.atomic
def affiliation_request(*, provider, organization: Organization, actor, note: str = ""):
    """The provider asks to be on the organization's roster. Asking again while a request is
    pending returns that request (a double submit acts once)."""
    from .models import AFFILIATION_OPEN, Affiliation, AffiliationStatus

    if provider.user_id is None or provider.user_id != getattr(actor, "pk", None):
        raise DomainError("Only the provider linked to this account can ask to be affiliated.")
    if organization.status != OrganizationStatus.ACTIVE:
        raise DomainError(
            f"{organization.legal_name} is not an active organization.", field="organization"
        )
    organization = locked(organization)  # serializes requests to one organization
    existing = Affiliation.objects.filter(
        organization=organization, provider=provider, status__in=AFFILIATION_OPEN
    ).first()
    if existing is not None:
        if existing.status == AffiliationStatus.PENDING:
            return existing
        raise DomainError(
            f"You are already affiliated with {organization.legal_name}.", field="organization"
        )
    affiliation = Affiliation(
        organization=organization,
        provider=provider,
        requested_by=actor,
        note=(note or "").strip()[:300],
    )
    save_with_audit(affiliation, actor=actor, reason="Affiliation requested")
    _affiliation_email("send_affiliation_requested", affiliation.pk)
    return affiliation


def _decide(affiliation, *, actor, target, reason, note=""):
    from .models import AFFILIATION_TRANSITIONS

    affiliation = locked(affiliation)
    if not _may_decide_affiliation(actor=actor, organization=affiliation.organization):
        raise DomainError("Only the organization's administrator can decide this request.")
    if affiliation.status == target:
        return affiliation, False  # a double click: decided once
    transition(
        affiliation,
        allowed=AFFILIATION_TRANSITIONS,
        target=target,
        actor=actor,
        reason=note or reason,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": note[:300]},
    )
    return affiliation, True


@transaction.atomic
def affiliation_approve(*, affiliation, actor, note: str = ""):
    """pending → approved: the provider is on the roster."""
    from .models import AffiliationStatus

    affiliation, changed = _decide(
        affiliation, actor=actor, target=AffiliationStatus.APPROVED, reason="Approved", note=note
    )
    if changed:
        _affiliation_email("send_affiliation_decided", affiliation.pk)
    return affiliation


@transaction.atomic
def affiliation_decline(*, affiliation, actor, note: str = ""):
    """pending → declined."""
    from .models import AffiliationStatus

    affiliation, changed = _decide(
        affiliation, actor=actor, target=AffiliationStatus.DECLINED, reason="Declined", note=note
    )
    if changed:
        _affiliation_email("send_affiliation_decided", affiliation.pk)
    return affiliation


@transaction.atomic
def affiliation_end(*, affiliation, actor, reason: str = ""):
    """approved → ended, by the provider or by the organization's side; the other side is
    told."""
    from .models import AFFILIATION_TRANSITIONS, AffiliationStatus

    affiliation = locked(affiliation)
    is_provider = affiliation.provider.user_id is not None and affiliation.provider.user_id == (
        getattr(actor, "pk", None)
    )
    if not is_provider and not _may_decide_affiliation(
        actor=actor, organization=affiliation.organization
    ):
        raise DomainError("Only the provider or the organization's administrator can end this.")
    if affiliation.status == AffiliationStatus.ENDED:
        return affiliation
    side = "provider" if is_provider else "organization"
    transition(
        affiliation,
        allowed=AFFILIATION_TRANSITIONS,
        target=AffiliationStatus.ENDED,
        actor=actor,
        reason=reason.strip() or f"Ended by the {side}",
        changes={"ended_at": timezone.now(), "ended_by": actor, "end_reason": reason.strip()[:300]},
    )
    _affiliation_email("send_affiliation_ended", affiliation.pk)
    return affiliation
