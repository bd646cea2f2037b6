"""Writes on complaints: filing (public), one service per stage transition, the notice to the
subject, notes, evidence and the access log. Outcomes that act on a certification or an
organization go through the Providers and Organizations services."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.files import REFUSED_TYPE_MESSAGE, content_kind
from core.outbox import enqueue
from core.transitions import attach_audit, locked, require_reason, save_with_audit, transition
from organizations import services as organization_services
from providers import services as provider_services

from . import emails, selectors
from .constants import (
    STAGE_TRANSITIONS,
    UPLOAD_MAX_BYTES,
    UPLOAD_MAX_FILES,
    Category,
    Effect,
    Outcome,
    Stage,
    outcome_effect,
    stage_due_on,
    tracking_number,
)
from .models import AccessLog, Attachment, Complaint, ComplaintSequence, Evidence, Note, SubjectKind

# --- Checks shared by the form, the admin and the API ------------------------------------------


def upload_check(file, *, field: str) -> None:
    """A PDF, PNG or JPEG (proved by content, core.files) of at most UPLOAD_MAX_BYTES."""
    if file.size > UPLOAD_MAX_BYTES:
        raise DomainError(
            f"“{file.name}” is {file.size / 1024 / 1024:.1f} MB; the limit is "
            f"{UPLOAD_MAX_BYTES // (1024 * 1024)} MB per file.",
            field=field,
        )
    if content_kind(file) is None:
        raise DomainError(f"“{file.name}” {REFUSED_TYPE_MESSAGE}.", field=field)


def uploads_check(files, *, field: str = "attachments") -> None:
    if len(files) > UPLOAD_MAX_FILES:
        raise DomainError(f"Attach at most {UPLOAD_MAX_FILES} files.", field=field)
    for file in files:
        upload_check(file, field=field)


def _due(stage: str, *, today: date | None = None) -> date | None:
    return stage_due_on(stage, entered_on=today or timezone.localdate())


def _to_stage(complaint: Complaint, stage: str, *, actor, reason: str, changes=None) -> Complaint:
    """Move the locked complaint to ``stage`` (the stage table checked; one audit row)."""
    return transition(
        complaint,
        allowed=STAGE_TRANSITIONS,
        target=stage,
        field="stage",
        actor=actor,
        reason=reason,
        changes=changes,
    )


def _require(actor, *, supervise: bool = False) -> None:
    allowed = (
        selectors.can_supervise_complaints(actor)
        if supervise
        else selectors.can_see_complaints(actor)
    )
    if not allowed:
        who = "supervisors" if supervise else "investigators and supervisors"
        raise DomainError(f"Only complaint {who} may do this.", code="forbidden")


def _require_working_on(complaint: Complaint, actor) -> None:
    """The assigned investigator, or a supervisor."""
    _require(actor)
    if complaint.investigator_id != actor.pk and not selectors.can_supervise_complaints(actor):
        raise DomainError("This complaint is assigned to another investigator.", code="forbidden")


# --- Filing (public) -----------------------------------------------------------------------------


@transaction.atomic
def tracking_numbers_reserve(*, year: int, count: int) -> list[str]:
    """``count`` consecutive tracking numbers of ``year``, drawn from the year's sequence (its
    row locked): the public form and the demo generator never hand out the same number."""
    if count <= 0:
        return []
    ComplaintSequence.objects.get_or_create(year=year)
    sequence = ComplaintSequence.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [tracking_number(year, number) for number in range(first, first + count)]


def _next_tracking_number(year: int) -> str:
    return tracking_numbers_reserve(year=year, count=1)[0]


@transaction.atomic
def complaint_file(
    *,
    subject: str = "",
    subject_description: str = "",
    incident_date: date,
    incident_town,
    incident_place: str = "",
    category: str,
    narrative: str,
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    attachments=(),
    submission_token=None,
) -> Complaint:
    """Record a complaint from the public. ``subject`` is a search result's value
    (``provider:E123456`` or ``organization:AMB-0001``); without one, ``subject_description``
    says who it is about. The same submission token twice (a double click) files once."""
    if submission_token is not None:
        existing = Complaint.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    today = timezone.localdate()
    if incident_date > today:
        raise DomainError("The incident date cannot be in the future.", field="incident_date")
    if category not in Category.values:
        raise DomainError("Choose a category.", field="category")
    if not (narrative or "").strip():
        raise DomainError("Describe what happened.", field="narrative")
    certification = organization = None
    if subject:
        kind, certification, organization = selectors.subject_resolve(subject)
        if certification is None and organization is None:
            raise DomainError(
                "We could not find that provider or organization. Search again, or describe "
                "them below.",
                field="subject",
            )
    elif (subject_description or "").strip():
        kind = SubjectKind.DESCRIBED
    else:
        raise DomainError(
            "Pick who the complaint is about from the search results, or describe them.",
            field="subject_description",
        )
    if anonymous:
        complainant_name = complainant_email = complainant_phone = ""
    elif not (complainant_email or complainant_phone or "").strip():
        raise DomainError(
            "Give an email address or a phone number so we can follow up, or choose to stay "
            "anonymous.",
            field="complainant_email",
        )
    uploads_check(list(attachments))

    complaint = Complaint(
        tracking_number=_next_tracking_number(today.year),
        submission_token=submission_token,
        subject_kind=kind,
        certification=certification,
        organization=organization,
        subject_description=(subject_description or "").strip(),
        incident_date=incident_date,
        incident_town=incident_town,
        incident_place=(incident_place or "").strip(),
        category=category,
        narrative=narrative.strip(),
        anonymous=anonymous,
        complainant_name=(complainant_name or "").strip(),
        complainant_email=(complainant_email or "").strip(),
        complainant_phone=(complainant_phone or "").strip(),
        stage=Stage.RECEIVED,
        due_on=_due(Stage.RECEIVED, today=today),
    )
    attach_audit(complaint, reason="Complaint received")
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        if submission_token is None:
            raise
        # The same token raced in from a second request: that one filed it.
        return Complaint.objects.get(submission_token=submission_token)
    for file in attachments:
        Attachment.objects.create(
            complaint=complaint, file=file, original_name=file.name[:200], size=file.size
        )
    if complaint.complainant_email:
        enqueue(emails.send_receipt, complaint.pk)
    return complaint


# --- Staff transitions -----------------------------------------------------------------------------


@transaction.atomic
def complaint_triage(
    *, complaint: Complaint, actor, has_jurisdiction: bool, note: str = ""
) -> Complaint:
    """Decide jurisdiction: yes moves on to assignment; no closes it ("no jurisdiction")."""
    _require(actor)
    complaint = locked(complaint)
    now = timezone.now()
    if has_jurisdiction:
        if complaint.stage == Stage.TRIAGED:
            return complaint
        _to_stage(
            complaint,
            Stage.TRIAGED,
            actor=actor,
            reason=note or "Triaged: within the office's jurisdiction",
            changes={"has_jurisdiction": True, "triaged_at": now, "due_on": _due(Stage.TRIAGED)},
        )
        return complaint
    if not (note or "").strip():
        raise DomainError("Say why the office has no jurisdiction.", field="note")
    if complaint.stage != Stage.RECEIVED:
        raise DomainError("Only a complaint just received can be closed at triage.")
    _to_stage(
        complaint,
        Stage.CLOSED,
        actor=actor,
        reason=note,
        changes={
            "has_jurisdiction": False,
            "triaged_at": now,
            "closed_at": now,
            "due_on": None,
            "outcome": Outcome.NO_JURISDICTION,
            "outcome_summary": note.strip(),
        },
    )
    _closure_email(complaint)
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor, investigator, note: str = "") -> Complaint:
    """Assign (or reassign) an investigator. Supervisors assign anyone; an investigator may
    take a complaint for themselves."""
    _require(actor)
    if not selectors.can_supervise_complaints(actor) and investigator.pk != actor.pk:
        raise DomainError(
            "Only a supervisor may assign a complaint to someone else.", code="forbidden"
        )
    if not selectors.can_see_complaints(investigator):
        raise DomainError(
            f"{investigator} is not an investigator or supervisor.", field="investigator"
        )
    complaint = locked(complaint)
    if complaint.stage == Stage.ASSIGNED and complaint.investigator_id == investigator.pk:
        return complaint
    _to_stage(
        complaint,
        Stage.ASSIGNED,
        actor=actor,
        reason=note or f"Assigned to {investigator}",
        changes={
            "investigator": investigator,
            "assigned_at": timezone.now(),
            "due_on": _due(Stage.ASSIGNED),
        },
    )
    enqueue(emails.send_assignment, complaint.pk)
    return complaint


@transaction.atomic
def complaint_start_investigation(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    complaint = locked(complaint)
    _require_working_on(complaint, actor)
    if complaint.stage == Stage.INVESTIGATING:
        return complaint
    return _to_stage(
        complaint,
        Stage.INVESTIGATING,
        actor=actor,
        reason=note or "Investigation opened",
        changes={"investigation_started_at": timezone.now(), "due_on": _due(Stage.INVESTIGATING)},
    )


@transaction.atomic
def complaint_refer(*, complaint: Complaint, actor, note: str) -> Complaint:
    """Refer for legal action (the Attorney General or a hearing)."""
    if not (note or "").strip():
        raise DomainError("Say to whom and why the complaint is referred.", field="note")
    complaint = locked(complaint)
    _require_working_on(complaint, actor)
    if complaint.stage == Stage.REFERRED:
        return complaint
    return _to_stage(
        complaint,
        Stage.REFERRED,
        actor=actor,
        reason=note,
        changes={"referred_at": timezone.now(), "due_on": _due(Stage.REFERRED)},
    )


def _apply_effect(complaint: Complaint, *, actor, effect: str) -> None:
    reason = f"Complaint {complaint.tracking_number}: {Outcome(complaint.outcome).label}"
    effective_from = complaint.effective_from
    if effective_from is None:
        raise DomainError("Give the effective date.", field="effective_from")
    certification, organization = complaint.certification, complaint.organization
    if certification is not None:
        if effect == Effect.SUSPEND:
            provider_services.certification_suspend(
                certification=certification,
                actor=actor,
                reason=reason,
                effective_from=effective_from,
                until=complaint.effective_until,
            )
        else:
            provider_services.certification_revoke(
                certification=certification,
                actor=actor,
                reason=reason,
                effective_from=effective_from,
            )
    elif organization is not None:
        action = (
            organization_services.organization_suspend
            if effect == Effect.SUSPEND
            else organization_services.organization_revoke
        )
        action(
            organization=organization,
            actor=actor,
            reason=reason,
            effective_from=effective_from,
        )


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    actor,
    outcome: str,
    summary: str,
    effective_from: date | None = None,
    effective_until: date | None = None,
) -> Complaint:
    """Close an investigated complaint with its outcome. A suspension, revocation or consent
    agreement changes the status of the subject's certification or organization from
    ``effective_from`` (a suspension may end on ``effective_until``)."""
    if outcome not in Outcome.values or outcome == Outcome.NO_JURISDICTION:
        raise DomainError("Choose the outcome.", field="outcome")
    if not (summary or "").strip():
        raise DomainError("Summarize the decision (the subject sees it).", field="summary")
    complaint = locked(complaint)
    _require_working_on(complaint, actor)
    if complaint.stage == Stage.CLOSED:
        return complaint
    if complaint.stage not in (Stage.INVESTIGATING, Stage.REFERRED):
        # received -> closed is triage's "no jurisdiction", not an outcome.
        raise DomainError(
            f"A complaint is closed with an outcome only after its investigation; this one is "
            f"{complaint.get_stage_display().lower()}."
        )
    effect = outcome_effect(outcome)
    if effect:
        if not (complaint.certification_id or complaint.organization_id):
            raise DomainError(
                "This outcome changes a certification or a license, but the complaint names "
                "neither: link its subject to a record first.",
                field="outcome",
            )
        if effective_from is None:
            raise DomainError("Give the date the outcome takes effect.", field="effective_from")
        if effect == Effect.REVOKE and effective_until:
            raise DomainError("A revocation has no end date.", field="effective_until")
        if effective_until and effective_until <= effective_from:
            raise DomainError("The end date must come after the start.", field="effective_until")
        if complaint.organization_id and effective_until:
            raise DomainError(
                "An organization's suspension ends when it is lifted: leave the end date empty.",
                field="effective_until",
            )
    else:
        effective_from = effective_until = None
    _to_stage(
        complaint,
        Stage.CLOSED,
        actor=actor,
        reason=f"Closed: {Outcome(outcome).label}",
        changes={
            "outcome": outcome,
            "outcome_summary": summary.strip(),
            "effective_from": effective_from,
            "effective_until": effective_until,
            "effect_applied": effect,
            "closed_at": timezone.now(),
            "due_on": None,
        },
    )
    if effect:
        _apply_effect(complaint, actor=actor, effect=effect)
    _closure_email(complaint)
    return complaint


def _closure_email(complaint: Complaint) -> None:
    if complaint.complainant_email:
        enqueue(emails.send_closure, complaint.pk)


@transaction.atomic
def complaint_lift_outcome(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Lift the suspension or revocation a closed complaint imposed: the certification's status
    is computed from its dates again, an organization is active again."""
    _require(actor, supervise=True)
    require_reason(reason)
    complaint = locked(complaint)
    if not complaint.effect_applied:
        raise DomainError("This complaint's outcome changed no status; there is nothing to lift.")
    if complaint.effect_lifted_at:
        return complaint
    full_reason = f"Complaint {complaint.tracking_number}: lifted. {reason.strip()}"
    certification, organization = complaint.certification, complaint.organization
    if certification is not None:
        provider_services.certification_lift_discipline(
            certification=certification, actor=actor, reason=full_reason
        )
    elif organization is not None:
        organization_services.organization_lift_discipline(
            organization=organization, actor=actor, reason=full_reason
        )
    complaint.effect_lifted_at = timezone.now()
    return save_with_audit(
        complaint, actor=actor, reason=full_reason, update_fields=["effect_lifted_at", "updated_at"]
    )


