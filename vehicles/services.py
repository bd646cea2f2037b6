"""Writes on vehicles and inspections: one function per action or transition.

Every status change goes through ``core.transitions.transition`` on a locked row, so the
simple-history row it writes is the audit record. Emails go out on commit.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts import roles
from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.files import JPEG, PNG, upload_problem
from core.transitions import locked, save_with_audit, transition, transition_once
from organizations.models import Organization
from organizations.selectors import user_administers

from . import rules, selectors
from .models import (
    INSPECTED_STATUSES,
    INSPECTION_TRANSITIONS,
    OPEN_INSPECTION_STATUSES,
    RECORDED_INSPECTION_STATUSES,
    VEHICLE_TRANSITIONS,
    AnswerResult,
    ChecklistItem,
    Inspection,
    InspectionAnswer,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
    Vehicle,
    VehicleStatus,
)
from .vin import validate_vin


def _require_permission(actor, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise DomainError(message, code="forbidden")


# ---------------------------------------------------------------------------------------------
# Vehicles


def vehicle_validate_fields(*, vin: str, year: int, today: date | None = None) -> str:
    """Check what an organization types in; return the normalized VIN. Raises DomainError on
    the field at fault. Forms, the API and the service all call this one function."""
    today = today or timezone.localdate()
    try:
        vin = validate_vin(vin)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="vin", code=error.code or "invalid") from error
    if Vehicle.objects.filter(vin=vin).exists():
        raise DomainError(
            "A vehicle with this VIN is already registered. If it changed hands, ask OEMS to "
            "retire it from the previous organization first.",
            field="vin",
            code="duplicate_vin",
        )
    latest = rules.latest_model_year(today)
    if year > latest:
        raise DomainError(
            f"The model year cannot be later than {latest}.", field="year", code="future_year"
        )
    if year < rules.FIRST_MODEL_YEAR_WITH_17_CHARACTER_VIN:
        raise DomainError(
            f"Vehicles built before {rules.FIRST_MODEL_YEAR_WITH_17_CHARACTER_VIN} have no "
            "17-character VIN; contact OEMS to register one.",
            field="year",
        )
    return vin


@transaction.atomic
def vehicle_register(
    *,
    organization: Organization,
    actor,
    vin: str,
    make: str,
    model: str,
    year: int,
    plate: str,
    vehicle_type: str,
    service_level: str,
) -> Vehicle:
    """An organization administrator (or staff) registers a vehicle; it waits for approval."""
    if not (user_administers(user=actor, organization=organization) or actor.is_staff):
        raise DomainError("You do not administer this organization.", code="forbidden")
    vin = vehicle_validate_fields(vin=vin, year=year)
    vehicle = Vehicle(
        organization=organization,
        vin=vin,
        make=make.strip(),
        model=model.strip(),
        year=year,
        plate=plate.strip().upper(),
        vehicle_type=vehicle_type,
        service_level=service_level,
        registered_by=actor,
    )
    try:
        # A savepoint, so a VIN registered by someone else a moment ago is a readable refusal
        # and the caller's transaction stays usable.
        with transaction.atomic():
            save_with_audit(vehicle, actor=actor, reason="Registered")
    except IntegrityError as error:
        raise DomainError(
            "A vehicle with this VIN is already registered.", field="vin", code="duplicate_vin"
        ) from error
    return vehicle


@transaction.atomic
def vehicle_approve(*, vehicle: Vehicle, actor, note: str = "") -> Vehicle:
    """Staff accept the registration: the vehicle is in service and its initial inspection is
    due at once (rules.next_inspection_due)."""
    _require_permission(
        actor, "vehicles.approve_vehicle", "Only OEMS staff approve vehicle registrations."
    )
    vehicle = locked(vehicle)
    if vehicle.status == VehicleStatus.IN_SERVICE and vehicle.approved_on:
        return vehicle
    today = timezone.localdate()
    transition(
        vehicle,
        allowed=VEHICLE_TRANSITIONS,
        target=VehicleStatus.IN_SERVICE,
        actor=actor,
        reason=note or "Registration approved",
        changes={
            "approved_on": today,
            "next_inspection_due": rules.next_inspection_due(
                last_passed_on=None, approved_on=today
            ),
        },
    )
    return vehicle


@transaction.atomic
def vehicle_refuse(*, vehicle: Vehicle, actor, reason: str) -> Vehicle:
    _require_permission(
        actor, "vehicles.approve_vehicle", "Only OEMS staff refuse vehicle registrations."
    )
    if not reason.strip():
        raise DomainError("Say why the registration is refused.", field="reason")
    vehicle, _ = transition_once(
        vehicle,
        allowed=VEHICLE_TRANSITIONS,
        target=VehicleStatus.REFUSED,
        actor=actor,
        reason=reason,
    )
    return vehicle


@transaction.atomic
def vehicle_retire(*, vehicle: Vehicle, actor, reason: str = "") -> Vehicle:
    _require_permission(actor, "vehicles.change_vehicle", "Only OEMS staff retire vehicles.")
    vehicle, _ = transition_once(
        vehicle,
        allowed=VEHICLE_TRANSITIONS,
        target=VehicleStatus.RETIRED,
        actor=actor,
        reason=reason or "Retired",
        changes={"next_inspection_due": None},
        check=_refuse_with_open_inspection,
    )
    return vehicle


def _refuse_with_open_inspection(vehicle: Vehicle) -> None:
    if vehicle.inspections.filter(status__in=OPEN_INSPECTION_STATUSES).exists():
        raise DomainError("Cancel the vehicle's open inspection before retiring it.")


# ---------------------------------------------------------------------------------------------
# Inspections


def _kind_for(vehicle: Vehicle) -> str:
    if vehicle.status == VehicleStatus.OUT_OF_SERVICE:
        return InspectionKind.REINSPECTION
    if vehicle.last_inspected_on is None:
        return InspectionKind.INITIAL
    return InspectionKind.PERIODIC


def inspection_schedule_check(*, vehicle: Vehicle, scheduled_for: date, inspector) -> None:
    """Raise DomainError (on the field at fault) unless this booking may be made."""
    if vehicle.status not in INSPECTED_STATUSES:
        raise DomainError(
            f"A vehicle that is {vehicle.get_status_display().lower()} cannot be inspected.",
            field="vehicle",
        )
    if not inspector.has_role(roles.VEHICLE_INSPECTOR):
        raise DomainError("Assign the inspection to a vehicle inspector.", field="inspector")
    if scheduled_for < timezone.localdate():
        raise DomainError("Choose today or a later date.", field="scheduled_for")
    if vehicle.inspections.filter(status__in=OPEN_INSPECTION_STATUSES).exists():
        raise DomainError(
            "This vehicle already has an inspection scheduled; change or cancel that one.",
            field="vehicle",
            code="already_scheduled",
        )


@transaction.atomic
def inspection_schedule(*, vehicle: Vehicle, scheduled_for: date, inspector, actor) -> Inspection:
    """Staff book an inspection and assign it to a vehicle inspector. A vehicle has at most one
    open (scheduled or in progress) inspection; the kind follows from the vehicle's state."""
    _require_permission(
        actor, "vehicles.schedule_inspection", "Only OEMS staff schedule inspections."
    )
    vehicle = locked(vehicle)
    inspection_schedule_check(vehicle=vehicle, scheduled_for=scheduled_for, inspector=inspector)
    inspection = Inspection(
        vehicle=vehicle,
        kind=_kind_for(vehicle),
        scheduled_for=scheduled_for,
        inspector=inspector,
        scheduled_by=actor,
    )
    save_with_audit(inspection, actor=actor, reason="Scheduled")
    return inspection


