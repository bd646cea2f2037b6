"""Providers, their certifications and credentials, continuing education, account linking and
renewal applications. Rules and numbers live in ``rules.py``; the data staff edit (CE
requirement sets, incomplete-application reasons) lives here."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField

from . import rules
from .rules import CertificationStatus, Discipline, Level

__all__ = ["Level", "CertificationStatus", "Discipline"]


class Provider(models.Model):
    """A person on the state record. The SSN is never stored: only its keyed hash (HMAC with
    settings.SSN_HMAC_KEY), to compare at linking, and the last four digits, to show."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider",
        help_text="The portal account linked to this person (one account, one person).",
    )
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    other_names = models.CharField(
        max_length=300, blank=True, help_text="Other names used, separated by semicolons."
    )
    date_of_birth = models.DateField()
    ssn_hmac = models.CharField(max_length=64, db_index=True, editable=False)
    ssn_last4 = models.CharField(max_length=4, editable=False)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line1 = models.CharField("mailing address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    nremt_number = models.CharField("NREMT number", max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Even the hash stays out of the history tables: the audit trail has no use for it.
    history = HistoricalRecords(excluded_fields=["ssn_hmac"])

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Upper("last_name"), Upper("first_name"), name="provider_name_upper"),
            # The staff admin's order (ProviderAdmin.ordering): a page off the index, no sort.
            models.Index(fields=["last_name", "first_name", "id"], name="provider_admin_order"),
            # Admin search "=nremt_number" (UPPER(nremt_number) = UPPER('...')).
            models.Index(Upper("nremt_number"), name="provider_nremt_upper"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_name, self.middle_name, self.last_name) if part
        )


class CertificationQuerySet(models.QuerySet):
    def with_status(self, status: str, *, today: date | None = None):
        return self.filter(rules.status_q(status, today=today or timezone.localdate()))


# What ``Certification.status_on`` reads: a query that shows a status loads these (``.only``).
STATUS_FIELDS = (
    "expires_on",
    "discipline",
    "discipline_from",
    "discipline_until",
    "superseded_on",
)


class Certification(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="certifications")
    number = models.CharField(max_length=10, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    issued_on = models.DateField()
    expires_on = models.DateField(db_index=True)
    discipline = models.CharField(max_length=20, choices=Discipline.choices, blank=True)
    discipline_from = models.DateField(null=True, blank=True)
    discipline_until = models.DateField(null=True, blank=True)
    discipline_reason = models.TextField(blank=True)
    # A level change (EMT -> Paramedic) supersedes the lower certification from this day on.
    superseded_on = models.DateField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("issued_on")),
                name="certification_expires_after_issue",
            )
        ]
        # Admin search "=number" is case-insensitive (UPPER(number) = UPPER('e100001')).
        indexes = [models.Index(Upper("number"), name="certification_number_upper")]

    def __str__(self):
        return f"{self.number} ({self.get_level_display()})"

    def status_on(self, today: date | None = None) -> str:
        return rules.certification_status(
            expiration=self.expires_on,
            discipline=self.discipline,
            discipline_from=self.discipline_from,
            discipline_until=self.discipline_until,
            superseded_on=self.superseded_on,
            today=today or timezone.localdate(),
        )

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return CertificationStatus(self.status).label


class CredentialKind(models.TextChoices):
    INSTRUCTOR = "instructor", "Instructor/Coordinator"
    EXAMINER = "examiner", "Examiner"
    CHIEF_EXAMINER = "chief_examiner", "Chief Examiner"


class Credential(models.Model):
    """Instructor/Coordinator and Examiner/Chief Examiner credentials: renewed on their own
    deadline, and only once the underlying certification has renewed."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(max_length=20, choices=CredentialKind.choices)
    number = models.CharField(max_length=20, unique=True)
    underlying = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="credentials",
        help_text="The EMT, AEMT or Paramedic certification this credential rests on.",
    )
    issued_on = models.DateField()
    expires_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def deadline(self) -> date:
        return rules.credential_deadline(self.expires_on)


class CredentialRenewalStatus(models.TextChoices):
    PENDING_UNDERLYING = "pending_underlying", "Pending renewal of the underlying certification"
    READY = "ready", "Ready for decision"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"


CREDENTIAL_RENEWAL_TRANSITIONS = {
    CredentialRenewalStatus.PENDING_UNDERLYING: {
        CredentialRenewalStatus.READY,
        CredentialRenewalStatus.DENIED,
    },
    CredentialRenewalStatus.READY: {
        CredentialRenewalStatus.APPROVED,
        CredentialRenewalStatus.DENIED,
    },
    CredentialRenewalStatus.APPROVED: set(),
    CredentialRenewalStatus.DENIED: set(),
}


class CredentialRenewal(models.Model):
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="renewals")
    status = models.CharField(max_length=30, choices=CredentialRenewalStatus.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_expires_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential"],
                condition=models.Q(status__in=["pending_underlying", "ready"]),
                name="one_open_credential_renewal",
            )
        ]

    def __str__(self):
        return f"Renewal of {self.credential}"


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


class CERecord(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="ce_records")
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = "CE record"
        indexes = [
            # The admin's order, read backwards: the newest page off the index, no sort.
            models.Index(fields=["completed_on", "id"], name="cerecord_admin_order"),
            # Admin search "=approval_number" (case-insensitive).
            models.Index(Upper("approval_number"), name="cerecord_approval_upper"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="ce_hours_positive")
        ]

    def __str__(self):
        return f"{self.course_title} ({self.hours} h, {self.completed_on})"


class LinkOutcome(models.TextChoices):
    LINKED = "linked", "Linked"
    NO_MATCH = "no_match", "Could not match"
    OTHER_PERSON = "other_person", "Account already holds another person"
    THROTTLED = "throttled", "Refused: too many attempts"


class LinkAttempt(models.Model):
    """Every attempt to link an account to a certification, kept for staff. Holds the number
    typed, never the date of birth or SSN typed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_attempts"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    number_entered = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=LinkOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.number_entered} · {self.get_outcome_display()}"


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


