"""Reads for the provider's dashboard panel: their reminders and the cards they may download."""

from django.db.models import QuerySet

from ..models import Certification
from .cards import CARD_STATUSES
from .models import ReminderSent, ReminderStatus

PANEL_REMINDERS = 10


def reminders_of(user, *, limit: int = PANEL_REMINDERS) -> QuerySet[ReminderSent]:
    """The reminders sent to the person linked to ``user`` (never anyone else's), newest first."""
    if not getattr(user, "is_authenticated", False):
        return ReminderSent.objects.none()
    return (
        ReminderSent.objects.filter(certification__provider__user=user, status=ReminderStatus.SENT)
        .select_related("certification", "threshold")
        .order_by("-sent_at")[:limit]
    )


def card_certifications_of(user) -> list[Certification]:
    """The certifications of ``user``'s provider with a card to download (active ones)."""

    if not getattr(user, "is_authenticated", False):
        return []
    certifications = Certification.objects.filter(provider__user=user).order_by("number")
    return [c for c in certifications if c.status in CARD_STATUSES]
