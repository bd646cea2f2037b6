"""A notice, the batches its sending was cut into, and one send-once row per person reached."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Timestamped, acting_account
from core.send_once import SendOnceRecord
from providers.rules import Level

from .rules import Audience, NoticeStatus


class Notice(Timestamped):
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; blank lines separate paragraphs.")
    audience = models.CharField(max_length=40, choices=Audience.choices)
    level = models.CharField(
        max_length=20, choices=Level.choices, blank=True, help_text="For the audience by level."
    )
    expires_within_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For the audience by expiry window: certifications expiring from today to "
        "this many days ahead.",
    )
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, editable=False
    )
    recipients_total = models.PositiveIntegerField(
        default=0, editable=False, help_text="The audience counted when sending began."
    )
    created_by = acting_account(editable=False)
    sending_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Every batch is recorded (all recipients handed to workers) once this is set; a progress
    # mark written by the dispatch task, not a state change (the status is).
    dispatched_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_notice", "Can send a notice by email")]

    def __str__(self):
        return self.subject

    def clean(self):
        if self.audience == Audience.LEVEL and not self.level:
            raise ValidationError({"level": "Pick the level this notice goes to."})
        if self.audience == Audience.EXPIRING and self.expires_within_days is None:
            raise ValidationError(
                {"expires_within_days": "Say how many days ahead the expiry window reaches."}
            )


class NoticeBatch(models.Model):
    """One page of recipients (ids of providers or of accounts, by the notice's audience), the
    work of one task. Done once delivered; the notice is sent when every batch is done."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    recipient_ids = models.JSONField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="one_batch_per_number")
        ]

    def __str__(self):
        return f"{self.notice_id} · batch {self.number}"


class NoticeDelivery(SendOnceRecord):
    """The claim on one person's copy of a notice, and the delivery report's line. A provider
    audience names the provider; the others name the account."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    provider = models.ForeignKey(
        "providers.Provider",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notice_deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notice_deliveries",
    )

    class Meta:
        ordering = ["notice", "pk"]
        verbose_name_plural = "notice deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "provider"],
                condition=models.Q(provider__isnull=False),
                name="one_notice_per_provider",
            ),
            models.UniqueConstraint(
                fields=["notice", "user"],
                condition=models.Q(user__isnull=False),
                name="one_notice_per_account",
            ),
            models.CheckConstraint(
                condition=models.Q(provider__isnull=False, user__isnull=True)
                | models.Q(provider__isnull=True, user__isnull=False),
                name="notice_delivery_to_provider_or_account",
            ),
        ]
        indexes = [models.Index(fields=["notice", "status"], name="notice_delivery_progress")]

    def __str__(self):
        return f"{self.notice_id} → {self.email or '(no email)'} · {self.get_status_display()}"
