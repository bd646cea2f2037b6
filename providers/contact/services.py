"""Writes for a provider's contact details and name: one function per change, each one
transaction and one audited save (simple-history: who and why)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import locked, save_with_audit, transition

from ..ce import upload_check
from ..models.certifications import Provider
from . import emails, selectors
from .models import NAME_CHANGE_TRANSITIONS, NameChangeRequest, NameChangeStatus

EMAIL_IN_USE = (
    "This email address is already used by another account. Enter an address of your own; "
    "if it is yours, contact the office."
)
CONTACT_UPDATED = "Contact details updated"


@transaction.atomic
def provider_contact_update(
    *, provider: Provider, actor, reason: str = CONTACT_UPDATED, **fields: str
) -> Provider:
    """Change any of the contact fields (``selectors.CONTACT_FIELDS``) on the state record,
    which every email to the provider reads. Saving the same values again changes nothing and
    writes no history row (a double submit acts once)."""
    unknown = set(fields) - set(selectors.CONTACT_FIELDS)
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    if cleaned.get("state"):
        cleaned["state"] = cleaned["state"].upper()
    provider = locked(provider)
    changed = [name for name, value in cleaned.items() if getattr(provider, name) != value]
    if not changed:
        return provider
    if "email" in changed and selectors.email_used_by_someone_else(
        email=cleaned["email"], provider=provider
    ):
        raise DomainError(EMAIL_IN_USE, field="email", code="email_in_use")
    for name in changed:
        setattr(provider, name, cleaned[name])
    return save_with_audit(
        provider, actor=actor, reason=reason, update_fields=[*changed, "updated_at"]
    )


def provider_contact_use_account_email(*, provider: Provider, actor) -> Provider:
    """The follow-up to a sign-in email change: send reminders and notices there too."""
    user = provider.user
    if user is None or not user.email:
        raise DomainError("This record is not linked to an account with an email address.")
    return provider_contact_update(
        provider=provider,
        actor=actor,
        reason="Contact email set to the sign-in email",
        email=user.email,
    )


@transaction.atomic
def name_change_request(
    *,
    provider: Provider,
    actor,
    first_name: str,
    last_name: str,
    reason: str,
    proof,
    middle_name: str = "",
) -> NameChangeRequest:
    """Ask licensing staff to change the name on the record, with a document that proves it.
    The same request sent twice (a double submit) is one request; a different one while the
    first waits is refused."""
    names = {
        "first_name": first_name.strip(),
        "middle_name": (middle_name or "").strip(),
        "last_name": last_name.strip(),
    }
    if not names["first_name"] or not names["last_name"]:
        raise DomainError("Enter the first and last name you are asking for.", field="last_name")
    if proof is None:
        raise DomainError("Attach a document that proves the new name.", field="proof")
    upload_check(proof, field="proof")
    pending = selectors.name_change_pending(provider)
    if pending is not None:
        if all(getattr(pending, name) == value for name, value in names.items()):
            return pending
        raise DomainError(
            "You already have a name change waiting for review. Wait for its decision, or "
            "contact the office to withdraw it."
        )
    current = {name: getattr(provider, name) for name in names}
    if current == names:
        raise DomainError("This is already the name on your record.", field="last_name")
    name_change = NameChangeRequest(
        provider=provider, requested_by=actor, reason=reason.strip(), proof=proof, **names
    )
    try:
        with transaction.atomic():
            return save_with_audit(name_change, actor=actor, reason="Name change requested")
    except IntegrityError:
        # Another submit of this person's got there first (one_pending_name_change_per_provider).
        pending = selectors.name_change_pending(provider)
        if pending is None:
            raise
        return pending


def _decide(
    name_change: NameChangeRequest, *, actor, target: str, note: str, reason: str, **changes
):
    """The decision's one audited save (the history row names the reviewer and the reason)."""
    transition(
        name_change,
        allowed=NAME_CHANGE_TRANSITIONS,
        target=target,
        actor=actor,
        reason=reason,
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor,
            "decision_note": note,
            **changes,
        },
    )


@transaction.atomic
def name_change_approve(
    *, name_change: NameChangeRequest, actor, note: str = ""
) -> NameChangeRequest:
    """The record takes the requested name; the previous one is kept among the other names
    used; the provider is emailed."""
    name_change = locked(name_change)
    if name_change.status == NameChangeStatus.APPROVED:
        return name_change
    provider = locked(name_change.provider)
    previous = provider.full_name
    _decide(
        name_change,
        actor=actor,
        target=NameChangeStatus.APPROVED,
        note=note,
        reason=note or "Name change approved",
        previous_name=previous,
    )
    other_names = [name.strip() for name in provider.other_names.split(";") if name.strip()]
    if previous not in other_names:
        other_names.append(previous)
    provider.first_name = name_change.first_name
    provider.middle_name = name_change.middle_name
    provider.last_name = name_change.last_name
    provider.other_names = "; ".join(other_names)[:300]
    save_with_audit(
        provider,
        actor=actor,
        reason=f"Name changed from {previous} to {name_change.requested_name} "
        f"(name change request {name_change.pk}: {name_change.reason})",
        update_fields=["first_name", "middle_name", "last_name", "other_names", "updated_at"],
    )
    enqueue(emails.send_name_change_decided, name_change.pk)
    return name_change


@transaction.atomic
def name_change_deny(*, name_change: NameChangeRequest, actor, note: str) -> NameChangeRequest:
    """The name stays; the provider is emailed the reason."""
    name_change = locked(name_change)
    if name_change.status == NameChangeStatus.DENIED:
        return name_change
    if not note.strip():
        raise DomainError("Give the reason for the denial: the provider reads it.", field="note")
    _decide(name_change, actor=actor, target=NameChangeStatus.DENIED, note=note, reason=note)
    enqueue(emails.send_name_change_decided, name_change.pk)
    return name_change
