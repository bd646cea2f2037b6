"""Writes of the providers app: linking, CE records, renewal applications (one function per
transition), discipline on certifications (called by Complaints) and credential renewals."""

import hashlib
import hmac
import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.cache import count_in_window
from core.errors import DomainError
from core.files import upload_problem
from core.transitions import locked, save_with_audit, transition

from . import emails, rules, selectors
from .models import (
    CREDENTIAL_RENEWAL_TRANSITIONS,
    OPEN_RENEWAL_STATUSES,
    RENEWAL_STEPS,
    RENEWAL_TRANSITIONS,
    CERecord,
    Certification,
    Credential,
    CredentialRenewal,
    CredentialRenewalStatus,
    IncompleteReason,
    LinkAttempt,
    LinkOutcome,
    NumberSequence,
    Provider,
    RenewalApplication,
    RenewalDocument,
    RenewalStatus,
    RenewalStep,
)

# --- SSN ---------------------------------------------------------------------------------------

SSN_DIGITS = re.compile(r"^\d{9}$")


def ssn_digits(ssn: str) -> str:
    return re.sub(r"[\s-]", "", ssn or "")


def ssn_hash(ssn: str) -> str:
    """The keyed hash that stands in for an SSN (HMAC-SHA256 with settings.SSN_HMAC_KEY)."""
    return hmac.new(
        settings.SSN_HMAC_KEY.encode(), ssn_digits(ssn).encode(), hashlib.sha256
    ).hexdigest()


def ssn_keyed(ssn: str, *, field: str = "ssn") -> tuple[str, str]:
    """(keyed hash, last four digits) of a typed SSN; the clear SSN goes no further."""
    digits = ssn_digits(ssn)
    if not SSN_DIGITS.match(digits):
        raise DomainError("An SSN has nine digits.", field=field)
    return ssn_hash(digits), digits[-4:]


def provider_create(*, first_name, last_name, date_of_birth, ssn, actor=None, **fields) -> Provider:
    ssn_hmac, ssn_last4 = ssn_keyed(ssn)
    return provider_create_keyed(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        ssn_hmac=ssn_hmac,
        ssn_last4=ssn_last4,
        actor=actor,
        **fields,
    )


def provider_create_keyed(
    *, first_name, last_name, date_of_birth, ssn_hmac, ssn_last4, actor=None, reason="", **fields
) -> Provider:
    """A provider from an SSN already turned into its keyed hash (applications, imports)."""
    provider = Provider(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        ssn_hmac=ssn_hmac,
        ssn_last4=ssn_last4,
        **fields,
    )
    return save_with_audit(provider, actor=actor, reason=reason or "Provider added")


def provider_find(*, ssn_hmac: str, date_of_birth: date) -> Provider | None:
    """The person on the record with this SSN (keyed hash) and date of birth, if any."""
    return Provider.objects.filter(ssn_hmac=ssn_hmac, date_of_birth=date_of_birth).first()


# --- Numbers -----------------------------------------------------------------------------------