class ReviewedApplication(models.Model):
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
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class RenewalStep(models.TextChoices):
    NREMT = "nremt", "Step A: national registry"
    DETAILS = "details", "Your details"
    CE = "ce", "Continuing education"
    ATTEST = "attest", "Attestation"


RENEWAL_STEPS = list(RenewalStep.values)


class RenewalApplication(ReviewedApplication):
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="renewal_applications"
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
    # Contact details as the applicant declared them; saving the step also updates the provider.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line1 = models.CharField("mailing address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    ce_records = models.ManyToManyField(CERecord, blank=True, related_name="applications")
    previous_expires_on = models.DateField(null=True, blank=True)
    new_expires_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=["return_reasons"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=models.Q(status__in=OPEN_RENEWAL_STATUSES),
                name="one_open_renewal_per_certification",
            )
        ]
        indexes = [
            models.Index(fields=["status", "complete_on"]),
            # The review queue's order (RenewalApplicationAdmin.ordering), unfiltered.
            models.Index(fields=["complete_on", "id"], name="renewal_queue_order"),
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


# --- Numbering ---------------------------------------------------------------------------------


class NumberSequence(models.Model):
    """The last number issued in a series (certification numbers per level prefix, T3 approval
    numbers per year). Locked while the next one is taken, so numbers are issued in sequence
    and never twice."""

    key = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last_value}"


# --- First certification and reinstatement -----------------------------------------------------


# Kept for the migrations that created the field; new files go to a random name (core.files).
def initial_upload_path(instance, filename):
    return f"providers/initial/{instance.applicant_id}/{filename}"


class InitialApplication(ReviewedApplication):
    """A first state certification at a level, by someone who passed the national exam. On
    approval it creates the Provider (or finds the person already on the record) and the
    Certification. The SSN is kept as its keyed hash only, like Provider's."""

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
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line1 = models.CharField("mailing address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
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
    cpr_card = PrivateFileField(
        "CPR card",
        kind="initial-cpr-card",
        upload_to="files/providers/initial-cards",
        original_name_field="cpr_card_name",
        blank=True,
    )
    cpr_card_name = models.CharField(max_length=255, blank=True, editable=False)
    cpr_expires_on = models.DateField("CPR card expires on", null=True, blank=True)
    acls_card = PrivateFileField(
        "ACLS card",
        kind="initial-acls-card",
        upload_to="files/providers/initial-cards",
        original_name_field="acls_card_name",
        blank=True,
    )
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

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status__in=OPEN_RENEWAL_STATUSES),
                name="one_open_initial_application_per_account",
            )
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

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=models.Q(status__in=OPEN_RENEWAL_STATUSES),
                name="one_open_reinstatement_per_certification",
            )
        ]

    def __str__(self):
        return f"Reinstatement of {self.certification.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("providers:reinstatement-detail", kwargs={"pk": self.pk})


class RegistryImport(models.Model):
    """One run of the registry import (command or admin): who, which file, what it did. Failed
    runs are kept too, with their error count; error details never include an SSN."""

    file_name = models.CharField(max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    providers_created = models.PositiveIntegerField(default=0)
    certifications_created = models.PositiveIntegerField(default=0)
    certifications_updated = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.TextField(blank=True, help_text="The first errors found, by line and column.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        outcome = "imported" if self.succeeded else "refused"
        return f"{self.file_name} ({outcome}, {self.started_at:%Y-%m-%d %H:%M})"


# Renewal reminders and card emails live in their own module; imported here so they are this
# app's models.
from .reminders.models import (  # noqa: E402
    CertificationCardEmail,
    ReminderSent,
    ReminderThreshold,
)

__all__ += ["CertificationCardEmail", "ReminderSent", "ReminderThreshold"]
