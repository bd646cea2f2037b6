"""Applications reviewed by staff: renewal, first certification and reinstatement, on one
lifecycle (``providers.applications.flow``)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import Decided, Timestamped
from providers import rules
from providers.models.ce import CERecord
from providers.models.certifications import (
    Certification,
    Level,
    MailingContact,
    Provider,
)


class IncompleteReason(models.Model):
    """A coded reason staff give when returning an application as incomplete (data)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What the provider should do to fix it.")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


# --- Applications reviewed by staff (renewal, initial certification, reinstatement) ---------------
# One lifecycle for every kind (``providers.applications.flow``): the statuses, the
# allowed-transitions table and the fields below are the same for all of them.


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FEE_DUE = "fee_due", "Fee due"
    PAID = "paid", "Paid — ready to submit"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned incomplete"
    RESUBMITTED = "resubmitted", "Resubmitted"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    ON_HOLD = "on_hold", "On hold: payment returned"


DECIDED_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.DENIED)
OPEN_APPLICATION_STATUSES = [s for s in ApplicationStatus.values if s not in DECIDED_STATUSES]
# Where staff have something to do.
QUEUE_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.RESUBMITTED,
]
# A returned payment can strike at any point after paying; paying again goes back there.
_HOLDABLE = {
    ApplicationStatus.PAID,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RESUBMITTED,
}

APPLICATION_TRANSITIONS = {
    ApplicationStatus.DRAFT: {ApplicationStatus.FEE_DUE},
    ApplicationStatus.FEE_DUE: {ApplicationStatus.PAID},
    ApplicationStatus.PAID: {ApplicationStatus.SUBMITTED, ApplicationStatus.ON_HOLD},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.IN_REVIEW, ApplicationStatus.ON_HOLD},
    ApplicationStatus.IN_REVIEW: {
        ApplicationStatus.RETURNED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.DENIED,
        ApplicationStatus.ON_HOLD,
    },
    ApplicationStatus.RETURNED: {ApplicationStatus.RESUBMITTED, ApplicationStatus.ON_HOLD},
    ApplicationStatus.RESUBMITTED: {ApplicationStatus.IN_REVIEW, ApplicationStatus.ON_HOLD},
    ApplicationStatus.ON_HOLD: _HOLDABLE,
    ApplicationStatus.APPROVED: set(),
    ApplicationStatus.DENIED: set(),
}

# The renewal's names for the same things (renewal was the first kind; callers use them).
RenewalStatus = ApplicationStatus
OPEN_RENEWAL_STATUSES = OPEN_APPLICATION_STATUSES
RENEWAL_TRANSITIONS = APPLICATION_TRANSITIONS


class ReviewedApplication(Timestamped, Decided):
    """What every application staff review has: its status in the one lifecycle, the signed
    attestation, the processing clock, the hold after a returned payment, the coded return and
    the decision. Each kind adds its own subject and what it asks for."""

    status = models.CharField(
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    attestation_name = models.CharField("typed name", max_length=200, blank=True)
    attested_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    complete_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day everything needed arrived; the processing time counts from it.",
    )
    return_reasons = models.ManyToManyField(IncompleteReason, blank=True, related_name="+")
    return_note = models.TextField(blank=True)
    status_before_hold = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, blank=True
    )

    TRANSITIONS = APPLICATION_TRANSITIONS

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    def days_waiting(self, today: date | None = None) -> int | None:
        if not self.complete_on or self.status not in QUEUE_STATUSES:
            return None
        return ((today or timezone.localdate()) - self.complete_on).days

    @property
    def processing_window(self):
        return rules.processing_window(self.complete_on) if self.complete_on else None


def one_open_application(per: str, *, name: str) -> models.UniqueConstraint:
    """At most one application not yet decided per ``per`` (a certification, an account)."""
    return models.UniqueConstraint(
        fields=[per], condition=models.Q(status__in=OPEN_APPLICATION_STATUSES), name=name
    )


class RenewalStep(models.TextChoices):
    NREMT = "nremt", "Step A: national registry"
    DETAILS = "details", "Your details"
    CE = "ce", "Continuing education"
    ATTEST = "attest", "Attestation"


RENEWAL_STEPS = list(RenewalStep.values)


class RenewalApplication(ReviewedApplication, MailingContact):
    """A certification's renewal: step A at the national registry, the contact details as the
    applicant declared them (saving that step also updates the provider) and the CE records."""

    # Indexed by renewal_by_certification below (which also covers the queue's order).
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="renewal_applications",
        db_index=False,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="renewal_applications"
    )
    step = models.CharField(max_length=20, choices=RenewalStep.choices, default=RenewalStep.NREMT)
    # Step A (at the national registry)
    nremt_number = models.CharField("NREMT number", max_length=20, blank=True)
    nremt_attested_at = models.DateTimeField(null=True, blank=True)
    nremt_verified_at = models.DateTimeField(null=True, blank=True)
    nremt_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ce_records = models.ManyToManyField(CERecord, blank=True, related_name="applications")
    previous_expires_on = models.DateField(null=True, blank=True)
    new_expires_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=["return_reasons"])

    class Meta(ReviewedApplication.Meta):
        constraints = [
            one_open_application("certification", name="one_open_renewal_per_certification")
        ]
        indexes = [
            models.Index(fields=["status", "complete_on"]),
            # The review queue's order (RenewalApplicationAdmin.ordering), unfiltered.
            models.Index(fields=["complete_on", "id"], name="renewal_queue_order"),
            # A certification's renewals, and (PostgreSQL: covering) the queue's order of a
            # staff search by name, read from the index alone (docs/performance.md).
            models.Index(
                fields=["certification"],
                include=["id", "complete_on"],
                name="renewal_by_certification",
            ),
            # The queue's search "=nremt_number" (case-insensitive exact).
            models.Index(Upper("nremt_number"), name="renewal_nremt_upper"),
        ]

    def __str__(self):
        return f"Renewal of {self.certification.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("providers:renewal-detail", kwargs={"pk": self.pk})