@transaction.atomic
def number_next(*, key: str, floor: int = 0) -> int:
    """The next number of the series ``key``, at least ``floor`` + 1, issued once: the series'
    row is locked until the caller's transaction ends."""
    NumberSequence.objects.get_or_create(key=key)
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.last_value = max(sequence.last_value, floor) + 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def certification_number_next(level: str) -> str:
    prefix = rules.LEVEL_PREFIX[level]
    # Numbers loaded by the registry import or typed by staff count too: start above them.
    highest = (
        Certification.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    floor = int(highest[1:]) if highest and rules.level_of_number(highest) == level else 0
    return rules.certification_number(level, number_next(key=f"cert-{prefix}", floor=floor))


@transaction.atomic
def certification_issue(
    *, provider: Provider, level: str, actor, issued_on: date | None = None, reason=""
) -> Certification:
    """A new certification at ``level``: the next number in the level's format, one full cycle.
    A lower certification the person still holds is superseded by it (a level change)."""
    issued_on = issued_on or timezone.localdate()
    current = [
        certification
        for certification in provider.certifications.filter(superseded_by__isnull=True)
        if certification.status_on(issued_on)
        not in (rules.CertificationStatus.EXPIRED, rules.CertificationStatus.REVOKED)
    ]
    for certification in current:
        if rules.LEVEL_RANK[certification.level] >= rules.LEVEL_RANK[level]:
            raise DomainError(
                f"This person already holds {certification.get_level_display()} certification "
                f"{certification.number}; renew or reinstate it instead."
            )
    certification = Certification(
        provider=provider,
        number=certification_number_next(level),
        level=level,
        issued_on=issued_on,
        expires_on=rules.new_cycle_expiration(level=level, starts_on=issued_on),
    )
    save_with_audit(certification, actor=actor, reason=reason or "Certification issued")
    for lower in current:
        certification_supersede(certification=lower, by=certification, actor=actor)
    return certification


@transaction.atomic
def certification_supersede(*, certification: Certification, by: Certification, actor):
    """Level change: ``certification`` is replaced by the higher-level ``by`` from today on.
    Verification then shows it as superseded, pointing to the current one."""
    certification = locked(certification)
    if certification.superseded_by_id == by.pk:
        return certification
    if certification.superseded_by_id:
        raise DomainError("This certification is already superseded.")
    if by.provider_id != certification.provider_id:
        raise DomainError("A certification is superseded only by the same person's.")
    if rules.LEVEL_RANK[by.level] <= rules.LEVEL_RANK[certification.level]:
        raise DomainError("A certification is superseded only by a higher level.")
    certification.superseded_by = by
    certification.superseded_on = by.issued_on
    return save_with_audit(
        certification,
        actor=actor,
        reason=f"Superseded by {by.get_level_display()} {by.number}",
        update_fields=["superseded_by", "superseded_on", "updated_at"],
    )


@transaction.atomic
def certification_level_change(
    *, certification: Certification, level: str, actor, issued_on: date | None = None
) -> Certification:
    """Staff: the holder of ``certification`` moved up to ``level``. Returns the new one."""
    if rules.LEVEL_RANK[level] <= rules.LEVEL_RANK[certification.level]:
        raise DomainError("A level change goes up (e.g. EMT to Paramedic).", field="level")
    return certification_issue(
        provider=certification.provider,
        level=level,
        actor=actor,
        issued_on=issued_on,
        reason=f"Level change from {certification.number}",
    )


def certification_create(
    *, provider, level, sequence=None, number=None, issued_on, expires_on, actor=None
) -> Certification:
    if number is None:
        number = rules.certification_number(level, sequence)
    if rules.level_of_number(number) != level:
        raise DomainError(
            f"A {rules.Level(level).label} number starts with {rules.LEVEL_PREFIX[level]}.",
            field="number",
        )
    certification = Certification(
        provider=provider, number=number, level=level, issued_on=issued_on, expires_on=expires_on
    )
    return save_with_audit(certification, actor=actor, reason="Certification added")


# --- Linking an account ------------------------------------------------------------------------

COULD_NOT_MATCH = (
    "We could not match these details to a certification. Check them against your card and "
    "try again."
)
TOO_MANY = "Too many attempts to link a certification. Try again in 15 minutes."


def _throttle_keys(user, ip_address):
    return [
        (f"providers:link:user:{user.pk}", rules.LINK_FAILURES_PER_ACCOUNT),
        (f"providers:link:ip:{ip_address or 'unknown'}", rules.LINK_FAILURES_PER_ADDRESS),
    ]


def _count_failure(user, ip_address):
    for key, _limit in _throttle_keys(user, ip_address):
        # the window is from the first failure
        count_in_window(key, rules.LINK_THROTTLE_SECONDS)


def _log_link(user, ip_address, number, outcome):
    LinkAttempt.objects.create(
        user=user, ip_address=ip_address, number_entered=number[:20], outcome=outcome
    )


def certification_link(
    *, user, number: str, date_of_birth: date, ssn: str, ip_address: str | None
) -> Certification:
    """Link ``user`` to the person holding ``number`` when DOB and SSN match. Failures say
    "could not match" without naming the field, are counted per account and per address
    (cache) and logged in LinkAttempt for staff."""
    number = rules.normalize_number(number)
    for key, limit in _throttle_keys(user, ip_address):
        if (cache.get(key) or 0) >= limit:
            _log_link(user, ip_address, number, LinkOutcome.THROTTLED)
            raise DomainError(TOO_MANY, code="throttled")

    certification = (
        Certification.objects.select_related("provider").filter(number=number).first()
        if rules.level_of_number(number)
        else None
    )
    matched = (
        certification is not None
        and certification.provider.date_of_birth == date_of_birth
        and hmac.compare_digest(certification.provider.ssn_hmac, ssn_hash(ssn))
    )
    if not matched:
        _count_failure(user, ip_address)
        _log_link(user, ip_address, number, LinkOutcome.NO_MATCH)
        raise DomainError(COULD_NOT_MATCH, code="no_match")

    provider = certification.provider
    held = Provider.objects.filter(user=user).first()
    if (held and held.pk != provider.pk) or (provider.user_id and provider.user_id != user.pk):
        _log_link(user, ip_address, number, LinkOutcome.OTHER_PERSON)
        raise DomainError(
            "This account already holds another person's certifications, or this person is "
            "linked to another account. One account links one person; contact the office if "
            "this is wrong.",
            code="other_person",
        )
    if provider.user_id != user.pk:
        with transaction.atomic():
            provider = locked(provider)
            if provider.user_id and provider.user_id != user.pk:
                raise DomainError("This person is linked to another account.")
            provider.user = user
            try:
                save_with_audit(
                    provider, actor=user, reason="Account linked", update_fields=["user"]
                )
            except IntegrityError as error:  # the same account linked elsewhere meanwhile
                raise DomainError("This account already holds another person.") from error
    _log_link(user, ip_address, number, LinkOutcome.LINKED)
    return certification


# --- Uploads and CE ----------------------------------------------------------------------------


def approval_number_check(number: str, *, completed_on: date | None, field: str) -> None:
    """THE check of a course approval number (CE records, initial applications): the format of
    both kinds; a T3 (state) number must also be an approved course in the catalogue whose
    approved dates hold ``completed_on``. F3 (CAPCE) numbers are checked for format only."""
    if not number:
        return
    kind = rules.approval_number_kind(number)
    if kind is None:
        raise DomainError(
            f"This is not an approval number. Use {rules.APPROVAL_NUMBER_HELP}.", field=field
        )
    if kind == "T3":
        from education.selectors import state_approval_problem

        problem = state_approval_problem(number, completed_on=completed_on)
        if problem:
            raise DomainError(problem, field=field)


def upload_check(file, *, field: str) -> None:
    """A PDF, PNG or JPEG (proved by content, core.files) of at most UPLOAD_MAX_BYTES."""
    if file is None:
        return
    if file.size > rules.UPLOAD_MAX_BYTES:
        raise DomainError(
            f"This file is {file.size / 1024 / 1024:.1f} MB; the limit is "
            f"{rules.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
            field=field,
        )
    problem = upload_problem(file)
    if problem:
        raise DomainError(problem, field=field)


@transaction.atomic
def ce_record_add(
    *,
    provider: Provider,
    actor,
    course_title: str,
    completed_on: date,
    hours: Decimal,
    component: str,
    delivery: str,
    approval_number: str = "",
    certificate=None,
) -> CERecord:
    from .models import CEDelivery

    today = timezone.localdate()
    if completed_on > today:
        raise DomainError("The course date cannot be in the future.", field="completed_on")
    hours = Decimal(hours)
    if hours <= 0 or hours > rules.MAX_CE_HOURS_PER_COURSE:
        raise DomainError(
            f"Enter the hours of this course, more than 0 and at most "
            f"{rules.MAX_CE_HOURS_PER_COURSE}.",
            field="hours",
        )
    if (hours * 4) % 1:
        raise DomainError("Hours are counted in quarter hours (e.g. 1.25).", field="hours")
    approval_number = (approval_number or "").strip().upper()
    if delivery == CEDelivery.DISTRIBUTIVE and not approval_number:
        raise DomainError(
            f"A distributive-education course has an approval number: {rules.APPROVAL_NUMBER_HELP}.",
            field="approval_number",
        )
    approval_number_check(approval_number, completed_on=completed_on, field="approval_number")
    upload_check(certificate, field="certificate")
    record = CERecord(
        provider=provider,
        course_title=course_title.strip(),
        completed_on=completed_on,
        hours=hours,
        component=component,
        delivery=delivery,
        approval_number=approval_number,
    )
    if certificate is not None:
        record.certificate = certificate
    return save_with_audit(record, actor=actor, reason="CE recorded")


@transaction.atomic
def ce_record_delete(*, record: CERecord, actor) -> None:
    editable = [RenewalStatus.DRAFT, RenewalStatus.RETURNED]
    if (
        record.applications.exclude(status__in=editable).exists()
        or record.reinstatements.exclude(status__in=editable).exists()
    ):
        raise DomainError("This course is part of a submitted application and stays on record.")
    record._history_user = actor
    record.delete()


# --- Renewal applications ----------------------------------------------------------------------


@transaction.atomic
def renewal_start(*, certification: Certification, user) -> RenewalApplication:
    """The open application of this certification, or a new draft. Only the linked account
    may start one, and only while the certification is renewable online."""
    if certification.provider.user_id != user.pk:
        raise DomainError("This certification is not linked to your account.")
    existing = certification.renewal_applications.filter(status__in=OPEN_RENEWAL_STATUSES).first()
    if existing:
        return existing
    status = certification.status
    if status not in rules.RENEWABLE_STATUSES:
        raise DomainError(
            f"This certification is {rules.CertificationStatus(status).label.lower()}; it cannot "
            "be renewed online. Contact the office about reinstatement."
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
        contact = ["email", "phone", "address_line1", "city", "state", "postal_code"]
        for name in contact:
            setattr(application, name, data.get(name, ""))
            setattr(provider, name, data.get(name, ""))
        fields += contact
        save_with_audit(provider, actor=actor, reason="Contact details", update_fields=contact)
    elif step == RenewalStep.CE:
        progress = selectors.ce_progress(application.certification)
        application.ce_records.set(progress.records)
    elif step == RenewalStep.ATTEST:
        typed = " ".join((data.get("attestation_name") or "").split())
        names = {provider.full_name.lower(), f"{provider.first_name} {provider.last_name}".lower()}
        if typed.lower() not in names:
            raise DomainError(
                f"Type your name as it is on your certification: {provider.full_name}.",
                field="attestation_name",
            )
        application.attestation_name = typed
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
    progress = selectors.ce_progress(application.certification)
    if not progress.complete:
        missing["ce"] = (
            f"Your continuing education is not complete: {progress.remaining_summary}. "
            "Record the missing hours first."
        )
    if not application.attested_at:
        missing["attestation_name"] = "Sign the attestation by typing your name."
    return missing


ON_HOLD_MESSAGE = (
    "This application is on hold because its payment was returned. It continues where it was "
    "once the balance is paid."
)


def _refuse_on_hold(application):
    # Off hold goes only through renewal_mark_paid (the balance paid), back to where it was;
    # the table allows those targets from ON_HOLD for that one path.
    if application.status == RenewalStatus.ON_HOLD:
        raise DomainError(ON_HOLD_MESSAGE, code="on_hold")


def _require_complete(application):
    missing = renewal_missing(application)
    if missing:
        field, message = next(iter(missing.items()))
        raise DomainError(message, field=field, code="incomplete")


@transaction.atomic
def renewal_request_fee(*, application: RenewalApplication, actor) -> RenewalApplication:
    """Draft → fee due: everything is filled in; open the state fee's invoice."""
    from payments.models import FeeCode
    from payments.services import invoice_open

    application = locked(application)
    if application.status == RenewalStatus.FEE_DUE:
        return application
    _require_complete(application)
    transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.FEE_DUE,
        actor=actor,
        reason="Fee due",
    )
    certification = application.certification
    invoice_open(
        subject=application,
        payer=application.applicant,
        fee_code=FeeCode.PROVIDER_RENEWAL,
        description=f"Renewal of {certification.get_level_display()} {certification.number}",
        actor=actor,
    )
    return application


@transaction.atomic
def renewal_mark_paid(*, application: RenewalApplication, actor=None) -> RenewalApplication:
    """The fee is settled (payments.signals.invoice_paid): fee due → paid, or back from hold to
    where the application was when the payment came back."""
    application = locked(application)
    if application.status == RenewalStatus.ON_HOLD:
        target = application.status_before_hold or RenewalStatus.PAID
        return transition(
            application,
            allowed=RENEWAL_TRANSITIONS,
            target=target,
            actor=actor,
            reason="Paid again after a returned payment",
            changes={"status_before_hold": ""},
        )
    if application.status != RenewalStatus.FEE_DUE:
        return application  # already paid: a repeated signal changes nothing
    return transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.PAID,
        actor=actor,
        reason="Fee paid",
    )


