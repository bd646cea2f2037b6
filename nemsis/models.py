"""The state's scope of practice (procedures, medications, protocols and the levels that may
perform each), the elements the state collects, and the DEM files organizations send."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import LastChanged, Timestamped, acting_account
from providers.rules import Level


class ScopeKind(models.TextChoices):
    PROCEDURE = "procedure", "Procedure (SNOMED CT)"
    MEDICATION = "medication", "Medication (RxNorm)"
    PROTOCOL = "protocol", "Protocol (NEMSIS protocol code)"


class ScopeItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ScopeItem(LastChanged):
    """One procedure, medication or protocol permitted in the state, and the certification
    levels that may perform it. ``services.scope_item_problems`` checks the code."""

    kind = models.CharField(max_length=20, choices=ScopeKind.choices)
    code = models.CharField(
        max_length=18,
        help_text="SNOMED CT for a procedure, RxNorm (RXCUI) for a medication, the NEMSIS "
        "protocol code (99141xx) for a protocol.",
    )
    name = models.CharField(max_length=200)
    levels = models.JSONField(
        default=list, blank=True, help_text="The certification levels that may perform it."
    )
    is_active = models.BooleanField(default=True)
    is_demo = models.BooleanField(
        default=False, help_text="Part of the demo set seed_demo loads; not a real state's scope."
    )
    note = models.CharField(max_length=300, blank=True)

    objects = ScopeItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="nemsis_one_scope_item_per_code")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def level_labels(self) -> list[str]:
        return [Level(level).label for level in Level.values if level in self.levels]


class CollectedElement(LastChanged):
    """An element the state collects (sElement.01): the list ePCR software configures itself
    from."""

    number = models.CharField(max_length=40, unique=True, help_text="E.g. dAgency.01, eVitals.10.")
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.number


class DemUploadStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be checked"
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked: waiting for your confirmation"
    REFUSED = "refused", "Refused"
    CONFIRMED = "confirmed", "Confirmed: roster updated"


DEM_TRANSITIONS = {
    DemUploadStatus.QUEUED: {DemUploadStatus.CHECKING, DemUploadStatus.REFUSED},
    # checking -> queued: a transient error sends it back for a retry.
    DemUploadStatus.CHECKING: {
        DemUploadStatus.CHECKED,
        DemUploadStatus.REFUSED,
        DemUploadStatus.QUEUED,
    },
    DemUploadStatus.CHECKED: {DemUploadStatus.CONFIRMED},
    DemUploadStatus.REFUSED: set(),
    DemUploadStatus.CONFIRMED: set(),
}


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private/ with no URL: they are only ever read by the portal."""

    def __init__(self):
        super().__init__(location=Path(settings.MEDIA_ROOT) / "private", base_url=None)

    def url(self, name):
        raise ValueError("Private files have no URL.")


def dem_upload_to(upload: "DemUpload", filename: str) -> str:
    # A random name: nothing of the uploader's filename reaches the disk.
    return f"nemsis/dem/{uuid.uuid4()}.xml"


class DemUpload(Timestamped):
    """An organization's DEMDataSet file, its check against the portal and, once the
    administrator confirms, what it changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="dem_uploads"
    )
    file = models.FileField(upload_to=dem_upload_to, storage=PrivateStorage, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # The content's SHA-256: the same file sent twice while the first is still open is one upload.
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=DemUploadStatus.choices, default=DemUploadStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=300, blank=True)
    # Refusal: what the validator said, where.
    error = models.TextField(blank=True)
    error_line = models.PositiveIntegerField(null=True, blank=True)
    error_element = models.CharField(max_length=200, blank=True)
    agency_number = models.CharField(max_length=50, blank=True)
    # The check, row by row: [{"section", "element", "key", "name", "outcome", "reason"}].
    report = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True, help_text="What confirming changed.")
    uploaded_by = acting_account(blank=False)
    confirmed_by = acting_account()
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["progress", "progress_message"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"DEM file of {self.organization} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("nemsis:dem-report", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.status in (DemUploadStatus.QUEUED, DemUploadStatus.CHECKING)
