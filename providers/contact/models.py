"""Name change requests: a provider asks, with proof (marriage certificate, court order), and
licensing staff approve or deny in the admin. Imported by ``providers.models`` so the table
belongs to the providers app. The contact details themselves are fields of ``Provider``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import Decided, LastChanged


class NameChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"


NAME_CHANGE_TRANSITIONS = {
    NameChangeStatus.PENDING: {NameChangeStatus.APPROVED, NameChangeStatus.DENIED},
    NameChangeStatus.APPROVED: set(),
    NameChangeStatus.DENIED: set(),
}


class NameChangeRequest(Decided, LastChanged):
    """The name a provider asks to be known by on the state record, and the document that
    proves it. Only approval (``name_change_approve``) changes ``Provider``'s name."""

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="name_change_requests"
    )
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    reason = models.CharField(
        max_length=200, help_text="Why the name changed (e.g. marriage, court order)."
    )
    proof = PrivateFileField(
        kind="name-change-proof",
        upload_to="files/providers/name-change-proofs",
        original_name_field="proof_name",
    )
    proof_name = models.CharField(max_length=255, blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=NameChangeStatus.choices, default=NameChangeStatus.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_name = models.CharField(
        max_length=300, blank=True, help_text="The name on the record when this was approved."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A second request while one waits would be decided against a stale name.
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(status="pending"),
                name="one_pending_name_change_per_provider",
            )
        ]

    def __str__(self):
        return f"Name change to {self.requested_name} ({self.get_status_display()})"

    @property
    def requested_name(self) -> str:
        return " ".join(
            part for part in (self.first_name, self.middle_name, self.last_name) if part
        )