@transaction.atomic
def renewal_put_on_hold(
    *, application: RenewalApplication, actor=None, reason="Payment returned"
) -> RenewalApplication:
    application = locked(application)
    if application.status == RenewalStatus.ON_HOLD:
        return application
    return transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.ON_HOLD,
        actor=actor,
        reason=reason,
        changes={"status_before_hold": application.status},
    )


@transaction.atomic
def renewal_submit(*, application: RenewalApplication, actor) -> RenewalApplication:
    """Paid → submitted ("submission comes after payment"); the processing clock starts today."""
    application = locked(application)
    if application.status == RenewalStatus.SUBMITTED:
        return application
    _refuse_on_hold(application)
    if application.status in (RenewalStatus.DRAFT, RenewalStatus.FEE_DUE):
        raise DomainError("Pay the renewal fee first; submission comes after payment.")
    _require_complete(application)
    transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.SUBMITTED,
        actor=actor,
        reason="Submitted",
        changes={"submitted_at": timezone.now(), "complete_on": timezone.localdate()},
    )
    pk = application.pk
    transaction.on_commit(lambda: emails.send_received(pk))
    return application


@transaction.atomic
def renewal_resubmit(*, application: RenewalApplication, actor) -> RenewalApplication:
    """Returned → resubmitted once fixed; the clock restarts today."""
    application = locked(application)
    if application.status == RenewalStatus.RESUBMITTED:
        return application
    _refuse_on_hold(application)
    _require_complete(application)
    transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.RESUBMITTED,
        actor=actor,
        reason="Resubmitted",
        changes={"complete_on": timezone.localdate()},
    )
    pk = application.pk
    transaction.on_commit(lambda: emails.send_received(pk))
    return application