class DocumentKind(models.TextChoices):
    NAME_CHANGE = "name_change", "Proof of name change"
    CE_CERTIFICATE = "ce_certificate", "CE certificate"
    NREMT_CARD = "nremt_card", "NREMT card or confirmation"
    OTHER = "other", "Other"


# Kept for the migrations that created the field; new files go to a random name (core.files).
def renewal_upload_path(instance, filename):
    return f"providers/renewals/{instance.application_id}/{filename}"


class RenewalDocument(models.Model):
    application = models.ForeignKey(
        RenewalApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    file = PrivateFileField(
        kind="renewal-document",
        upload_to="files/providers/renewal-documents",
        original_name_field="original_name",
    )
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file.original_name}"


# Kept for the migrations that created the field; new files go to a random name (core.files).
def initial_upload_path(instance, filename):
    return f"providers/initial/{instance.applicant_id}/{filename}"


def _card(label: str, kind: str) -> PrivateFileField:
    """A card the applicant uploads (CPR, ACLS), kept under its original name in ``<kind>_name``."""
    return PrivateFileField(
        label,
        kind=f"initial-{kind}",
        upload_to="files/providers/initial-cards",
        original_name_field=f"{kind.replace('-', '_')}_name",
        blank=True,
    )


class InitialApplication(ReviewedApplication, MailingContact):
    """A first state certification at a level, by someone who passed the national exam. On
    approval it creates the Provider (or finds the person already on the record) and the
    Certification. The SSN is kept as its keyed hash only, like Provider's; the contact details
    are the applicant's as declared (``MailingContact``)."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="initial_applications"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    # Identity
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    ssn_hmac = models.CharField(max_length=64, blank=True, editable=False)
    ssn_last4 = models.CharField(max_length=4, blank=True, editable=False)
    # Education
    course_title = models.CharField(max_length=200, blank=True)
    course_approval_number = models.CharField(
        max_length=20, blank=True, help_text=rules.APPROVAL_NUMBER_HELP
    )
    course_completed_on = models.DateField(null=True, blank=True)
    # National exam
    nremt_number = models.CharField("NREMT number", max_length=20, blank=True)
    exam_passed_on = models.DateField("national exam passed on", null=True, blank=True)
    # Cards
    cpr_card = _card("CPR card", "cpr-card")
    cpr_card_name = models.CharField(max_length=255, blank=True, editable=False)
    cpr_expires_on = models.DateField("CPR card expires on", null=True, blank=True)
    acls_card = _card("ACLS card", "acls-card")
    acls_card_name = models.CharField(max_length=255, blank=True, editable=False)
    acls_expires_on = models.DateField("ACLS card expires on", null=True, blank=True)
    # Attestations
    background_attested_at = models.DateTimeField(null=True, blank=True)
    # What the approval put on the state record
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initial_applications",
    )
    certification = models.OneToOneField(
        Certification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initial_application",
    )

    history = HistoricalRecords(excluded_fields=["ssn_hmac"], m2m_fields=["return_reasons"])

    class Meta(ReviewedApplication.Meta):
        constraints = [
            one_open_application("applicant", name="one_open_initial_application_per_account")
        ]
        indexes = [models.Index(fields=["status", "complete_on"])]

    def __str__(self):
        name = " ".join(p for p in (self.first_name, self.last_name) if p) or self.applicant
        return f"Initial {self.get_level_display()} certification of {name}"

    def get_absolute_url(self):
        return reverse("providers:initial-detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def needs_acls(self) -> bool:
        return self.level in rules.ACLS_REQUIRED_LEVELS


class ReinstatementApplication(ReviewedApplication):
    """Reinstating a certification past its grace period but within the reinstatement window:
    CE per the requirement set, an attestation and the reinstatement fee."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="reinstatement_applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reinstatement_applications",
    )
    ce_records = models.ManyToManyField(CERecord, blank=True, related_name="reinstatements")
    previous_expires_on = models.DateField(null=True, blank=True)
    new_expires_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=["return_reasons"])

    class Meta(ReviewedApplication.Meta):
        constraints = [
            one_open_application("certification", name="one_open_reinstatement_per_certification")
        ]

    def __str__(self):
        return f"Reinstatement of {self.certification.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("providers:reinstatement-detail", kwargs={"pk": self.pk})
