"""EMS organizations (ambulance and first-responder services).

The core Organization table is shared by vehicles, rates and complaints; the Organizations issue
adds people, Primary Service Areas, applications and account linking around it.

Affiliations (a provider on an organization's roster) live here rather than in providers: the
organization's administrator decides them and the roster is the organization's record, and
providers must not depend on organizations (providers comes first in INSTALLED_APPS and is used
by organizations, never the other way round), so the one new dependency points this way.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import LastChanged, ReferenceNumbered, Timestamped, ends_after


class ServiceKind(models.TextChoices):
    AMBULANCE = "ambulance", "Ambulance service"
    FIRST_RESPONDER = "first_responder", "First responder (non-transport)"


class Ownership(models.TextChoices):
    COMMERCIAL = "commercial", "Commercial"
    MUNICIPAL = "municipal", "Municipal"
    VOLUNTEER = "volunteer", "Volunteer"
    STATE_AGENCY = "state_agency", "State agency"


class CredentialType(models.TextChoices):
    # Commercial services hold a license (annual fee, renews by December 31); volunteer,
    # municipal and state-agency services hold a certificate (renews by the end of a quarter).
    LICENSE = "license", "License"
    CERTIFICATE = "certificate", "Certificate"


class ServiceLevel(models.TextChoices):
    BLS = "bls", "Basic life support (BLS)"
    AEMT = "aemt", "Advanced EMT (AEMT)"
    PARAMEDIC = "paramedic", "Paramedic (ALS)"


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending approval"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    INACTIVE = "inactive", "Inactive"


class Organization(Timestamped):
    legal_name = models.CharField(max_length=200)
    doing_business_as = models.CharField(max_length=200, blank=True)
    number = models.CharField(
        max_length=20, unique=True, help_text="License or certificate number, e.g. AMB-0123."
    )
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    ownership = models.CharField(max_length=20, choices=Ownership.choices)
    credential_type = models.CharField(max_length=20, choices=CredentialType.choices)
    highest_level = models.CharField(
        max_length=20, choices=ServiceLevel.choices, default=ServiceLevel.BLS
    )
    status = models.CharField(
        max_length=20, choices=OrganizationStatus.choices, default=OrganizationStatus.ACTIVE
    )
    email = models.EmailField(help_text="Address on file; account-linking PINs go here.")
    phone = models.CharField(max_length=30, blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, default="CT")
    postal_code = models.CharField(max_length=10, blank=True)
    mailing_address = models.TextField(
        blank=True, help_text="Only when mail goes elsewhere than the street address."
    )
    renewal_quarter = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[
            (1, "Q1 (March 31)"),
            (2, "Q2 (June 30)"),
            (3, "Q3 (September 30)"),
            (4, "Q4 (December 31)"),
        ],
        help_text="Certificates only: the quarter the office assigned for renewal.",
    )
    renewal_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set by the renewal rules; changes when a renewal is approved.",
    )
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="administered_organizations", blank=True
    )

    history = HistoricalRecords(m2m_fields=[administrators])

    class Meta:
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["legal_name"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.legal_name} ({self.number})"

    def get_absolute_url(self):
        return reverse("organizations:manage", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.doing_business_as or self.legal_name

    def levels_of_service(self) -> list[str]:
        """Levels are cumulative: a paramedic service also provides AEMT and BLS care."""
        values = list(ServiceLevel.values)
        return [
            ServiceLevel(value).label for value in values[: values.index(self.highest_level) + 1]
        ]

    def psa_types_allowed(self) -> list[str]:
        return PSA_TYPES_BY_KIND[self.kind]


class County(models.TextChoices):
    FAIRFIELD = "fairfield", "Fairfield"
    HARTFORD = "hartford", "Hartford"
    LITCHFIELD = "litchfield", "Litchfield"
    MIDDLESEX = "middlesex", "Middlesex"
    NEW_HAVEN = "new_haven", "New Haven"
    NEW_LONDON = "new_london", "New London"
    TOLLAND = "tolland", "Tolland"
    WINDHAM = "windham", "Windham"


class Town(models.Model):
    """Connecticut's 169 towns (loaded by migration 0003); reference data, not edited."""

    name = models.CharField(max_length=60, unique=True)
    county = models.CharField(max_length=20, choices=County.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PsaType(models.TextChoices):
    FIRST_RESPONDER = "first_responder", "First responder"
    BLS = "bls", "Basic life support (BLS)"
    ALS = "als", "Advanced life support (ALS)"


# Which PSA types a kind of service may hold: a non-transport service only first response.
PSA_TYPES_BY_KIND: dict[str, list[str]] = {
    ServiceKind.AMBULANCE: [PsaType.FIRST_RESPONDER, PsaType.BLS, PsaType.ALS],
    ServiceKind.FIRST_RESPONDER: [PsaType.FIRST_RESPONDER],
}


class PrimaryServiceAreaQuerySet(models.QuerySet):
    def on(self, day):
        """Assignments in force on ``day`` (the end date is exclusive: the next holder's start)."""
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_until__isnull=True) | models.Q(effective_until__gt=day)
        )


