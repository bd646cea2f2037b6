"""Hospitals with their stroke certifications and trauma designations, EMS Council award
nominations, and the reports staff publish with the news."""

import uuid
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.markdown import MARKDOWN_HELP
from core.models import LastChanged, News, Timestamped, ends_after

from .constants import ATTESTATION_WARNING_DAYS, DEFAULT_TRAUMA_VERIFICATION_BODY
from .validators import validate_pdf

# --- Hospitals ---------------------------------------------------------------------------------


class Hospital(models.Model):
    name = models.CharField(max_length=200, unique=True)
    town = models.CharField("town or city", max_length=100, db_index=True)
    address = models.CharField(max_length=300)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.town})"


class StrokeLevel(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "Comprehensive stroke center"
    PRIMARY = "primary", "Primary stroke center"
    ACUTE_READY = "acute_ready", "Acute stroke-ready hospital"


class CertifyingOrganization(models.TextChoices):
    JOINT_COMMISSION = "joint_commission", "The Joint Commission"
    DNV = "dnv", "DNV Healthcare"
    ACHC = "achc", "Accreditation Commission for Health Care (ACHC)"


class StrokeCertificationQuerySet(models.QuerySet):
    def current(self, *, today: date):
        """Certified today: the attestation has started and has not expired."""
        return self.filter(certified_from__lte=today, attestation_expires__gte=today)

    def expired(self, *, today: date):
        return self.filter(attestation_expires__lt=today)

    def expiring_within(self, *, today: date, days: int):
        return self.filter(
            attestation_expires__gte=today, attestation_expires__lte=today + timedelta(days=days)
        )


class StrokeCertification(Timestamped):
    """A hospital's stroke certification, as attested by the national certifying organization
    (Public Act 17-146 sec. 40). The attestation's expiry is when the listing ends."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.CASCADE, related_name="stroke_certifications"
    )
    level = models.CharField(max_length=20, choices=StrokeLevel.choices)
    certifying_organization = models.CharField(
        max_length=30, choices=CertifyingOrganization.choices
    )
    attestation = PrivateFileField(
        kind="hospital-attestation",
        upload_to="files/information/attestations",
        original_name_field="attestation_name",
        validators=[validate_pdf],
        help_text="The certifying organization's attestation, as a PDF.",
    )
    attestation_name = models.CharField(max_length=255, blank=True, editable=False)
    certified_from = models.DateField()
    attestation_expires = models.DateField(db_index=True)

    objects = StrokeCertificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["hospital__name", "-attestation_expires"]
        constraints = [
            ends_after(
                "certified_from",
                "attestation_expires",
                name="attestation_expires_after_certified_from",
            )
        ]

    def __str__(self):
        return f"{self.hospital.name}: {self.get_level_display()}"


class AttestationWarning(models.Model):
    """One warning to staff per certification and threshold. Creating the row claims the
    warning (the unique constraint refuses a second claim); ``sent_at`` records the send."""

    certification = models.ForeignKey(
        StrokeCertification, on_delete=models.CASCADE, related_name="warnings"
    )
    days_before = models.PositiveSmallIntegerField(
        help_text=f"The threshold, one of {', '.join(map(str, ATTESTATION_WARNING_DAYS))} days."
    )
    expires_on = models.DateField(help_text="The expiry date the warning was about.")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "expires_on", "days_before"],
                name="one_attestation_warning_per_threshold",
            )
        ]

    def __str__(self):
        return f"{self.certification}: {self.days_before}-day warning"


class TraumaLevel(models.TextChoices):
    LEVEL_I = "I", "Level I"
    LEVEL_II = "II", "Level II"
    LEVEL_III = "III", "Level III"
    LEVEL_IV = "IV", "Level IV"
    PEDIATRIC_I = "PED_I", "Pediatric Level I"
    PEDIATRIC_II = "PED_II", "Pediatric Level II"


class TraumaDesignationQuerySet(models.QuerySet):
    def current(self, *, today: date):
        return self.filter(designated_from__lte=today, designated_until__gte=today)


class TraumaDesignation(Timestamped):
    """A hospital's trauma-facility designation after verification (Regs. Conn. State Agencies
    sec. 19a-177-4)."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.CASCADE, related_name="trauma_designations"
    )
    level = models.CharField(max_length=10, choices=TraumaLevel.choices)
    verification_body = models.CharField(max_length=200, default=DEFAULT_TRAUMA_VERIFICATION_BODY)
    designated_from = models.DateField()
    designated_until = models.DateField(db_index=True)

    objects = TraumaDesignationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["hospital__name", "level"]
        constraints = [
            ends_after(
                "designated_from", "designated_until", name="designation_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return f"{self.hospital.name}: {self.get_level_display()} trauma center"


# --- EMS Council awards ------------------------------------------------------------------------


class AwardCategory(models.Model):
    """An award the EMS Council gives (organization, individual, educator, ...); staff edit."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Only active categories take nominations."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "award categories"

    def __str__(self):
        return self.name


class NominationPeriod(models.Model):
    """The year's nomination window, set by staff; the public form is open only inside it."""

    year = models.PositiveSmallIntegerField(unique=True)
    opens = models.DateField()
    closes = models.DateField(help_text="The last day nominations are accepted.")
    ceremony_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where and when recipients are honored, shown on the awards page.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            ends_after("opens", "closes", same_day=True, name="period_closes_after_opens")
        ]

    def __str__(self):
        return f"{self.year} EMS Council Awards"

    def is_open_on(self, day: date) -> bool:
        return self.opens <= day <= self.closes


class NominationStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SHORTLISTED = "shortlisted", "Shortlisted"
    RECIPIENT = "recipient", "Recipient"
    NOT_SELECTED = "not_selected", "Not selected"


NOMINATION_TRANSITIONS = {
    NominationStatus.RECEIVED: {NominationStatus.SHORTLISTED, NominationStatus.NOT_SELECTED},
    NominationStatus.SHORTLISTED: {NominationStatus.RECIPIENT, NominationStatus.NOT_SELECTED},
    NominationStatus.RECIPIENT: set(),
    NominationStatus.NOT_SELECTED: set(),
}


class Nomination(LastChanged):
    period = models.ForeignKey(
        NominationPeriod, on_delete=models.PROTECT, related_name="nominations"
    )
    category = models.ForeignKey(
        AwardCategory, on_delete=models.PROTECT, related_name="nominations"
    )
    nominee_name = models.CharField("nominee's name", max_length=200)
    nominee_affiliation = models.CharField(
        "nominee's organization or town",
        max_length=200,
        blank=True,
        help_text="The EMS organization, school or town the nominee serves.",
    )
    nominator_name = models.CharField("your name", max_length=200)
    nominator_email = models.EmailField("your email")
    nominator_phone = models.CharField("your phone", max_length=30, blank=True)
    narrative = models.TextField(
        help_text="Why the nominee deserves the award: accomplishments, dates, people served."
    )
    attachment = PrivateFileField(
        kind="nomination-attachment",
        upload_to="files/information/nominations",
        original_name_field="attachment_name",
        blank=True,
        validators=[validate_pdf],
        help_text="Optional: letters of support or clippings, as one PDF.",
    )
    attachment_name = models.CharField(max_length=255, blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=NominationStatus.choices, default=NominationStatus.RECEIVED
    )
    citation = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown on the public list of recipients, e.g. 'for 40 years of service'.",
    )
    submission_token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Makes a double submit act once."
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.nominee_name} — {self.category} ({self.period.year})"


