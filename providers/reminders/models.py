"""Renewal reminders: the thresholds staff edit (data) and one row per reminder claimed, sent or
skipped. Imported by ``providers.models`` so the tables belong to the providers app.

``ReminderSent`` (like ``CertificationCardEmail``) is a ``core.send_once.SendOnceRecord``: both
the exactly-once claim and the staff's log. Its unique constraint on
(certification, threshold, expiration date) means only one run can ever insert the row that
entitles it to send; a renewal moves the expiration date on, so the next cycle's reminders are
new rows.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from core.models import LastChanged
from core.send_once import SendOnceRecord, SendStatus


class ReminderThreshold(LastChanged):
    """ "Remind the provider N days before the expiration date." Staff add, change and retire
    thresholds in the admin; nothing in code lists them (migration 0004 loads the defaults)."""

    days_before = models.SmallIntegerField(
        "days before expiration",
        unique=True,
        help_text="Days before the state record's expiration date. A negative number reminds "
        "that many days after it, during the grace period.",
    )
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-days_before"]
        verbose_name = "renewal reminder threshold"

    def __str__(self):
        if self.days_before >= 0:
            return f"{self.days_before} days before expiration"
        return f"{-self.days_before} days after expiration (grace period)"


# One set of statuses for everything sent once (core.send_once).
ReminderStatus = CardStatus = SendStatus


class ReminderSent(SendOnceRecord):
    certification = models.ForeignKey(
        "providers.Certification", on_delete=models.CASCADE, related_name="reminders"
    )
    threshold = models.ForeignKey(
        ReminderThreshold, on_delete=models.PROTECT, related_name="reminders"
    )
    expires_on = models.DateField(
        help_text="The expiration date this reminder was about (one reminder per cycle)."
    )

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = "renewal reminder"
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "threshold", "expires_on"],
                name="one_reminder_per_certification_threshold_and_cycle",
            )
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self):
        return f"{self.certification_id} · {self.threshold} · {self.get_status_display()}"


class CertificationCardEmail(SendOnceRecord):
    """The certification card emailed after an approval: once per certification and
    expiration date, claimed like a reminder so a redelivered task does not mail it twice."""

    certification = models.ForeignKey(
        "providers.Certification", on_delete=models.CASCADE, related_name="card_emails"
    )
    expires_on = models.DateField()

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "expires_on"], name="one_card_email_per_cycle"
            )
        ]

    def __str__(self):
        return f"Card of {self.certification_id} ({self.expires_on}) · {self.get_status_display()}"
