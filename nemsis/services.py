"""Writes of the nemsis app: check a scope-of-practice item, take a DEM file, check it against
the portal (the task's work), and apply it once the organization's administrator confirms."""

import hashlib
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition
from organizations import services as organization_services
from organizations.models import AFFILIATION_OPEN, Affiliation, AffiliationStatus, Organization
from providers.models import Certification, CertificationStatus
from providers.rules import Level, normalize_number
from vehicles import services as vehicle_services
from vehicles.models import Vehicle, VehicleStatus

from . import mapping, rules
from .dem import DemContents, DemRefused, read_dem
from .models import DEM_TRANSITIONS, DemUpload, DemUploadStatus, ScopeKind
from .selectors import user_may_send_dem

logger = logging.getLogger(__name__)

# --- Scope of practice ---------------------------------------------------------------------------

CODE_CHECKS: dict[str, Callable[[str], str | None]] = {
    ScopeKind.PROCEDURE: rules.snomed_problem,
    ScopeKind.MEDICATION: rules.rxnorm_problem,
    ScopeKind.PROTOCOL: rules.protocol_problem,
}


def scope_item_problems(*, kind: str, code: str, levels) -> dict[str, str]:
    """{field: message} of what is wrong with a scope item (the admin form shows each beside
    its field); {} when it may be saved."""
    problems = {}
    check = CODE_CHECKS.get(kind)
    if check is None:
        problems["kind"] = "Choose procedure, medication or protocol."
    elif problem := check(code):
        problems["code"] = problem
    unknown = [level for level in levels or [] if level not in Level.values]
    if unknown:
        problems["levels"] = f"Unknown certification level: {', '.join(unknown)}."
    return problems


# --- DEM files -----------------------------------------------------------------------------------

OUTCOME_MATCH = "match"
OUTCOME_MISMATCH = "mismatch"
OUTCOME_UNKNOWN = "unknown"
OUTCOME_MISSING = "missing"
OUTCOME_LABELS = {
    OUTCOME_MATCH: "Matches",
    OUTCOME_MISMATCH: "Does not match",
    OUTCOME_UNKNOWN: "Unknown to the portal",
    OUTCOME_MISSING: "Missing from the file",
}


