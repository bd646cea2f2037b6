"""Staff's tool for vehicles, checklists and inspections: filters for what is due, overdue and
failed, actions that call the services, CSV export, and history on every row."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ListedInline, RowActions
from core.admin_filters import choice_filter
from core.errors import DomainError, put_on_form
from core.exports import csv_streaming_response

from . import selectors, services
from .models import (
    ChecklistItem,
    Inspection,
    InspectionAnswer,
    Vehicle,
    VehicleStatus,
)

# The rows each admin acts on (core.admin_actions.RowActions).
_vehicles = RowActions("vehicle")
_inspections = RowActions("inspection")


def _due_this_month(vehicles):
    start, end = selectors.month_bounds(timezone.localdate())
    return vehicles.due_between(start=start, end=end)


def _due_in_30_days(vehicles):
    today = timezone.localdate()
    return vehicles.due_between(start=today, end=today + timedelta(days=30))


InspectionDueFilter = choice_filter(
    "inspection due",
    "due",
    {
        "overdue": ("Overdue", lambda vehicles: vehicles.overdue(today=timezone.localdate())),
        "this_month": ("Due this month", _due_this_month),
        "next_30": ("Due in the next 30 days", _due_in_30_days),
    },
)


FailedFilter = choice_filter(
    "last inspection",
    "last_result",
    {
        "failed": (
            "Failed (awaiting re-inspection)",
            lambda vehicles: vehicles.filter(
                status=VehicleStatus.OUT_OF_SERVICE, last_inspection_result="failed"
            ),
        ),
        "passed": ("Passed", lambda vehicles: vehicles.filter(last_inspection_result="passed")),
    },
)


class InspectionInline(ListedInline):
    model = Inspection
    fields = ["scheduled_for", "kind", "inspector", "status", "sticker_number", "completed_at"]
    show_change_link = True


@admin.register(Vehicle)
class VehicleAdmin(SimpleHistoryAdmin):
    list_display = [
        "vin",
        "plate",
        "organization",
        "vehicle_type",
        "year",
        "status",
        "next_inspection_due",
        "sticker_expires_on",
    ]
    list_filter = [
        InspectionDueFilter,
        FailedFilter,
        "status",
        "vehicle_type",
        "service_level",
        # No organization filter: at state scale it listed every organization with a vehicle
        # (20,000 links in the sidebar, most of the page's time). Search by the organization's
        # number or name instead; ?organization__id__exact=N still filters.
    ]
    search_fields = [
        "vin",
        "plate",
        "make",
        "model",
        "organization__legal_name",
        "organization__number",
    ]
    list_select_related = ["organization"]
    date_hierarchy = "next_inspection_due"
    inlines = [InspectionInline]
    # What inspections and approvals decide is not typed by hand.
    readonly_fields = [
        "status",
        "sticker_number",
        "sticker_expires_on",
        "next_inspection_due",
        "last_inspected_on",
        "last_inspection_result",
        "registered_by",
        "approved_on",
        "created_at",
        "updated_at",
    ]
    actions = ["approve", "refuse", "retire", "export_csv"]

    def has_add_permission(self, request):
        # Vehicles are registered through vehicle_register (the organization's page or the
        # API), which checks the VIN and its check digit.
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "vin", "organization"]
        return self.readonly_fields

    approve = _vehicles.run(
        "Approve the selected registrations",
        services.vehicle_approve,
        "{count} registration(s) approved.",
        permissions=["approve"],
    )

    refuse = _vehicles.run(
        "Refuse the selected registrations",
        services.vehicle_refuse,
        "{count} registration(s) refused.",
        fixed={"reason": "Refused by OEMS staff"},
        permissions=["approve"],
    )

    retire = _vehicles.run(
        "Retire the selected vehicles", services.vehicle_retire, "{count} vehicle(s) retired."
    )

    @admin.action(description="Export the selected vehicles to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_streaming_response("vehicles.csv", selectors.vehicle_export_rows(queryset))

    def has_approve_permission(self, request):
        return request.user.has_perm("vehicles.approve_vehicle")


class InspectionAnswerInline(ListedInline):
    model = InspectionAnswer
    fields = [
        "section",
        "category",
        "description",
        "quantity",
        "result",
        "note",
        "photo",
        "answered_at",
    ]


class InspectionScheduleForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["vehicle", "scheduled_for", "inspector"]

    def clean(self):
        data = super().clean()
        if all(data.get(name) for name in ("vehicle", "scheduled_for", "inspector")):
            try:
                services.inspection_schedule_check(
                    vehicle=data["vehicle"],
                    scheduled_for=data["scheduled_for"],
                    inspector=data["inspector"],
                )
            except DomainError as error:
                put_on_form(self, error)
        return data


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = [
        "scheduled_for",
        "vehicle",
        "organization",
        "kind",
        "inspector",
        "status",
        "sticker_number",
    ]
    list_filter = [
        "status",
        "kind",
        ("scheduled_for", admin.DateFieldListFilter),
        ("inspector", admin.RelatedOnlyFieldListFilter),
        # No organization filter (see VehicleAdmin): search by the organization instead.
        "vehicle__vehicle_type",
    ]
    search_fields = ["vehicle__vin", "vehicle__plate", "vehicle__organization__legal_name"]
    list_select_related = ["vehicle__organization", "inspector"]
    autocomplete_fields = ["vehicle"]
    date_hierarchy = "scheduled_for"
    inlines = [InspectionAnswerInline]
    actions = ["cancel"]

    def get_inlines(self, request, obj=None):
        return self.inlines if obj is not None else []  # the checklist exists once started

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InspectionScheduleForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["vehicle", "scheduled_for", "inspector"]
        return [
            "vehicle",
            "kind",
            "scheduled_for",
            "inspector",
            "status",
            "started_at",
            "completed_at",
            "sticker_number",
            "scheduled_by",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Recording happens on the inspector's page; here staff see it, and may move an open
        # inspection to another day or inspector.
        editable = {"scheduled_for", "inspector"} if obj.is_open else set()
        return [name for name in self.get_fields(request, obj) if name not in editable]

    @admin.display(ordering="vehicle__organization__legal_name")
    def organization(self, obj):
        return obj.vehicle.organization

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created = services.inspection_schedule(
                vehicle=obj.vehicle,
                scheduled_for=obj.scheduled_for,
                inspector=obj.inspector,
                actor=request.user,
            )
        except DomainError as error:
            # The form ran the same checks; this is only reached when another person booked
            # the vehicle in between.
            raise forms.ValidationError(error.message) from error
        obj.pk = created.pk
        obj.refresh_from_db()

    cancel = _inspections.run(
        "Cancel the selected inspections",
        services.inspection_cancel,
        "{count} inspection(s) cancelled.",
        fixed={"reason": "Cancelled by OEMS staff"},
        permissions=["schedule"],
    )

    def has_schedule_permission(self, request):
        return request.user.has_perm("vehicles.schedule_inspection")

    def has_add_permission(self, request):
        return request.user.has_perm("vehicles.schedule_inspection")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "description",
        "section",
        "service_level",
        "category",
        "quantity",
        "position",
        "is_active",
    ]
    list_editable = ["quantity", "position", "is_active"]
    list_filter = ["section", "service_level", "category", "is_active"]
    search_fields = ["description", "category"]
