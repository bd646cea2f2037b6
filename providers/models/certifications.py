"""Providers, their certifications and instructor/examiner credentials, and the number series
they are issued from."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import LastChanged, Timestamped, ends_after
from providers import rules
from providers.rules import CertificationStatus, Discipline, Level


class MailingContact(models.Model):
    """How to reach a person: email, phone and mailing address. The state record keeps them,
    and each application keeps them as the applicant declared them."""

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line1 = models.CharField("mailing address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)

    class Meta:
        abstract = True


class Provider(Timestamped, MailingContact):
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
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    nremt_number = models.CharField("NREMT number", max_length=20, blank=True)

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


class Certification(Timestamped):
    # Indexed by certification_by_provider below (which also covers the number).
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="certifications", db_index=False
    )
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

    objects = CertificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            ends_after(
                "issued_on", "expires_on", same_day=True, name="certification_expires_after_issue"
            )
        ]
        # Admin search "=number" is case-insensitive (UPPER(number) = UPPER('e100001')).
        indexes = [
            models.Index(Upper("number"), name="certification_number_upper"),
            # A person's certifications, and (PostgreSQL: covering) the id and number a staff
            # search by name sorts them by, read from the index alone (docs/performance.md).
            models.Index(
                fields=["provider"], include=["id", "number"], name="certification_by_provider"
            ),
        ]

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


class Credential(LastChanged):
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


class CredentialRenewal(LastChanged):
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="renewals")
    status = models.CharField(max_length=30, choices=CredentialRenewalStatus.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_expires_on = models.DateField(null=True, blank=True)

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


# --- Numbering ---------------------------------------------------------------------------------


class NumberSequence(models.Model):
    """The last number issued in a series (certification numbers per level prefix, T3 approval
    numbers per year). Locked while the next one is taken, so numbers are issued in sequence
    and never twice."""

    key = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last_value}"
