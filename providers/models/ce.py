"""Continuing education: the hours each level needs per cycle and the records providers keep."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import Timestamped
from providers import rules
from providers.models.certifications import Level, Provider


class CEComponent(models.TextChoices):
    NATIONAL = "national", "National"
    LOCAL = "local", "Local/state"
    INDIVIDUAL = "individual", "Individual"


class CERequirementSet(models.Model):
    """Hours needed per level and cycle, by component, and how much may be distributive
    education (blank = all of it). Staff edit these; the newest set in effect applies."""

    level = models.CharField(max_length=20, choices=Level.choices)
    effective_from = models.DateField()
    national_hours = models.DecimalField(max_digits=5, decimal_places=2)
    local_hours = models.DecimalField(max_digits=5, decimal_places=2)
    individual_hours = models.DecimalField(max_digits=5, decimal_places=2)
    max_distributive_hours = models.DecimalField(
        "most hours that may be distributive education",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave blank when all CE may be distributive education.",
    )
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "-effective_from"]
        verbose_name = "CE requirement set"
        constraints = [
            models.UniqueConstraint(fields=["level", "effective_from"], name="one_ce_set_per_day")
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.total_hours} h from {self.effective_from}"

    @property
    def total_hours(self) -> Decimal:
        return self.national_hours + self.local_hours + self.individual_hours

    def hours_for(self, component: str) -> Decimal:
        return getattr(self, f"{component}_hours")


class CEDelivery(models.TextChoices):
    LIVE = "live", "In person or live online"
    DISTRIBUTIVE = "distributive", "Distributive education (self-paced online)"


# Kept for the migrations that created the field; new files go to a random name (core.files).
def ce_upload_path(instance, filename):
    return f"providers/ce/{instance.provider_id}/{filename}"


class CERecord(Timestamped):
    # Indexed by cerecord_by_provider below (which also covers the admin's order).
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="ce_records", db_index=False
    )
    course_title = models.CharField(max_length=200)
    completed_on = models.DateField()
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    component = models.CharField(max_length=20, choices=CEComponent.choices)
    delivery = models.CharField(max_length=20, choices=CEDelivery.choices)
    approval_number = models.CharField(
        max_length=20, blank=True, help_text=rules.APPROVAL_NUMBER_HELP
    )
    certificate = PrivateFileField(
        kind="ce-certificate",
        upload_to="files/providers/ce-certificates",
        original_name_field="certificate_name",
        blank=True,
    )
    certificate_name = models.CharField(max_length=255, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = "CE record"
        indexes = [
            # The admin's order, read backwards: the newest page off the index, no sort.
            models.Index(fields=["completed_on", "id"], name="cerecord_admin_order"),
            # Admin search "=approval_number" (case-insensitive).
            models.Index(Upper("approval_number"), name="cerecord_approval_upper"),
            # A person's records, and (PostgreSQL: covering) the order a staff search by name
            # sorts them in, read from the index alone (docs/performance.md).
            models.Index(
                fields=["provider"],
                include=["id", "completed_on"],
                name="cerecord_by_provider",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="ce_hours_positive")
        ]

    def __str__(self):
        return f"{self.course_title} ({self.hours} h, {self.completed_on})"