@transaction.atomic
def renewal_start_review(
    *, application: RenewalApplication, actor, note: str = ""
) -> RenewalApplication:
    application = locked(application)
    if application.status == RenewalStatus.IN_REVIEW:
        return application
    _refuse_on_hold(application)
    return transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.IN_REVIEW,
        actor=actor,
        reason=note or "Review started",
    )


@transaction.atomic
def renewal_return_incomplete(
    *, application: RenewalApplication, actor, reasons, note: str = ""
) -> RenewalApplication:
    """In review → returned incomplete with one or more coded reasons; the clock stops."""
    reasons = list(reasons)
    if not reasons:
        raise DomainError("Choose at least one reason.", field="reasons")
    application = locked(application)
    _refuse_on_hold(application)
    # Set before the transition's save, so its history row carries the reasons too.
    application.return_reasons.set(reasons)
    transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.RETURNED,
        actor=actor,
        reason="Returned incomplete: " + "; ".join(reason.label for reason in reasons),
        changes={"return_note": note, "complete_on": None, "step": RenewalStep.NREMT},
    )
    pk = application.pk
    transaction.on_commit(lambda: emails.send_returned(pk))
    return application


@transaction.atomic
def renewal_approve(
    *, application: RenewalApplication, actor, note: str = ""
) -> RenewalApplication:
    """In review → approved: the state record gets the new expiration date (the truth that
    verification shows), and credentials waiting on this certification become decidable."""
    application = locked(application)
    if application.status == RenewalStatus.APPROVED:
        return application
    certification = locked(application.certification)
    new_expiration = rules.next_expiration(
        level=certification.level, current_expiration=certification.expires_on
    )
    transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.APPROVED,
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
        reason=f"Renewed (application {application.pk})",
        update_fields=["expires_on", "updated_at"],
    )
    for renewal in CredentialRenewal.objects.filter(
        credential__underlying=certification, status=CredentialRenewalStatus.PENDING_UNDERLYING
    ):
        credential_renewal_mark_ready(renewal=renewal, actor=actor)
    pk = application.pk
    transaction.on_commit(lambda: emails.send_approved(pk))
    certification_card_queue(certification_pk=certification.pk)
    return application


