"""Annual rate filings of EMS organizations and the approved (allowable) rate schedules.

A ``RateYear`` is one filing season with its CPI factor (data staff set). An organization that
holds last year's approved ``RateSchedule`` files a ``RateFiling`` for the new year: the Short
Form (each category raised by at most the CPI cap), the Full Rate Application (Long Form, with
financial detail) or the Non-Charging Service Certification Statement. Approval writes the
year's ``RateSchedule``; approved schedules are what the public "Allowable Rates" pages show.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import Decided, Timestamped, ends_after
from organizations.models import Organization

MONEY: dict[str, Any] = {"max_digits": 10, "decimal_places": 2}


class RateCategory(models.Model):
    """A charge an organization may bill (BLS emergency, mileage per mile, ...). Staff add and
    retire categories here; nothing in code lists them."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=40, help_text='What one charge is for, e.g. "per mile".')
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "rate categories"

    def __str__(self):
        return self.name


class RateYearStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Filing season open"
    CLOSED = "closed", "Filing season closed"


RATE_YEAR_TRANSITIONS = {
    RateYearStatus.PLANNED: {RateYearStatus.OPEN},
    RateYearStatus.OPEN: {RateYearStatus.CLOSED},
    RateYearStatus.CLOSED: {RateYearStatus.OPEN},
}


class RateYear(Timestamped):
    year = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    cpi_factor = models.DecimalField(
        "CPI factor",
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
        help_text="The published CPI increase as a fraction: 0.0430 for 4.3%.",
    )
    filing_opens_on = models.DateField()
    filing_due_on = models.DateField(help_text="Shown to organizations and in reminders.")
    status = models.CharField(
        max_length=20, choices=RateYearStatus.choices, default=RateYearStatus.PLANNED
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            ends_after(
                "filing_opens_on", "filing_due_on", same_day=True, name="rate_year_due_after_open"
            )
        ]

    def __str__(self):
        return str(self.year)

    @property
    def cpi_percent(self) -> Decimal:
        return (self.cpi_factor * 100).normalize()

    @property
    def is_open(self) -> bool:
        return self.status == RateYearStatus.OPEN


class ScheduleKind(models.TextChoices):
    CHARGING = "charging", "Approved rates"
    NON_CHARGING = "non_charging", "Non-charging service"