def dem_upload_create(*, organization: Organization, actor, uploaded_file) -> DemUpload:
    """Store the file (random name, private folder) and queue its check. Refuses a file over
    the size limit before anything is stored."""
    if not user_may_send_dem(user=actor, organization=organization):
        raise DomainError("You do not administer this organization.", code="forbidden")
    limit = settings.NEMSIS_DEM_MAX_BYTES
    if uploaded_file is None:
        raise DomainError("Choose the DEM file to send.", field="file")
    if uploaded_file.size > limit:
        raise DomainError(
            f"The file is {uploaded_file.size:,} bytes; the limit is {limit:,} bytes "
            f"({limit // (1024 * 1024)} MB).",
            field="file",
            code="too_large",
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    same = DemUpload.objects.filter(
        organization=organization,
        sha256=digest.hexdigest(),
        status__in=[DemUploadStatus.QUEUED, DemUploadStatus.CHECKING, DemUploadStatus.CHECKED],
    ).first()
    if same is not None:
        return same  # a double submit, or the same file again before the first is confirmed
    upload = DemUpload(
        organization=organization,
        uploaded_by=actor,
        sha256=digest.hexdigest(),
        original_name=(getattr(uploaded_file, "name", "") or "")[:200],
        size=uploaded_file.size,
        progress_message="Waiting to be checked.",
    )
    upload.file.save(f"{uuid.uuid4()}.xml", uploaded_file, save=False)
    save_with_audit(upload, actor=actor, reason="DEM file uploaded")
    _enqueue_check(upload.pk)
    return upload


def _enqueue_check(upload_id) -> None:
    # core.outbox: survives a broker outage; named, not imported (the task imports services).
    enqueue_on_commit("nemsis.tasks.check_dem_upload", str(upload_id))


def dem_upload_claim(*, upload_id) -> bool:
    """queued -> checking with one conditional update: True for the one run that gets it."""
    claimed = DemUpload.objects.filter(pk=upload_id, status=DemUploadStatus.QUEUED).update(
        status=DemUploadStatus.CHECKING,
        progress=1,
        progress_message="Reading the file.",
        updated_at=timezone.now(),
    )
    if claimed:
        upload = DemUpload.objects.get(pk=upload_id)
        save_with_audit(upload, actor=None, reason="Check started", update_fields=["status"])
    return bool(claimed)


def dem_upload_progress(*, upload_id, percent: int, message: str) -> None:
    DemUpload.objects.filter(pk=upload_id, status=DemUploadStatus.CHECKING).update(
        progress=max(0, min(99, percent)), progress_message=message[:300]
    )


def dem_upload_check(*, upload_id) -> DemUpload:
    """The task's work: read and validate the file (streaming), compare it with the portal,
    and record the report, or the refusal with the validator's line and element. Nothing but
    the upload's own row changes."""
    upload = DemUpload.objects.select_related("organization").get(pk=upload_id)

    def on_progress(percent, message):
        dem_upload_progress(upload_id=upload_id, percent=percent, message=message)

    try:
        contents = read_dem(upload.file.path, size=upload.size, on_progress=on_progress)
        on_progress(80, "Comparing the file with the portal's records.")
        rows = dem_compare(organization=upload.organization, contents=contents)
    except DemRefused as refusal:
        return _finish_check(
            upload_id,
            target=DemUploadStatus.REFUSED,
            reason="Refused: " + refusal.message[:150],
            changes={
                "error": refusal.message,
                "error_line": refusal.line,
                "error_element": refusal.element[:200],
            },
        )
    summary = dict.fromkeys(OUTCOME_LABELS, 0)
    for row in rows:
        summary[row["outcome"]] += 1
    return _finish_check(
        upload_id,
        target=DemUploadStatus.CHECKED,
        reason="Checked",
        changes={"report": rows, "summary": summary, "agency_number": contents.agency_number},
    )


@transaction.atomic
def _finish_check(upload_id, *, target, reason, changes) -> DemUpload:
    upload = locked(DemUpload(pk=upload_id))
    if upload.status != DemUploadStatus.CHECKING:
        return upload  # another run finished it
    transition(
        upload,
        allowed=DEM_TRANSITIONS,
        target=target,
        actor=None,
        reason=reason,
        changes={
            **changes,
            "checked_at": timezone.now(),
            "progress": 100,
            "progress_message": "Done.",
        },
    )
    return upload


@transaction.atomic
def dem_upload_release_for_retry(*, upload_id, error: str) -> None:
    upload = locked(DemUpload(pk=upload_id))
    if upload.status == DemUploadStatus.CHECKING:
        transition(
            upload,
            allowed=DEM_TRANSITIONS,
            target=DemUploadStatus.QUEUED,
            actor=None,
            reason=f"Temporary error, retrying: {error}"[:300],
        )


def _row(section, element, key, name, outcome, reason, line=None, **extra) -> dict:
    return {
        "section": section,
        "element": element,
        "key": key,
        "name": name,
        "outcome": outcome,
        "reason": reason,
        "line": line,
        **extra,
    }


def dem_compare(*, organization: Organization, contents: DemContents) -> list[dict]:
    """The report: the agency's number, each person and each vehicle of the file compared with
    the portal, then what the portal holds that the file does not. Raises DemRefused when the
    file names another organization (or none of ours)."""
    _check_agency(organization, contents)
    rows = [
        _row(
            "agency",
            "dAgency.02",
            contents.agency_number,
            contents.agency_name or organization.legal_name,
            OUTCOME_MATCH,
            f"The agency number is {organization.legal_name}'s.",
            contents.agency_line,
        )
    ]
    rows.extend(_compare_personnel(organization, contents))
    rows.extend(_compare_vehicles(organization, contents))
    return rows


def _check_agency(organization: Organization, contents: DemContents) -> None:
    numbers = {n.strip().upper() for n in (contents.agency_number, contents.agency_state_id) if n}
    if organization.number.upper() in numbers:
        return
    other = Organization.objects.filter(number__in=numbers).exclude(pk=organization.pk).first()
    if other is not None:
        raise DemRefused(
            f"The file is for agency number {contents.agency_number}, another organization's; "
            f"send {organization.legal_name}'s own file (agency number {organization.number}).",
            line=contents.agency_line,
            element="dAgency.02",
        )
    raise DemRefused(
        f"The file's agency number ({contents.agency_number or 'none'}) is not "
        f"{organization.legal_name}'s ({organization.number}).",
        line=contents.agency_line,
        element="dAgency.02",
    )


def _state_licence(person):
    for licence in person.licences:
        if licence.number and licence.state in ("", settings.NEMSIS_STATE_CODE):
            return licence
    return None


def _compare_personnel(organization, contents) -> list[dict]:
    rows = []
    numbers = [
        normalize_number(lic.number) for p in contents.personnel if (lic := _state_licence(p))
    ]
    certifications = {
        certification.number: certification
        for certification in Certification.objects.filter(number__in=numbers).select_related(
            "provider", "superseded_by"
        )
    }
    on_roster = set(
        Affiliation.objects.filter(
            organization=organization, status=AffiliationStatus.APPROVED
        ).values_list("provider_id", flat=True)
    )
    in_file = set()
    for person in contents.personnel:
        licence = _state_licence(person)
        number = normalize_number(licence.number) if licence else ""
        certification = certifications.get(number) if licence else None
        if certification is None:
            reason = (
                f"No certification {number} on the state record."
                if licence
                else "No licence number for this state (dPersonnel.22/.23)."
            )
            rows.append(
                _row(
                    "personnel",
                    "dPersonnel.23",
                    number,
                    person.name,
                    OUTCOME_UNKNOWN,
                    reason,
                    person.line,
                )
            )
            continue
        provider = certification.provider
        problems = []
        status = certification.status
        element = "dPersonnel.23"
        if status != CertificationStatus.ACTIVE:
            problems.append(f"the certification is {CertificationStatus(status).label.lower()}")
        file_level = mapping.level_of_member_code(licence.level_code)
        if file_level != certification.level:
            shown = Level(file_level).label if file_level else licence.level_code or "none"
            problems.append(
                f"the file says {shown}, the state record {certification.get_level_display()}"
            )
            element = "dPersonnel.24"
        if person.last_name and person.last_name.casefold() != provider.last_name.casefold():
            problems.append(
                f"the file's last name {person.last_name!r} is not the record's "
                f"{provider.last_name!r}"
            )
            element = element if problems[:-1] else "dPersonnel.01"
        if problems:
            rows.append(
                _row(
                    "personnel",
                    element,
                    number,
                    person.name,
                    OUTCOME_MISMATCH,
                    "Not a current certification as filed: " + "; ".join(problems) + ".",
                    person.line,
                )
            )
            continue
        in_file.add(provider.pk)
        already = provider.pk in on_roster
        rows.append(
            _row(
                "personnel",
                "dPersonnel.23",
                number,
                provider.full_name,
                OUTCOME_MATCH,
                "On the roster." if already else "Current; added to the roster when you confirm.",
                person.line,
                provider_id=provider.pk,
                action="" if already else "add",
            )
        )
    missing = (
        Affiliation.objects.filter(organization=organization, status=AffiliationStatus.APPROVED)
        .exclude(provider_id__in=in_file)
        .select_related("provider")
        .order_by("provider__last_name", "provider__first_name")
    )
    for affiliation in missing:
        rows.append(
            _row(
                "personnel",
                "dPersonnel.PersonnelGroup",
                "",
                affiliation.provider.full_name,
                OUTCOME_MISSING,
                "On the portal's roster but not in the file (or not matching): the "
                "affiliation ends when you confirm.",
                affiliation_id=affiliation.pk,
                action="end",
            )
        )
    return rows


def _vehicle_verdict(organization, row, vehicle: Vehicle | None) -> tuple[str, str]:
    """How one vehicle of the file compares with the registry (``vehicle``: the registry's
    vehicle of the same VIN, if any): the outcome and the reason the report gives."""
    if not row.vin:
        return OUTCOME_UNKNOWN, "No VIN: the portal's registry knows vehicles by VIN."
    if vehicle is None:
        return (
            OUTCOME_UNKNOWN,
            "Not in the state's vehicle registry: register it on the portal (a DEM file carries "
            "no make, model or plate, so it cannot be registered from here).",
        )
    if vehicle.organization_id != organization.pk:
        return OUTCOME_MISMATCH, "Registered to another organization."
    if vehicle.status in (VehicleStatus.RETIRED, VehicleStatus.REFUSED):
        return OUTCOME_MISMATCH, f"The registry has it as {vehicle.get_status_display().lower()}."
    return OUTCOME_MATCH, f"{vehicle} ({vehicle.get_status_display().lower()})."


def _compare_vehicles(organization, contents) -> list[dict]:
    rows = []
    vins = [vehicle.vin for vehicle in contents.vehicles if vehicle.vin]
    registry = {
        vehicle.vin: vehicle
        for vehicle in Vehicle.objects.filter(vin__in=vins).select_related("organization")
    }
    in_file = set()
    for row in contents.vehicles:
        label = row.unit_number or row.call_sign or row.vin or "(no unit number)"
        vehicle = registry.get(row.vin) if row.vin else None
        outcome, reason = _vehicle_verdict(organization, row, vehicle)
        if vehicle is not None and outcome == OUTCOME_MATCH:
            in_file.add(vehicle.pk)
        rows.append(_row("vehicles", "dVehicle.02", row.vin, label, outcome, reason, row.line))
    missing = (
        Vehicle.objects.filter(organization=organization)
        .exclude(status__in=[VehicleStatus.RETIRED, VehicleStatus.REFUSED])
        .exclude(pk__in=in_file)
        .order_by("vin")
    )
    for vehicle in missing:
        rows.append(
            _row(
                "vehicles",
                "dVehicle.02",
                vehicle.vin,
                str(vehicle),
                OUTCOME_MISSING,
                "In the registry but not in the file: retired when OEMS staff confirm (an "
                "organization's confirmation leaves it for OEMS to retire).",
                vehicle_id=vehicle.pk,
                action="retire",
            )
        )
    return rows


@transaction.atomic
def dem_upload_confirm(*, upload: DemUpload, actor) -> DemUpload:
    """The administrator accepts the report: people who match join the roster, people on the
    roster the file left out leave it, and (when staff confirm) vehicles the file left out
    are retired; each through its own service, so each change has its own history row. A
    second confirmation does nothing."""
    upload = locked(upload)
    if not user_may_send_dem(user=actor, organization=upload.organization):
        raise DomainError("You do not administer this organization.", code="forbidden")
    if upload.status == DemUploadStatus.CONFIRMED:
        return upload
    if upload.status != DemUploadStatus.CHECKED:
        raise DomainError("Only a checked file can be confirmed.")
    organization = upload.organization
    reason = f"NEMSIS DEM file of {timezone.localdate(upload.created_at):%B %-d, %Y}"
    changes = []
    for row in upload.report:
        action = row.get("action")
        if action == "add":
            affiliation = organization_services.affiliation_record_from_roster(
                provider=Certification.objects.get(number=row["key"]).provider,
                organization=organization,
                actor=actor,
                reason=reason,
            )
            changes.append(
                {
                    "what": "roster",
                    "name": row["name"],
                    "change": "added",
                    "affiliation_id": affiliation.pk,
                }
            )
        elif action == "end":
            affiliation = Affiliation.objects.filter(
                pk=row["affiliation_id"], status__in=AFFILIATION_OPEN
            ).first()
            if affiliation is not None:
                organization_services.affiliation_end(
                    affiliation=affiliation, actor=actor, reason=f"Not in the {reason}"
                )
                changes.append(
                    {
                        "what": "roster",
                        "name": row["name"],
                        "change": "ended",
                        "affiliation_id": affiliation.pk,
                    }
                )
        elif action == "retire":
            vehicle = Vehicle.objects.filter(pk=row["vehicle_id"]).first()
            if vehicle is None or vehicle.status == VehicleStatus.RETIRED:
                continue
            if actor.has_perm("vehicles.change_vehicle"):
                vehicle_services.vehicle_retire(
                    vehicle=vehicle, actor=actor, reason=f"Not in the {reason}"
                )
                changes.append({"what": "vehicle", "name": row["name"], "change": "retired"})
            else:
                changes.append(
                    {"what": "vehicle", "name": row["name"], "change": "left for OEMS to retire"}
                )
    transition(
        upload,
        allowed=DEM_TRANSITIONS,
        target=DemUploadStatus.CONFIRMED,
        actor=actor,
        reason="Confirmed",
        changes={"confirmed_by": actor, "confirmed_at": timezone.now(), "changes": changes},
    )
    return upload