# --- Reports and notices ------------------------------------------------------------------------


class PublicationKind(models.TextChoices):
    WORK_GROUP_REPORT = "work_group_report", "Work-group report"
    LEGISLATIVE_REPORT = "legislative_report", "Legislative report"
    NOTICE = "notice", "Notice"


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class Publication(Timestamped):
    """A document staff publish with the news (work-group and legislative reports, notices).
    Shares News's shape (title, summary, body, published_at) so news lists show both."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=PublicationKind.choices)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField(help_text=MARKDOWN_HELP)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_published = models.BooleanField(default=False)

    objects = PublicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("information:publication-detail", kwargs={"slug": self.slug})

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()


class PublishedDocument(models.Model):
    """A PDF shown with something staff publish (a report, a news post): public once its parent
    is published (information/files.py). Subclasses add the parent and the ``file`` field."""

    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.file.url  # type: ignore[attr-defined]  # each subclass declares ``file``


def published_pdf(kind: str, folder: str) -> PrivateFileField:
    return PrivateFileField(
        kind=kind,
        upload_to=f"files/information/{folder}",
        original_name_field="original_name",
        validators=[validate_pdf],
    )


class PublicationFile(PublishedDocument):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    file = published_pdf("publication-file", "publications")

    history = HistoricalRecords()


class NewsAttachment(PublishedDocument):
    """A PDF attached to a news post (a form, a memo), public while the post is published."""

    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="attachments")
    file = published_pdf("news-attachment", "news")

    history = HistoricalRecords()


# --- Help, FAQ, contact and the site-wide alert ------------------------------------------------

FACTS_HELP = (
    " Figures the portal keeps elsewhere are written as {{ name }} and filled in when the page "
    "is shown, so they never go stale: {{ renewal_fee }}, {{ initial_fee }}, "
    "{{ reinstatement_fee }}, {{ credential_fee }}, {{ organization_license_fee }}, "
    "{{ returned_payment_fee }}, {{ card_fee_percent }}, {{ processing_weeks }}, "
    "{{ grace_days }}, {{ reinstatement_years }}, {{ number_prefixes }}."
)


class HelpTopicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class HelpTopic(LastChanged):
    """A help page staff write (renewal, linking, fees, ...), shown at /help/<slug>/."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300, help_text="One sentence for the list of topics.")
    body = models.TextField(help_text=MARKDOWN_HELP + FACTS_HELP)
    position = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)

    objects = HelpTopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("information:help-topic", kwargs={"slug": self.slug})