class RateSchedule(models.Model):
    """The approved rates of one organization for one year: written only by approval (or by
    recording a non-charging certification), so every row is publishable."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rate_schedules"
    )
    year = models.ForeignKey(RateYear, on_delete=models.PROTECT, related_name="schedules")
    kind = models.CharField(max_length=20, choices=ScheduleKind.choices)
    source_filing = models.OneToOneField(
        "RateFiling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedule",
        help_text="The filing whose approval wrote this schedule (empty for migrated history).",
    )
    approved_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__year", "organization__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_schedule_per_organization_year"
            )
        ]

    def __str__(self):
        return f"{self.organization.legal_name}, {self.year.year}"


class RateScheduleLine(models.Model):
    schedule = models.ForeignKey(RateSchedule, on_delete=models.CASCADE, related_name="lines")
    category = models.ForeignKey(RateCategory, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category__sort_order", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "category"], name="one_line_per_category"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="schedule_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.category}: ${self.amount}"


class RateInvitation(models.Model):
    """One per organization and season; ``email_sent_at`` is claimed by a conditional update,
    so a re-run of the invitation job never emails twice."""

    year = models.ForeignKey(RateYear, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rate_invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization__legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "organization"], name="one_invitation_per_year")
        ]

    def __str__(self):
        return f"{self.organization.legal_name} invited for {self.year.year}"


class RateReminder(models.Model):
    """A reminder to an organization that has not filed; at most one per organization, season
    and day, whatever the number of job runs."""

    year = models.ForeignKey(RateYear, on_delete=models.CASCADE, related_name="reminders")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rate_reminders"
    )
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organization", "sent_on"], name="one_reminder_per_day"
            )
        ]

    def __str__(self):
        return f"Reminder to {self.organization_id} for {self.year_id} on {self.sent_on}"


class FilingForm(models.TextChoices):
    SHORT = "short", "Short Form"
    LONG = "long", "Full Rate Application (Long Form)"
    NON_CHARGING = "non_charging", "Non-Charging Service Certification Statement"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted, awaiting review"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    CERTIFIED = "certified", "Certified non-charging"


FILING_TRANSITIONS = {
    FilingStatus.DRAFT: {FilingStatus.SUBMITTED, FilingStatus.CERTIFIED},
    FilingStatus.SUBMITTED: {
        FilingStatus.APPROVED,
        FilingStatus.DENIED,
        FilingStatus.INFORMATION_REQUESTED,
    },
    FilingStatus.INFORMATION_REQUESTED: {FilingStatus.SUBMITTED},
    FilingStatus.APPROVED: set(),
    FilingStatus.DENIED: set(),
    FilingStatus.CERTIFIED: set(),
}

# The organization may still edit the filing in these states.
EDITABLE_STATUSES = {FilingStatus.DRAFT, FilingStatus.INFORMATION_REQUESTED}


class Decision(models.TextChoices):
    WITHIN_CAP = "within_cap", "Approved within the CPI cap"
    AS_ASKED = "as_asked", "Approved as asked"
    OTHER_RATES = "other_rates", "Approved at other rates"
    DENIED = "denied", "Denied"


class RateFiling(Timestamped, Decided):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rate_filings"
    )
    year = models.ForeignKey(RateYear, on_delete=models.PROTECT, related_name="filings")
    form = models.CharField(max_length=20, choices=FilingForm.choices)
    status = models.CharField(
        max_length=30, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    information_request = models.TextField(
        blank=True, help_text="What staff asked for, shown to the organization."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Non-Charging Service Certification Statement: the signer's typed name.
    certified_by_name = models.CharField(max_length=200, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True)
    # Full Rate Application: operating figures of the last fiscal year.
    fiscal_year_end = models.DateField(null=True, blank=True)
    emergency_responses = models.PositiveIntegerField(null=True, blank=True)
    non_emergency_transports = models.PositiveIntegerField(null=True, blank=True)
    unit_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Staffed ambulance hours in the fiscal year."
    )
    justification = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__year", "organization__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_filing_per_organization_year"
            )
        ]
        indexes = [models.Index(fields=["year", "status"])]
        permissions = [("decide_ratefiling", "Can decide rate filings")]

    def __str__(self):
        return f"{self.organization.legal_name}, {self.year.year} {self.get_form_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class RateFilingLine(models.Model):
    """One requested rate. ``prior_amount`` and ``cap`` are copied when the request is saved,
    so the filing keeps the figures it was judged against."""

    filing = models.ForeignKey(RateFiling, on_delete=models.CASCADE, related_name="lines")
    category = models.ForeignKey(RateCategory, on_delete=models.PROTECT, related_name="+")
    prior_amount = models.DecimalField(**MONEY, null=True, blank=True)
    cap = models.DecimalField(**MONEY, null=True, blank=True)
    requested_amount = models.DecimalField(**MONEY, null=True, blank=True)
    approved_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="Staff fill this in only to approve at other rates than asked.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["category__sort_order", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "category"], name="one_request_per_category"),
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0) | models.Q(requested_amount=None),
                name="requested_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_amount__gte=0) | models.Q(approved_amount=None),
                name="approved_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.requested_amount}"


class Payer(models.TextChoices):
    MEDICARE = "medicare", "Medicare"
    MEDICAID = "medicaid", "Medicaid"
    COMMERCIAL = "commercial", "Commercial insurance"
    SELF_PAY = "self_pay", "Self-pay"
    MUNICIPAL = "municipal", "Municipal subsidy"
    OTHER = "other", "Other revenue"


class ExpenseCategory(models.TextChoices):
    PERSONNEL = "personnel", "Personnel (wages and benefits)"
    VEHICLES = "vehicles", "Vehicles (lease, depreciation, maintenance)"
    FUEL = "fuel", "Fuel"
    MEDICAL_SUPPLIES = "medical_supplies", "Medical supplies and equipment"
    INSURANCE = "insurance", "Insurance"
    FACILITIES = "facilities", "Facilities"
    ADMINISTRATION = "administration", "Administration and billing"
    OTHER = "other", "Other expenses"


class FinancialKind(models.TextChoices):
    REVENUE = "revenue", "Revenue"
    EXPENSE = "expense", "Expense"


class FilingFinancialLine(models.Model):
    """A Long Form figure: revenue by payer or expense by category (``item`` holds a
    ``Payer`` or ``ExpenseCategory`` value according to ``kind``)."""

    filing = models.ForeignKey(RateFiling, on_delete=models.CASCADE, related_name="financials")
    kind = models.CharField(max_length=10, choices=FinancialKind.choices)
    item = models.CharField(max_length=30)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "item"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "kind", "item"], name="one_figure_per_item"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="financial_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.label}: ${self.amount}"

    @property
    def label(self) -> str:
        choices = Payer if self.kind == FinancialKind.REVENUE else ExpenseCategory
        return str(dict(choices.choices).get(self.item, self.item))


# Kept for the migrations that created the field; new files go to a random name (core.files).
def attachment_path(instance, filename):
    return f"rates/filings/{instance.filing_id}/{filename}"


class FilingAttachment(models.Model):
    filing = models.ForeignKey(RateFiling, on_delete=models.CASCADE, related_name="attachments")
    file = PrivateFileField(
        kind="rate-filing-attachment",
        upload_to="files/rates/filing-attachments",
        original_name_field="original_name",
    )
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    description = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.description

    @property
    def filename(self) -> str:
        return self.file.original_name
