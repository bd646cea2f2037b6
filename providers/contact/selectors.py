"""Reads for a provider's contact details: the one address every email to a provider goes to,
whether an address belongs to someone else, and the history of the details and the name."""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from ..models.certifications import Provider
from .models import NameChangeRequest

# What a provider may change themselves, with the words the pages and the history use.
CONTACT_LABELS = {
    "email": "Email",
    "phone": "Phone",
    "address_line1": "Mailing address",
    "address_line2": "Address line 2",
    "city": "City or town",
    "state": "State",
    "postal_code": "ZIP code",
}
CONTACT_FIELDS = tuple(CONTACT_LABELS)
# Changed only by an approved name change request (or by staff in the admin).
NAME_LABELS = {
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "other_names": "Other names used",
}
HISTORY_LABELS = {**CONTACT_LABELS, **NAME_LABELS}


def provider_contact_email(provider: Provider | None) -> str:
    """Where every email to this provider goes (reminders, cards, application status, notices,
    complaints, rosters): the contact email on the state record, else the sign-in email of the
    linked account, else nothing."""
    if provider is None:
        return ""
    if provider.email:
        return provider.email
    user = provider.user if provider.user_id else None
    return user.email if user is not None and user.email else ""


def contact_email_differs(provider: Provider, sign_in_email: str) -> bool:
    """The record has a contact email of its own that is not ``sign_in_email``: the case in
    which the person is offered to use the sign-in email for reminders and notices too."""
    return bool(
        provider.email and sign_in_email and provider.email.lower() != sign_in_email.lower()
    )


def with_contact_email(providers: QuerySet[Provider]) -> QuerySet[Provider]:
    """``provider_contact_email`` for many providers in one query (bulk senders such as the
    office's notices): each row gets ``contact_email``, "" when there is none."""
    return providers.annotate(
        contact_email=Coalesce(
            NullIf("email", Value("")), NullIf("user__email", Value("")), Value("")
        )
    )


def email_used_by_someone_else(*, email: str, provider: Provider) -> bool:
    """True when ``email`` is another account's sign-in address or another person's contact
    email on the record (case-insensitive): it would send one person's notices to another."""
    if not email:
        return False
    other_user = get_user_model().objects.filter(email__iexact=email)
    other_address = EmailAddress.objects.filter(email__iexact=email)
    if provider.user_id:
        other_user = other_user.exclude(pk=provider.user_id)
        other_address = other_address.exclude(user_id=provider.user_id)
    other_provider = Provider.objects.filter(email__iexact=email).exclude(pk=provider.pk)
    return other_user.exists() or other_address.exists() or other_provider.exists()


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: str
    reason: str
    changes: list[Change]


def _by(record, provider: Provider) -> str:
    user = record.history_user
    if user is None:
        return "The office"
    if provider.user_id and user.pk == provider.user_id:
        return "You"
    return "Licensing staff" if user.is_staff else "The office"


def contact_history(provider: Provider, *, limit: int = 50) -> list[HistoryEntry]:
    """Each saved change of the contact details or the name, newest first, from the record's
    own audit history (one query): when, by whom, why, and each field's old and new value."""
    records = list(
        provider.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    for previous, record in zip(records, records[1:], strict=False):
        changes = [
            Change(label, getattr(previous, name) or "", getattr(record, name) or "")
            for name, label in HISTORY_LABELS.items()
            if getattr(previous, name) != getattr(record, name)
        ]
        if changes:
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    by=_by(record, provider),
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
    entries.reverse()
    return entries[:limit]


def name_change_requests_of(provider: Provider) -> QuerySet[NameChangeRequest]:
    return NameChangeRequest.objects.filter(provider=provider).order_by("-requested_at", "-pk")


def name_change_pending(provider: Provider) -> NameChangeRequest | None:
    return name_change_requests_of(provider).filter(status="pending").first()