class PrimaryServiceArea(models.Model):
    """One organization holding one town for one PSA type from a date; ended (never deleted)
    when the next holder starts, so the rows are the PSA's history."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="psas")
    psa_type = models.CharField("PSA type", max_length=20, choices=PsaType.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="psas")
    effective_from = models.DateField()
    effective_until = models.DateField(
        null=True,
        blank=True,
        help_text="Exclusive: the first day the organization no longer holds it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrimaryServiceAreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Primary Service Area"
        ordering = ["town__name", "psa_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "psa_type"],
                condition=models.Q(effective_until__isnull=True),
                name="one_open_psa_per_town_and_type",
            ),
            ends_after(
                "effective_from",
                "effective_until",
                open_ended=True,
                name="psa_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["town", "psa_type", "effective_from"])]

    def __str__(self):
        return f"{self.town} {self.get_psa_type_display()}: {self.organization.display_name}"


class PersonRole(models.TextChoices):
    CHIEF_OF_SERVICE = "chief", "Chief of service"
    IDO = "ido", "Infectious Disease Designated Officer"
    MEDICAL_DIRECTOR = "medical_director", "Medical director"
    CONTACT = "contact", "Contact"


# Roles an organization has exactly one of at a time.
SINGLE_HOLDER_ROLES = [PersonRole.CHIEF_OF_SERVICE, PersonRole.IDO, PersonRole.MEDICAL_DIRECTOR]


class OrganizationPerson(models.Model):
    """A person in a role at an organization, from a date; a replaced one keeps the end date."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    full_name = models.CharField(max_length=200)
    title = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mobile_phone = models.CharField(max_length=30, blank=True)
    receives_notifications = models.BooleanField(
        default=True, help_text="Included in the mass-notification contacts export."
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "person"
        ordering = ["organization__legal_name", "role", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role"],
                condition=models.Q(
                    until__isnull=True, role__in=["chief", "ido", "medical_director"]
                ),
                name="one_current_chief_ido_and_medical_director",
            )
        ]
        indexes = [models.Index(fields=["role", "until"])]

    def __str__(self):
        return f"{self.full_name} — {self.get_role_display()}"


class ChiefReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


CHIEF_REPORT_TRANSITIONS = {
    ChiefReportStatus.SUBMITTED: {ChiefReportStatus.ACCEPTED, ChiefReportStatus.RETURNED},
    ChiefReportStatus.ACCEPTED: set(),
    ChiefReportStatus.RETURNED: set(),
}


# Kept for the migrations that created the field; new files go to a random name (core.files).
def letterhead_path(instance, filename):
    return f"organizations/{instance.organization_id}/chief-reports/{filename}"


class ChiefChangeReport(Timestamped):
    """An organization's written notice of a new chief of service, on its letterhead."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="chief_reports"
    )
    new_chief_name = models.CharField("new chief's full name", max_length=200)
    new_chief_email = models.EmailField("new chief's email")
    new_chief_phone = models.CharField("new chief's phone", max_length=30, blank=True)
    effective_date = models.DateField(help_text="The day the new chief took office.")
    letterhead = PrivateFileField(
        kind="chief-change-letter",
        upload_to="files/organizations/chief-change-letters",
        original_name_field="letterhead_name",
        help_text="The signed notice on the organization's letterhead.",
    )
    letterhead_name = models.CharField(max_length=255, blank=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField()
    due_on = models.DateField(help_text="Ten business days after the effective date.")
    status = models.CharField(
        max_length=20, choices=ChiefReportStatus.choices, default=ChiefReportStatus.SUBMITTED
    )
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chief of service change report"
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["status", "submitted_on"])]

    def __str__(self):
        return f"{self.organization.display_name}: {self.new_chief_name} from {self.effective_date}"

    @property
    def is_late(self) -> bool:
        return self.submitted_on > self.due_on


class OrganizationLinkPin(models.Model):
    """A one-time PIN emailed to the organization's address on file; only its hash is kept."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pin_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "user", "created_at"])]

    def __str__(self):
        return f"PIN for {self.organization_id} requested by {self.user_id}"


