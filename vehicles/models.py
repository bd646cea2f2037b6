"""Vehicles of EMS organizations, the checklists they are inspected against, and inspections.

The equipment lists (per service level) and the mechanical checklist are data staff edit in the
admin. An inspection copies the items it is recorded against when it starts, so a later edit of
a list never changes what a past inspection shows.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField, validate_image_upload
from core.models import Timestamped, acting_account
from organizations.models import Organization, ServiceLevel

from . import rules


class VehicleType(models.TextChoices):
    BLS_AMBULANCE = "bls_ambulance", "BLS ambulance"
    ALS_AMBULANCE = "als_ambulance", "ALS ambulance"
    NON_TRANSPORT = "non_transport", "Non-transport / first response"
    INVALID_COACH = "invalid_coach", "Invalid coach"
    SPECIALTY_CARE = "specialty_care", "Specialty care transport"


class VehicleStatus(models.TextChoices):
    PENDING = "pending", "Pending approval"
    IN_SERVICE = "in_service", "In service"
    OUT_OF_SERVICE = "out_of_service", "Out of service"
    RETIRED = "retired", "Retired"
    REFUSED = "refused", "Registration refused"


VEHICLE_TRANSITIONS = {
    VehicleStatus.PENDING: {VehicleStatus.IN_SERVICE, VehicleStatus.REFUSED},
    # A failed inspection takes a vehicle out of service; only a passed re-inspection returns it.
    VehicleStatus.IN_SERVICE: {VehicleStatus.OUT_OF_SERVICE, VehicleStatus.RETIRED},
    VehicleStatus.OUT_OF_SERVICE: {VehicleStatus.IN_SERVICE, VehicleStatus.RETIRED},
    VehicleStatus.RETIRED: set(),
    VehicleStatus.REFUSED: set(),
}

# Vehicles that are on the road, or meant to be, and so are inspected.
INSPECTED_STATUSES = (VehicleStatus.IN_SERVICE, VehicleStatus.OUT_OF_SERVICE)


class InspectionResult(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


class VehicleQuerySet(models.QuerySet):
    def inspected(self):
        return self.filter(status__in=INSPECTED_STATUSES)

    def overdue(self, *, today):
        return self.inspected().filter(next_inspection_due__lt=today)

    def due_between(self, *, start, end):
        return self.inspected().filter(next_inspection_due__range=(start, end))


class Vehicle(Timestamped):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="vehicles"
    )
    vin = models.CharField("VIN", max_length=17, unique=True)
    make = models.CharField(max_length=60)
    model = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField(
        "model year", validators=[MinValueValidator(rules.FIRST_MODEL_YEAR_WITH_17_CHARACTER_VIN)]
    )
    plate = models.CharField("registration plate", max_length=12)
    vehicle_type = models.CharField("type", max_length=20, choices=VehicleType.choices)
    service_level = models.CharField(
        max_length=20,
        choices=ServiceLevel.choices,
        default=ServiceLevel.BLS,
        help_text="Decides which minimum equipment list the vehicle is inspected against.",
    )
    status = models.CharField(
        max_length=20, choices=VehicleStatus.choices, default=VehicleStatus.PENDING
    )
    sticker_number = models.CharField(max_length=20, blank=True)
    sticker_expires_on = models.DateField(null=True, blank=True)
    next_inspection_due = models.DateField(null=True, blank=True, db_index=True)
    last_inspected_on = models.DateField(null=True, blank=True)
    last_inspection_result = models.CharField(
        max_length=10, choices=InspectionResult.choices, blank=True
    )
    registered_by = acting_account()
    approved_on = models.DateField(null=True, blank=True)

    objects = VehicleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__legal_name", "vin"]
        indexes = [
            models.Index(fields=["status", "next_inspection_due"]),
            models.Index(fields=["plate"]),
        ]
        permissions = [("approve_vehicle", "Can approve or refuse vehicle registrations")]

    def __str__(self):
        return f"{self.year} {self.make} {self.model} ({self.vin})"


class ChecklistSection(models.TextChoices):
    EQUIPMENT = "equipment", "Minimum equipment"
    MECHANICAL = "mechanical", "Mechanical"


class ChecklistItemQuerySet(models.QuerySet):
    def for_level(self, service_level: str):
        """What a vehicle of this level is inspected against: its level's equipment list plus
        the mechanical checklist, in the order staff set."""
        return self.filter(is_active=True).filter(
            models.Q(section=ChecklistSection.EQUIPMENT, service_level=service_level)
            | models.Q(section=ChecklistSection.MECHANICAL)
        )


class ChecklistItem(models.Model):
    """One line of a minimum equipment list (per service level) or of the mechanical checklist."""

    section = models.CharField(max_length=20, choices=ChecklistSection.choices)
    service_level = models.CharField(
        max_length=20,
        choices=ServiceLevel.choices,
        blank=True,
        help_text="The level whose equipment list holds this item; blank on mechanical items.",
    )
    category = models.CharField(max_length=80, help_text="e.g. Airway, Immobilization, Lights.")
    description = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0, help_text="Order on the checklist.")
    is_active = models.BooleanField(
        default=True, help_text="Untick to take the item off future inspections."
    )

    objects = ChecklistItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "service_level", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(section="mechanical", service_level="")
                    | (models.Q(section="equipment") & ~models.Q(service_level=""))
                ),
                name="equipment_items_have_a_level",
            )
        ]

    def __str__(self):
        quantity = f" ×{self.quantity}" if self.quantity > 1 else ""
        return f"{self.category}: {self.description}{quantity}"


class InspectionKind(models.TextChoices):
    INITIAL = "initial", "Initial"
    PERIODIC = "periodic", "Periodic (annual)"
    REINSPECTION = "reinspection", "Re-inspection after a failure"


class InspectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


INSPECTION_TRANSITIONS = {
    InspectionStatus.SCHEDULED: {InspectionStatus.IN_PROGRESS, InspectionStatus.CANCELLED},
    InspectionStatus.IN_PROGRESS: {
        InspectionStatus.PASSED,
        InspectionStatus.FAILED,
        InspectionStatus.CANCELLED,
    },
    InspectionStatus.PASSED: set(),
    InspectionStatus.FAILED: set(),
    InspectionStatus.CANCELLED: set(),
}
OPEN_INSPECTION_STATUSES = (InspectionStatus.SCHEDULED, InspectionStatus.IN_PROGRESS)
RECORDED_INSPECTION_STATUSES = (InspectionStatus.PASSED, InspectionStatus.FAILED)


class Inspection(Timestamped):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    scheduled_for = models.DateField(db_index=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_inspections",
        help_text="The vehicle inspector who records it.",
    )
    status = models.CharField(
        max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.SCHEDULED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    sticker_number = models.CharField(
        max_length=20, blank=True, help_text="Issued by a pass; printed on the sticker."
    )
    scheduled_by = acting_account()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["inspector", "scheduled_for", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(status__in=["scheduled", "in_progress"]),
                name="one_open_inspection_per_vehicle",
            )
        ]
        permissions = [
            ("schedule_inspection", "Can schedule, assign and cancel inspections"),
            ("record_inspection", "Can record the inspections assigned to them"),
            ("record_any_inspection", "Can record any inspector's inspection"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} inspection of {self.vehicle.vin} on {self.scheduled_for}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_INSPECTION_STATUSES


class AnswerResult(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NOT_APPLICABLE = "na", "N/A"


# Kept for the migrations that created the field; new files go to a random name (core.files).
def inspection_photo_path(answer, filename):
    return f"inspections/{answer.inspection_id}/{answer.pk or 'new'}-{filename}"


class InspectionAnswer(models.Model):
    """One checklist line of one inspection: a copy of the item, and what the inspector found."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(max_length=20, choices=ChecklistSection.choices)
    category = models.CharField(max_length=80)
    description = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    result = models.CharField(max_length=4, choices=AnswerResult.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    photo = PrivateFileField(
        kind="inspection-photo",
        upload_to="files/vehicles/inspection-photos",
        original_name_field="photo_name",
        blank=True,
        validators=[validate_image_upload],
    )
    photo_name = models.CharField(max_length=255, blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = acting_account()

    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.category}: {self.description}"

    @property
    def is_deficiency(self) -> bool:
        return self.result == AnswerResult.FAIL


class InspectionDueNotice(models.Model):
    """The claim that the 'inspection due' email for one vehicle and due date went out: the
    unique constraint makes the periodic task send it once, however often it runs."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="due_notices")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "due_on"], name="one_due_notice_per_due_date"
            )
        ]

    def __str__(self):
        return f"Due notice for {self.vehicle_id} ({self.due_on})"
