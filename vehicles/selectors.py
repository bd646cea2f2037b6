"""Reads on vehicles and inspections, with the joins their pages, API and tasks need, so each
list costs a fixed number of queries whatever its length."""

import calendar
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet

from organizations.models import Organization
from organizations.selectors import organizations_administered_by, user_administers

from . import rules
from .models import (
    OPEN_INSPECTION_STATUSES,
    AnswerResult,
    Inspection,
    InspectionAnswer,
    InspectionStatus,
    Vehicle,
    VehicleStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a queryset that carries annotations

    class _AnswerCounts(TypedDict):
        answered_count: int
        item_count: int


def month_bounds(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


# --- permissions (per object) -----------------------------------------------------------------


def user_can_view_vehicle(*, user, vehicle: Vehicle) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("vehicles.view_vehicle"):
        return True
    return user_administers(user=user, organization=vehicle.organization)


def user_can_view_organization_fleet(*, user, organization: Organization) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("vehicles.view_vehicle"):
        return True
    return user_administers(user=user, organization=organization)


def user_can_record(*, user, inspection: Inspection) -> bool:
    """The assigned inspector records an inspection; a supervisor may record anyone's."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.has_perm("vehicles.record_any_inspection"):
        return True
    return user.has_perm("vehicles.record_inspection") and inspection.inspector_id == user.pk


# --- vehicles -----------------------------------------------------------------------------------


def vehicle_list(*, organizations=None) -> QuerySet[Vehicle]:
    queryset = Vehicle.objects.select_related("organization")
    if organizations is not None:
        queryset = queryset.filter(organization__in=organizations)
    return queryset.order_by("organization__legal_name", "vehicle_type", "plate")


def vehicles_for_user(*, user) -> QuerySet[Vehicle]:
    """The vehicles of the organizations the user administers."""
    return vehicle_list(organizations=organizations_administered_by(user=user))


def vehicle_detail(*, pk: int) -> Vehicle:
    inspections = Inspection.objects.select_related("inspector").annotate(
        deficiency_count=Count("answers", filter=Q(answers__result=AnswerResult.FAIL))
    )
    return (
        Vehicle.objects.select_related("organization")
        .prefetch_related(Prefetch("inspections", queryset=inspections))
        .get(pk=pk)
    )


def vehicles_due_for_notice(*, today: date) -> QuerySet[Vehicle]:
    """Inspected vehicles whose due date is within the notice window (or past), with no open
    inspection booked. The task claims each (vehicle, due date) once."""
    return (
        Vehicle.objects.inspected()
        .filter(next_inspection_due__lte=rules.due_notice_window_end(today))
        .exclude(inspections__status__in=OPEN_INSPECTION_STATUSES)
        .exclude(due_notices__due_on=F("next_inspection_due"))
        .select_related("organization")
        .order_by("pk")
    )


def vehicle_export_rows(queryset: QuerySet[Vehicle]):
    """Rows of the staff CSV export, header first; streams without loading every row."""
    yield [
        "Organization",
        "Organization number",
        "VIN",
        "Year",
        "Make",
        "Model",
        "Plate",
        "Type",
        "Service level",
        "Status",
        "Sticker number",
        "Sticker expires",
        "Last inspected",
        "Last result",
        "Next inspection due",
    ]
    for vehicle in queryset.select_related("organization").iterator(chunk_size=500):
        yield [
            vehicle.organization.legal_name,
            vehicle.organization.number,
            vehicle.vin,
            vehicle.year,
            vehicle.make,
            vehicle.model,
            vehicle.plate,
            vehicle.get_vehicle_type_display(),
            vehicle.get_service_level_display(),
            vehicle.get_status_display(),
            vehicle.sticker_number,
            vehicle.sticker_expires_on or "",
            vehicle.last_inspected_on or "",
            vehicle.get_last_inspection_result_display(),
            vehicle.next_inspection_due or "",
        ]


# --- inspections --------------------------------------------------------------------------------


def inspection_summaries() -> QuerySet[Inspection]:
    """Inspections with their vehicle, organization, inspector and answer counts."""
    return Inspection.objects.select_related("vehicle__organization", "inspector").annotate(
        answered_count=Count("answers", filter=~Q(answers__result="")),
        item_count=Count("answers"),
        deficiency_count=Count("answers", filter=Q(answers__result=AnswerResult.FAIL)),
    )


def inspections_for_inspector(*, inspector, day: date) -> QuerySet[Inspection]:
    """The inspector's field list: what is booked for the day, plus anything still in progress
    or overdue from earlier days, so nothing started is lost from view."""
    return (
        inspection_summaries()
        .filter(inspector=inspector)
        .filter(
            Q(scheduled_for=day, status__in=[*OPEN_INSPECTION_STATUSES, "passed", "failed"])
            | Q(scheduled_for__lt=day, status__in=OPEN_INSPECTION_STATUSES)
        )
        .order_by("scheduled_for", "vehicle__organization__legal_name", "pk")
    )


SCHEDULED_PAGE_LIMIT = 500  # the staff list shows the next 500 open inspections


def inspections_scheduled(*, start: date | None = None, end: date | None = None):
    """Open inspections (scheduled or in progress), soonest first: the staff list."""
    queryset = inspection_summaries().filter(status__in=OPEN_INSPECTION_STATUSES)
    if start:
        queryset = queryset.filter(scheduled_for__gte=start)
    if end:
        queryset = queryset.filter(scheduled_for__lte=end)
    return queryset.order_by("scheduled_for", "inspector__email", "pk")


def inspection_with_answers(*, pk: int) -> Inspection:
    return (
        Inspection.objects.select_related("vehicle__organization", "inspector")
        .prefetch_related(
            Prefetch(
                "answers", queryset=InspectionAnswer.objects.order_by("section", "position", "id")
            )
        )
        .get(pk=pk)
    )


def inspections_for_organization(*, organization: Organization) -> QuerySet[Inspection]:
    return (
        inspection_summaries()
        .filter(vehicle__organization=organization)
        .exclude(status=InspectionStatus.CANCELLED)
        .order_by("-scheduled_for", "-pk")
    )


def fleet_summary(*, organizations, today: date) -> dict:
    """Counts for the organization administrator's dashboard panel."""
    vehicles = Vehicle.objects.filter(organization__in=organizations)
    return vehicles.aggregate(
        total=Count("pk", filter=~Q(status__in=[VehicleStatus.RETIRED, VehicleStatus.REFUSED])),
        pending=Count("pk", filter=Q(status=VehicleStatus.PENDING)),
        out_of_service=Count("pk", filter=Q(status=VehicleStatus.OUT_OF_SERVICE)),
        overdue=Count(
            "pk",
            filter=Q(status__in=[VehicleStatus.IN_SERVICE, VehicleStatus.OUT_OF_SERVICE])
            & Q(next_inspection_due__lt=today),
        ),
    )


def deficiencies_by_inspection(*, inspections) -> dict[int, list[InspectionAnswer]]:
    """The failed lines of these inspections, in one query, keyed by inspection id."""
    found: dict[int, list[InspectionAnswer]] = {}
    ids = [inspection.pk for inspection in inspections]
    answers = InspectionAnswer.objects.filter(inspection_id__in=ids, result=AnswerResult.FAIL)
    for answer in answers.order_by("section", "position", "id"):
        found.setdefault(answer.inspection_id, []).append(answer)
    return found


def inspection_export_rows(queryset: "QuerySet[WithAnnotations[Inspection, _AnswerCounts]]"):
    yield [
        "Scheduled for",
        "Status",
        "Kind",
        "Inspector",
        "Organization",
        "VIN",
        "Plate",
        "Type",
        "Answered",
        "Items",
    ]
    for inspection in queryset:
        vehicle = inspection.vehicle
        yield [
            inspection.scheduled_for,
            inspection.get_status_display(),
            inspection.get_kind_display(),
            inspection.inspector.email,
            vehicle.organization.legal_name,
            vehicle.vin,
            vehicle.plate,
            vehicle.get_vehicle_type_display(),
            inspection.answered_count,
            inspection.item_count,
        ]
