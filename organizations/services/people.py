"""The people of an organization (chief of service, medical director, contacts): one holder per
single-holder role."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit

from ..models import (
    SINGLE_HOLDER_ROLES,
    Organization,
    OrganizationPerson,
    PersonRole,
)


@transaction.atomic
def person_set(
    *,
    organization: Organization,
    role: str,
    full_name: str,
    actor,
    email: str = "",
    phone: str = "",
    title: str = "",
    since: date | None = None,
) -> OrganizationPerson:
    """Name the organization's IDO, medical director or a contact. For a role held by one
    person at a time, the previous holder's row is ended (kept as history). The chief of
    service changes only through an accepted change report."""
    if role == PersonRole.CHIEF_OF_SERVICE:
        raise DomainError(
            "A new chief of service is reported on letterhead and accepted by the office.",
            field="role",
        )
    person = OrganizationPerson(
        organization=organization,
        role=role,
        full_name=full_name,
        email=email,
        phone=phone,
        title=title,
        since=since or timezone.localdate(),
    )
    return person_appoint(person, actor=actor, reason=f"{PersonRole(role).label} named")


def person_appoint(person: OrganizationPerson, *, actor, reason: str) -> OrganizationPerson:
    """Save the new ``person`` (not saved yet) in their role from ``person.since``; for a role
    held by one person at a time the previous holder's row ends that day. Inside the caller's
    transaction: ``person_set``, and an accepted chief of service change report."""
    if person.role in SINGLE_HOLDER_ROLES:
        end_current_holder(
            organization=person.organization, role=person.role, until=person.since, actor=actor
        )
    return save_with_audit(person, actor=actor, reason=reason)


@transaction.atomic
def person_remove(*, person: OrganizationPerson, actor) -> OrganizationPerson:
    person = locked(person)
    if person.until is not None:
        return person
    person.until = timezone.localdate()
    return save_with_audit(person, actor=actor, reason="No longer in role", update_fields=["until"])


def end_current_holder(*, organization, role, until, actor) -> None:
    for previous in OrganizationPerson.objects.select_for_update().filter(
        organization=organization, role=role, until__isnull=True
    ):
        previous.until = until
        save_with_audit(previous, actor=actor, reason="Replaced", update_fields=["until"])