def certification_card_queue(*, certification_pk: int) -> None:
    """The new card is emailed as a PDF once the approval is committed (providers.cards)."""
    from .tasks import send_certification_card

    transaction.on_commit(lambda: send_certification_card.delay(certification_pk), robust=True)


@transaction.atomic
def renewal_deny(*, application: RenewalApplication, actor, note: str) -> RenewalApplication:
    if not (note or "").strip():
        raise DomainError("Say why the application is denied; the provider reads it.", field="note")
    application = locked(application)
    if application.status == RenewalStatus.DENIED:
        return application
    transition(
        application,
        allowed=RENEWAL_TRANSITIONS,
        target=RenewalStatus.DENIED,
        actor=actor,
        reason=note,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": note},
    )
    pk = application.pk
    transaction.on_commit(lambda: emails.send_denied(pk))
    return application


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
    if application.status in (RenewalStatus.APPROVED, RenewalStatus.DENIED):
        raise DomainError("This application is decided.", field="file")
    upload_check(file, field="file")
    document = RenewalDocument(application=application, kind=kind, file=file)
    document.save()
    return document


# --- Discipline (called by Complaints) ---------------------------------------------------------

D = rules.Discipline
DISCIPLINE_TRANSITIONS = {
    D.NONE: {D.SUSPENDED, D.REVOKED, D.SURRENDERED},
    D.SUSPENDED: {D.REVOKED, D.SURRENDERED, D.NONE},
    D.REVOKED: {D.NONE},
    D.SURRENDERED: {D.NONE, D.REVOKED},
}


