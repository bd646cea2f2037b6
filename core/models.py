"""What many apps' models share (timestamps, a staff decision, a claim held under a token, the
account that did something, the check that a period ends after it starts, reference numbers),
the outbox, and the news posts the office publishes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .markdown import MARKDOWN_HELP


class LastChanged(models.Model):
    """When the row last changed: Django sets it on every save."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Timestamped(LastChanged):
    """When the row was created, and when it last changed."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Decided(models.Model):
    """A request staff decide: when, by whom, and the note that goes with the decision."""

    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        abstract = True


class TokenClaim(models.Model):
    """Work one run claims at a time (a document job, a notice sent once): each claim gets a
    fresh ``claim_token``, and only the run holding it may write the outcome; ``attempts``
    counts the claims so far."""

    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


def acting_account(*, related_name: str = "+", blank: bool = True, **options) -> models.ForeignKey:
    """The account that did something to the row (registered, scheduled, requested, confirmed
    it): optional, and the row stays, with the link emptied, when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


def ends_after(
    start: str, end: str, *, name: str, same_day: bool = False, open_ended: bool = False
) -> models.CheckConstraint:
    """The check that a period's ``end`` comes after its ``start`` (``same_day``: or on the
    same day); ``open_ended``: an empty end, a period still running, passes too."""
    condition = models.Q(**{f"{end}__{'gte' if same_day else 'gt'}": models.F(start)})
    if open_ended:
        condition = models.Q(**{f"{end}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


class NewsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class News(Timestamped):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField(help_text=MARKDOWN_HELP)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_published = models.BooleanField(default=True)

    objects = NewsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at"]
        verbose_name_plural = "news"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("core:news-detail", kwargs={"slug": self.slug})


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    """A task a committed change needs, written in the change's own transaction (core.outbox).

    The relay hands it to Celery after commit; while the broker is down it stays ``pending`` and
    the beat relay (``core.tasks.relay_outbox``) sends it once the broker is back."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            # the relay's one question: which rows are still pending, oldest first
            models.Index(
                fields=["id"],
                condition=models.Q(status="pending"),
                name="core_outbox_pending_idx",
            ),
            models.Index(fields=["status", "created_at"], name="core_outbox_status_idx"),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)!r} ({self.status})"


class ReferenceSequence(models.Model):
    """The last number issued in one series of reference numbers (``core.references``): one row
    per prefix and year, locked while the next number is taken, so none is issued twice."""

    key = models.CharField(max_length=20, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last_value}"


class ReferenceNumbered(models.Model):
    """A record people quote on the phone and in letters: a human reference number
    (``R-2026-000123``) issued from its series when the row is first saved, never changed."""

    REFERENCE_PREFIX = ""  # each subclass names its series' letter

    reference = models.CharField(
        "reference number", max_length=20, unique=True, editable=False, blank=True
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.reference:
            # Function-local: core.references reads this module's ReferenceSequence (a cycle).
            from .references import reference_next

            self.reference = reference_next(self.REFERENCE_PREFIX, on=timezone.localdate())
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = [*kwargs["update_fields"], "reference"]
        super().save(*args, **kwargs)
