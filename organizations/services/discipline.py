"""Discipline of an organization (an outcome of a complaint): suspend, revoke, lift."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, require_reason, transition, transition_once

from ..models import (
    Organization,
    OrganizationStatus,
)

S = OrganizationStatus
# An outcome of a complaint acts on an organization in good standing; lifting it restores the
# organization to active (the only status a suspension or revocation starts from).
DISCIPLINE_TRANSITIONS = {
    S.ACTIVE: {S.SUSPENDED, S.REVOKED},
    S.SUSPENDED: {S.REVOKED, S.ACTIVE},
    S.REVOKED: {S.ACTIVE},
}


def _organization_discipline(organization, *, actor, target, reason, effective_from):
    require_reason(reason)
    if effective_from is None:
        raise DomainError("Give the effective date.", field="effective_from")
    if effective_from > timezone.localdate():
        # The organization's status is one field with no dates of its own: it changes the day
        # the outcome is recorded, so a date in the future cannot be honoured.
        raise DomainError(
            "An organization's status changes when the outcome is recorded: the effective date "
            "cannot be in the future.",
            field="effective_from",
        )
    return transition_once(
        organization,
        allowed=DISCIPLINE_TRANSITIONS,
        target=target,
        actor=actor,
        reason=f"{reason} (effective {effective_from:%B %-d, %Y})",
    )[0]


@transaction.atomic
def organization_suspend(
    *, organization: Organization, actor, reason: str, effective_from: date
) -> Organization:
    return _organization_discipline(
        organization, actor=actor, target=S.SUSPENDED, reason=reason, effective_from=effective_from
    )


@transaction.atomic
def organization_revoke(
    *, organization: Organization, actor, reason: str, effective_from: date
) -> Organization:
    return _organization_discipline(
        organization, actor=actor, target=S.REVOKED, reason=reason, effective_from=effective_from
    )


@transaction.atomic
def organization_lift_discipline(*, organization: Organization, actor, reason: str) -> Organization:
    """End a suspension or revocation: the organization is active again."""
    require_reason(reason)
    organization = locked(organization)
    if organization.status not in (S.SUSPENDED, S.REVOKED):
        return organization
    return transition(
        organization, allowed=DISCIPLINE_TRANSITIONS, target=S.ACTIVE, actor=actor, reason=reason
    )