def _discipline(certification, *, actor, target, reason, effective_from, until=None):
    if not (reason or "").strip():
        raise DomainError("Give the reason (it is the audit record).", field="reason")
    if until and effective_from and until <= effective_from:
        raise DomainError("The end date must come after the start date.", field="until")
    certification = locked(certification)
    return transition(
        certification,
        allowed=DISCIPLINE_TRANSITIONS,
        target=target,
        field="discipline",
        actor=actor,
        reason=reason,
        changes={
            "discipline_from": effective_from,
            "discipline_until": until,
            "discipline_reason": reason,
        },
    )


@transaction.atomic
def certification_suspend(
    *, certification: Certification, actor, reason: str, effective_from: date, until=None
) -> Certification:
    return _discipline(
        certification,
        actor=actor,
        target=D.SUSPENDED,
        reason=reason,
        effective_from=effective_from,
        until=until,
    )


@transaction.atomic
def certification_revoke(
    *, certification: Certification, actor, reason: str, effective_from: date
) -> Certification:
    return _discipline(
        certification, actor=actor, target=D.REVOKED, reason=reason, effective_from=effective_from
    )


@transaction.atomic
def certification_surrender(
    *, certification: Certification, actor, reason: str, effective_from: date
) -> Certification:
    return _discipline(
        certification,
        actor=actor,
        target=D.SURRENDERED,
        reason=reason,
        effective_from=effective_from,
    )