def _require_recorder(inspection: Inspection, actor) -> None:
    if not selectors.user_can_record(user=actor, inspection=inspection):
        raise DomainError("This inspection is assigned to another inspector.", code="forbidden")


def _refuse_if_recorded(inspection: Inspection) -> None:
    if inspection.status in RECORDED_INSPECTION_STATUSES:
        when = date_format(timezone.localtime(inspection.completed_at), "N j, Y, P")
        raise DomainError(
            f"This inspection was already recorded as {inspection.get_status_display().lower()} "
            f"on {when}; nothing was changed. Schedule a new inspection to inspect again.",
            code="already_recorded",
        )
    if inspection.status == InspectionStatus.CANCELLED:
        raise DomainError("This inspection was cancelled; nothing was changed.", code="cancelled")


@transaction.atomic
def inspection_start(*, inspection: Inspection, actor) -> Inspection:
    """The inspector starts recording: the checklist for the vehicle's level plus the
    mechanical checklist is copied onto the inspection, one unanswered line per item."""
    inspection = locked(inspection)
    _require_recorder(inspection, actor)
    if inspection.status == InspectionStatus.IN_PROGRESS:
        return inspection
    _refuse_if_recorded(inspection)
    items = list(ChecklistItem.objects.for_level(inspection.vehicle.service_level))
    if not items:
        raise DomainError(
            "There is no checklist for this vehicle's service level yet; ask a supervisor to "
            "add the equipment list."
        )
    transition(
        inspection,
        allowed=INSPECTION_TRANSITIONS,
        target=InspectionStatus.IN_PROGRESS,
        actor=actor,
        reason="Inspection started",
        changes={"started_at": timezone.now()},
    )
    InspectionAnswer.objects.bulk_create(
        InspectionAnswer(
            inspection=inspection,
            item=item,
            section=item.section,
            category=item.category,
            description=item.description,
            quantity=item.quantity,
            position=item.position,
        )
        for item in items
    )
    return inspection


