"""Linking an account to a certification, and the registry imports that feed it."""

from django.conf import settings
from django.db import models

from core.models import acting_account


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


class RegistryImport(models.Model):
    """One run of the registry import (command or admin): who, which file, what it did. Failed
    runs are kept too, with their error count; error details never include an SSN."""

    file_name = models.CharField(max_length=255)
    imported_by = acting_account()
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