class ApplicationKind(models.TextChoices):
    NEW_ORGANIZATION = "new_organization", "New organization"
    CHANGE_OF_SERVICES = "change_of_services", "Change in services"
    RENEWAL = "renewal", "License or certificate renewal"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FEE_DUE = "fee_due", "Fee due"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned incomplete"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    ON_HOLD = "on_hold", "On hold: payment returned"


# A returned license-fee payment can strike at any point after the fee was paid and before the
# decision; paying the balance goes back to where the application was.
APPLICATION_HOLDABLE = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.RETURNED,
}

APPLICATION_TRANSITIONS = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.FEE_DUE},
    ApplicationStatus.FEE_DUE: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.IN_REVIEW, ApplicationStatus.ON_HOLD},
    ApplicationStatus.IN_REVIEW: {
        ApplicationStatus.RETURNED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.DENIED,
        ApplicationStatus.ON_HOLD,
    },
    ApplicationStatus.RETURNED: {ApplicationStatus.SUBMITTED, ApplicationStatus.ON_HOLD},
    ApplicationStatus.ON_HOLD: APPLICATION_HOLDABLE,
    ApplicationStatus.APPROVED: set(),
    ApplicationStatus.DENIED: set(),
}

# What the applicant may still edit.
APPLICATION_EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}


class OrganizationApplication(ReferenceNumbered, Timestamped):
    """A new organization, a change in services or a renewal, reviewed and decided by staff.
    People quote its reference (O-2026-000045)."""

    REFERENCE_PREFIX = "O"

    kind = models.CharField(max_length=30, choices=ApplicationKind.choices)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text="Empty for a new organization until it is approved.",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organization_applications"
    )
    # New organization
    legal_name = models.CharField(max_length=200, blank=True)
    service_kind = models.CharField(
        "kind of service", max_length=20, choices=ServiceKind.choices, blank=True
    )
    ownership = models.CharField(max_length=20, choices=Ownership.choices, blank=True)
    email = models.EmailField("organization email", blank=True)
    phone = models.CharField(max_length=30, blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    # New organization and change in services
    requested_level = models.CharField(
        "level of service", max_length=20, choices=ServiceLevel.choices, blank=True
    )
    requested_psa_type = models.CharField(
        "PSA type requested", max_length=20, choices=PsaType.choices, blank=True
    )
    requested_towns = models.ManyToManyField(
        Town, blank=True, related_name="+", verbose_name="towns requested as Primary Service Area"
    )
    vehicles_change = models.TextField(
        "vehicles added or removed",
        blank=True,
        help_text="Vehicles themselves are registered and inspected in the vehicles section.",
    )
    description = models.TextField("what you are asking for and why", blank=True)
    # Review
    return_reason = models.TextField(blank=True)
    status_before_hold = models.CharField(
        max_length=20,
        choices=ApplicationStatus.choices,
        blank=True,
        help_text="Where the application was when its fee payment came back; it resumes there.",
    )
    decision_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    complete_at = models.DateTimeField(
        null=True, blank=True, help_text="When everything needed had arrived (the review clock)."
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organization application"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        who = self.organization.display_name if self.organization else self.legal_name or "new"
        return f"{self.get_kind_display()} — {who} ({self.reference})"

    def get_absolute_url(self):
        return reverse("organizations:application", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in APPLICATION_EDITABLE

    @property
    def charges_license_fee(self) -> bool:
        return (
            self.kind == ApplicationKind.RENEWAL
            and self.organization is not None
            and self.organization.credential_type == CredentialType.LICENSE
        )


class AffiliationStatus(models.TextChoices):
    PENDING = "pending", "Requested, waiting on the organization"
    APPROVED = "approved", "Affiliated"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


AFFILIATION_TRANSITIONS = {
    AffiliationStatus.PENDING: {AffiliationStatus.APPROVED, AffiliationStatus.DECLINED},
    AffiliationStatus.APPROVED: {AffiliationStatus.ENDED},
    AffiliationStatus.DECLINED: set(),
    AffiliationStatus.ENDED: set(),
}
# A provider has at most one of these with an organization at a time.
AFFILIATION_OPEN = [AffiliationStatus.PENDING, AffiliationStatus.APPROVED]


class Affiliation(LastChanged):
    """A provider on an organization's roster: requested by the provider, approved or declined
    by the organization's administrator, ended by either side. A declined or ended row stays as
    history; asking again makes a new row."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="affiliations"
    )
    status = models.CharField(
        max_length=20, choices=AffiliationStatus.choices, default=AffiliationStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(
        "note to the organization", max_length=300, blank=True, help_text="E.g. your role there."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField(max_length=300, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "provider"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="one_open_affiliation_per_provider_and_organization",
            )
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self):
        return f"{self.provider} at {self.organization.display_name} ({self.get_status_display()})"