@transaction.atomic
def inspection_answer(
    *,
    answer: InspectionAnswer,
    actor,
    result: str,
    note: str = "",
    photo=None,
) -> InspectionAnswer:
    """Record one checklist line as the inspector goes (each answer is saved on its own, so a
    lost connection loses only the answer being sent)."""
    inspection = locked(answer.inspection)
    _require_recorder(inspection, actor)
    _refuse_if_recorded(inspection)
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise DomainError("Start the inspection before recording answers.")
    if result not in AnswerResult.values:
        raise DomainError("Choose pass, fail or N/A.", field="result")
    answer = InspectionAnswer.objects.select_for_update().get(pk=answer.pk)
    answer.result = result
    answer.note = note.strip()
    answer.answered_at = timezone.now()
    answer.answered_by = actor
    fields = ["result", "note", "answered_at", "answered_by"]
    if photo is not None:
        problem = upload_problem(photo, allowed=(PNG, JPEG))
        if problem:
            raise DomainError(problem.replace("The file", "The photo"), field="photo")
        answer.photo = photo
        fields += ["photo", "photo_name"]  # the name the inspector's file had, for display
    save_with_audit(answer, actor=actor, reason="Answered", update_fields=fields)
    return answer


@transaction.atomic
def inspection_complete(*, inspection: Inspection, actor) -> Inspection:
    """Close the checklist. Every line must be answered; any failed line fails the inspection
    and takes the vehicle out of service, otherwise it passes and the sticker is issued."""
    inspection = locked(inspection)
    _require_recorder(inspection, actor)
    _refuse_if_recorded(inspection)
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise DomainError("Start the inspection before completing it.")
    unanswered = inspection.answers.filter(result="").count()
    if unanswered:
        raise DomainError(
            f"{unanswered} checklist item{'s are' if unanswered > 1 else ' is'} not answered "
            "yet; answer every item before completing the inspection.",
            code="unanswered",
        )
    undescribed = inspection.answers.filter(result=AnswerResult.FAIL, note="").count()
    if undescribed:
        raise DomainError(
            f"{undescribed} failed item{'s have' if undescribed > 1 else ' has'} no note; "
            "describe each deficiency before completing the inspection.",
            code="undescribed_deficiency",
        )
    deficiencies = inspection.answers.filter(result=AnswerResult.FAIL).count()
    now = timezone.now()
    today = timezone.localdate(now)
    vehicle = locked(inspection.vehicle)
    if deficiencies:
        transition(
            inspection,
            allowed=INSPECTION_TRANSITIONS,
            target=InspectionStatus.FAILED,
            actor=actor,
            reason=f"{deficiencies} deficienc{'ies' if deficiencies > 1 else 'y'}",
            changes={"completed_at": now},
        )
        _vehicle_record_failure(vehicle, inspection=inspection, actor=actor, today=today)
        enqueue_on_commit("vehicles.tasks.send_inspection_failed", inspection.pk)
    else:
        sticker = rules.sticker_number(passed_on=today, inspection_id=inspection.pk)
        transition(
            inspection,
            allowed=INSPECTION_TRANSITIONS,
            target=InspectionStatus.PASSED,
            actor=actor,
            reason="All items passed",
            changes={"completed_at": now, "sticker_number": sticker},
        )
        _vehicle_record_pass(vehicle, sticker=sticker, actor=actor, today=today)
    inspection.vehicle = vehicle
    return inspection


