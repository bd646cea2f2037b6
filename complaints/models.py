"""Complaints from the public and their investigation. The stages, outcomes, deadlines and what
each outcome does live in ``constants.py``; the allowed moves sit there next to the stages.

Everything here is confidential: only staff with the investigator or supervisor role see a
complaint (``selectors.can_see_complaints``), each time they open one an access row is written,
and the subject sees a summary only after staff issue a notice.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import Timestamped

from .constants import (
    OPEN_STAGES,
    STAGE_TRANSITIONS,
    Category,
    Effect,
    Outcome,
    Stage,
)

__all__ = ["Category", "Outcome", "Stage", "STAGE_TRANSITIONS"]


class SubjectKind(models.TextChoices):
    PROVIDER = "provider", "An EMS provider"
    ORGANIZATION = "organization", "An EMS organization"
    DESCRIBED = "described", "Someone not found in the search"


class ComplaintSequence(models.Model):
    """The last tracking sequence used per year (locked while a number is drawn)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def overdue(self, *, today: date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Complaint(Timestamped):
    tracking_number = models.CharField(max_length=20, unique=True, editable=False)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    # Who or what it is about: one certification, one organization, or a description.
    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    certification = models.ForeignKey(
        "providers.Certification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    subject_description = models.TextField(
        blank=True, help_text="Who the complaint is about, in the complainant's words."
    )

    incident_date = models.DateField()
    incident_town = models.ForeignKey(
        "organizations.Town", on_delete=models.PROTECT, related_name="complaints"
    )
    incident_place = models.CharField(
        max_length=200, blank=True, help_text="Street, building or road, if known."
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    narrative = models.TextField()

    anonymous = models.BooleanField(default=False)
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_email = models.EmailField(blank=True)
    complainant_phone = models.CharField(max_length=30, blank=True)

    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECEIVED)
    due_on = models.DateField(
        null=True, blank=True, help_text="When the current stage is due to be done."
    )
    received_at = models.DateTimeField(default=timezone.now)
    triaged_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    investigation_started_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    has_jurisdiction = models.BooleanField(null=True, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField(
        blank=True, help_text="The decision, as it may be shown to the subject."
    )
    effective_from = models.DateField(null=True, blank=True)
    effective_until = models.DateField(null=True, blank=True)
    effect_applied = models.CharField(max_length=20, choices=Effect.choices, blank=True)
    effect_lifted_at = models.DateTimeField(null=True, blank=True)

    notice_issued_at = models.DateTimeField(
        null=True, blank=True, help_text="From then on the subject sees a summary."
    )

    objects = ComplaintQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        permissions = [
            ("investigate_complaint", "Can work on complaints (triage, investigate, close)"),
            ("supervise_complaint", "Can assign complaints, lift outcomes, read the access log"),
        ]
        indexes = [
            models.Index(fields=["stage", "due_on"]),
            models.Index(fields=["investigator", "stage"]),
            # The staff list's newest-first order (the admin adds -pk): read off the index, not
            # a sort of every complaint (100,000 at fifty times the state).
            models.Index(fields=["received_at", "id"], name="complaint_received_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subject_kind="provider")
                | models.Q(certification__isnull=False),
                name="complaint_provider_has_certification",
            ),
            models.CheckConstraint(
                condition=~models.Q(subject_kind="organization")
                | models.Q(organization__isnull=False),
                name="complaint_organization_has_organization",
            ),
        ]

    def __str__(self):
        return self.tracking_number

    @property
    def subject_label(self) -> str:
        certification = self.certification  # None without a query when there is none
        if certification is not None:
            return f"{certification.provider.full_name} ({certification.number})"
        if self.organization_id:
            return str(self.organization)
        return self.subject_description or "—"

    def is_overdue(self, today: date | None = None) -> bool:
        return bool(
            self.stage != Stage.CLOSED
            and self.due_on
            and self.due_on < (today or timezone.localdate())
        )


# Kept for the migrations that created the field; new files go to a random name (core.files).
def _random_name(folder, filename):
    # Random names: a complaint's files are never reachable by guessing a URL.
    extension = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"complaints/{folder}/{uuid.uuid4().hex}.{extension}"


def attachment_path(instance, filename):
    return _random_name("attachments", filename)


def evidence_path(instance, filename):
    return _random_name("evidence", filename)


def complaint_file(kind: str, folder: str) -> PrivateFileField:
    """A file kept with a complaint (the complainant's attachment, staff's evidence), downloaded
    under its original name."""
    return PrivateFileField(
        kind=f"complaint-{kind}",
        upload_to=f"files/complaints/{folder}",
        original_name_field="original_name",
    )


class Attachment(models.Model):
    """A file the complainant sent with the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = complaint_file("attachment", "attachments")
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Evidence(models.Model):
    """A file staff gathered during the investigation."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    file = complaint_file("evidence", "evidence")
    description = models.CharField(max_length=200)
    original_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.description


class Note(models.Model):
    """An internal note; never shown outside the investigators and supervisors."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note by {self.author} on {self.created_at:%Y-%m-%d}"


class AccessLog(models.Model):
    """One staff view of a complaint: who, when, which complaint, through what."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "complaint access"
        verbose_name_plural = "complaint access log"
        indexes = [models.Index(fields=["complaint", "at"])]

    def __str__(self):
        return f"{self.user} viewed {self.complaint} ({self.via})"