class FaqEntry(models.Model):
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text=MARKDOWN_HELP + FACTS_HELP)
    topic = models.ForeignKey(
        HelpTopic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text="The help topic that explains more (linked under the answer).",
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question


class ContactDetails(LastChanged):
    """How to reach the office: one row, shown on /contact/ and in every page's footer."""

    office_name = models.CharField(max_length=200)
    address = models.TextField(help_text="The mailing address, one line per line.")
    phone = models.CharField(max_length=30)
    licensing_email = models.EmailField()
    hours = models.CharField(max_length=200, help_text="e.g. Monday to Friday, 8:30 to 4:30")
    notes = models.TextField(blank=True, help_text=MARKDOWN_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact details"
        verbose_name_plural = "contact details"

    def __str__(self):
        return self.office_name


class AlertLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    EMERGENCY = "emergency", "Emergency"


class SiteAlertQuerySet(models.QuerySet):
    def showing_at(self, moment):
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)

    def not_ended(self, moment):
        return self.filter(ends_at__gt=moment)


class SiteAlert(Timestamped):
    """A notice on every page between its start and end (a storm deployment, an outage)."""

    level = models.CharField(max_length=10, choices=AlertLevel.choices, default=AlertLevel.INFO)
    title = models.CharField(max_length=150)
    message = models.TextField(help_text=MARKDOWN_HELP)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(help_text="The alert disappears at this time.")

    objects = SiteAlertQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [ends_after("starts_at", "ends_at", name="alert_ends_after_it_starts")]

    def __str__(self):
        return self.title

    def clean(self):
        # Beside the field (the constraint alone would say it at the top of the form).
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})

    def is_showing_at(self, moment) -> bool:
        return self.starts_at <= moment < self.ends_at