def _vehicle_record_result(
    vehicle: Vehicle, *, status: str, changes: dict, actor, reason: str, moved_reason: str
) -> None:
    """An inspection's result on the vehicle: one audited save of ``changes``, which moves it
    to ``status`` (``moved_reason``) unless it is there already (``reason``)."""
    if vehicle.status == status:
        for name, value in changes.items():
            setattr(vehicle, name, value)
        save_with_audit(vehicle, actor=actor, reason=reason, update_fields=[*changes, "updated_at"])
        return
    transition(
        vehicle,
        allowed=VEHICLE_TRANSITIONS,
        target=status,
        actor=actor,
        reason=moved_reason,
        changes=changes,
    )


def _vehicle_record_failure(vehicle: Vehicle, *, inspection: Inspection, actor, today) -> None:
    reason = f"Failed inspection #{inspection.pk}"
    _vehicle_record_result(  # out of service already: a failed re-inspection
        vehicle,
        status=VehicleStatus.OUT_OF_SERVICE,
        changes={"last_inspected_on": today, "last_inspection_result": InspectionResult.FAILED},
        actor=actor,
        reason=reason,
        moved_reason=reason,
    )


def _vehicle_record_pass(vehicle: Vehicle, *, sticker: str, actor, today) -> None:
    changes = {
        "last_inspected_on": today,
        "last_inspection_result": InspectionResult.PASSED,
        "sticker_number": sticker,
        "sticker_expires_on": rules.sticker_expires_on(today),
        "next_inspection_due": rules.next_inspection_due(last_passed_on=today, approved_on=None),
    }
    _vehicle_record_result(
        vehicle,
        status=VehicleStatus.IN_SERVICE,
        changes=changes,
        actor=actor,
        reason="Passed inspection",
        moved_reason="Passed re-inspection: back in service",
    )


@transaction.atomic
def inspection_cancel(*, inspection: Inspection, actor, reason: str) -> Inspection:
    _require_permission(
        actor, "vehicles.schedule_inspection", "Only OEMS staff cancel inspections."
    )
    if not reason.strip():
        raise DomainError("Say why the inspection is cancelled.", field="reason")
    inspection, _ = transition_once(
        inspection,
        allowed=INSPECTION_TRANSITIONS,
        target=InspectionStatus.CANCELLED,
        actor=actor,
        reason=reason,
        check=_refuse_if_recorded,
    )
    return inspection