@transaction.atomic
def complaint_issue_notice(*, complaint: Complaint, actor) -> Complaint:
    """Let the subject see a summary (dates, category, status, outcome) on their dashboard and
    tell them by email. Never the complainant's identity or the narrative."""
    _require(actor)
    complaint = locked(complaint)
    if complaint.notice_issued_at:
        return complaint
    if not (complaint.certification_id or complaint.organization_id):
        raise DomainError(
            "The complaint names no certification or organization on record to notify."
        )
    if complaint.has_jurisdiction is not True:
        raise DomainError("A notice is issued only once triage found the office has jurisdiction.")
    complaint.notice_issued_at = timezone.now()
    save_with_audit(
        complaint,
        actor=actor,
        reason="Notice issued to the subject",
        update_fields=["notice_issued_at", "updated_at"],
    )
    enqueue(emails.send_notice, complaint.pk)
    return complaint


@transaction.atomic
def complaint_link_subject(
    *, complaint: Complaint, actor, certification=None, organization=None
) -> Complaint:
    """Staff found the record a described subject refers to: link it (before closing)."""
    _require(actor)
    if bool(certification) == bool(organization):
        raise DomainError("Link one certification or one organization.", field="certification")
    complaint = locked(complaint)
    if complaint.stage == Stage.CLOSED:
        raise DomainError("A closed complaint's subject is no longer changed.")
    complaint.certification = certification
    complaint.organization = organization
    complaint.subject_kind = SubjectKind.PROVIDER if certification else SubjectKind.ORGANIZATION
    return save_with_audit(
        complaint,
        actor=actor,
        reason=f"Subject linked to {certification or organization}",
        update_fields=["certification", "organization", "subject_kind", "updated_at"],
    )


# --- Notes, evidence, access log ----------------------------------------------------------------


@transaction.atomic
def note_add(*, complaint: Complaint, actor, body: str) -> Note:
    _require(actor)
    if not (body or "").strip():
        raise DomainError("Write the note.", field="body")
    note = Note(complaint=complaint, author=actor, body=body.strip())
    return save_with_audit(note, actor=actor, reason="Note added")


@transaction.atomic
def evidence_add(*, complaint: Complaint, actor, file, description: str) -> Evidence:
    _require(actor)
    if not (description or "").strip():
        raise DomainError("Describe the evidence.", field="description")
    upload_check(file, field="file")
    evidence = Evidence(
        complaint=complaint,
        file=file,
        description=description.strip(),
        original_name=file.name[:200],
        uploaded_by=actor,
    )
    return save_with_audit(evidence, actor=actor, reason="Evidence added")


def access_record(*, complaint: Complaint, user, via: str) -> AccessLog:
    """Write who opened which complaint, when and through what (every staff view)."""
    return AccessLog.objects.create(complaint=complaint, user=user, via=via)