@transaction.atomic
def certification_lift_discipline(
    *, certification: Certification, actor, reason: str
) -> Certification:
    """End a suspension, revocation or surrender: the status is computed from dates again."""
    if not (reason or "").strip():
        raise DomainError("Give the reason (it is the audit record).", field="reason")
    certification = locked(certification)
    if certification.discipline == D.NONE:
        return certification
    return transition(
        certification,
        allowed=DISCIPLINE_TRANSITIONS,
        target=D.NONE,
        field="discipline",
        actor=actor,
        reason=reason,
        changes={"discipline_from": None, "discipline_until": None, "discipline_reason": ""},
    )


# --- Instructor/Examiner credentials -----------------------------------------------------------


def _underlying_renewed(credential: Credential) -> bool:
    # Renewed = the state record of the underlying certification now runs past the
    # credential's current expiration, and the certification is in good standing.
    underlying = credential.underlying
    return (
        underlying.expires_on > credential.expires_on
        and underlying.status == rules.CertificationStatus.ACTIVE
    )


@transaction.atomic
def credential_renewal_submit(
    *, credential: Credential, actor, today: date | None = None
) -> CredentialRenewal:
    today = today or timezone.localdate()
    if credential.provider.user_id != getattr(actor, "pk", None):
        raise DomainError("This credential is not linked to your account.")
    if today > credential.deadline:
        raise DomainError(
            f"The deadline to renew this credential was {credential.deadline:%B %-d, %Y}; "
            "nothing is accepted after it."
        )
    existing = credential.renewals.filter(
        status__in=[CredentialRenewalStatus.PENDING_UNDERLYING, CredentialRenewalStatus.READY]
    ).first()
    if existing:
        return existing
    renewal = CredentialRenewal(
        credential=credential,
        status=(
            CredentialRenewalStatus.READY
            if _underlying_renewed(credential)
            else CredentialRenewalStatus.PENDING_UNDERLYING
        ),
    )
    return save_with_audit(renewal, actor=actor, reason="Submitted")


@transaction.atomic
def credential_renewal_mark_ready(*, renewal: CredentialRenewal, actor) -> CredentialRenewal:
    renewal = locked(renewal)
    if renewal.status == CredentialRenewalStatus.READY:
        return renewal
    if not _underlying_renewed(renewal.credential):
        raise DomainError("The underlying certification has not renewed yet.")
    return transition(
        renewal,
        allowed=CREDENTIAL_RENEWAL_TRANSITIONS,
        target=CredentialRenewalStatus.READY,
        actor=actor,
        reason="Underlying certification renewed",
    )


@transaction.atomic
def credential_renewal_approve(*, renewal: CredentialRenewal, actor) -> CredentialRenewal:
    renewal = locked(renewal)
    if renewal.status == CredentialRenewalStatus.APPROVED:
        return renewal
    credential = locked(renewal.credential)
    new_expiration = rules.add_years(credential.expires_on, rules.CREDENTIAL_CYCLE_YEARS)
    transition(
        renewal,
        allowed=CREDENTIAL_RENEWAL_TRANSITIONS,
        target=CredentialRenewalStatus.APPROVED,
        actor=actor,
        reason="Approved",
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor,
            "new_expires_on": new_expiration,
        },
    )
    credential.expires_on = new_expiration
    save_with_audit(
        credential, actor=actor, reason="Renewed", update_fields=["expires_on", "updated_at"]
    )
    return renewal


@transaction.atomic
def credential_renewal_deny(*, renewal: CredentialRenewal, actor, reason: str) -> CredentialRenewal:
    renewal = locked(renewal)
    if renewal.status == CredentialRenewalStatus.DENIED:
        return renewal
    return transition(
        renewal,
        allowed=CREDENTIAL_RENEWAL_TRANSITIONS,
        target=CredentialRenewalStatus.DENIED,
        actor=actor,
        reason=reason or "Denied",
        changes={"decided_at": timezone.now(), "decided_by": actor},
    )


def incomplete_reasons_active():
    return IncompleteReason.objects.filter(is_active=True)
