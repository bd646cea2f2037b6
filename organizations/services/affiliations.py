"""Affiliations: a provider on an organization's roster, asked for by the provider and decided by
the organization's administrator."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import locked, save_with_audit, transition

from .. import emails, selectors
from ..models import (
    AFFILIATION_OPEN,
    AFFILIATION_TRANSITIONS,
    Affiliation,
    AffiliationStatus,
    Organization,
    OrganizationStatus,
)


def _may_decide_affiliation(*, actor, organization: Organization) -> bool:
    """The organization's administrator, or staff allowed to change affiliations (admin)."""

    if not getattr(actor, "is_authenticated", False):
        return False
    return selectors.user_administers(user=actor, organization=organization) or (
        actor.is_staff and actor.has_perm("organizations.change_affiliation")
    )


def _affiliation_email(name: str, affiliation_id: int) -> None:
    enqueue(getattr(emails, name), affiliation_id)


@transaction.atomic
def affiliation_request(*, provider, organization: Organization, actor, note: str = ""):
    """The provider asks to be on the organization's roster. Asking again while a request is
    pending returns that request (a double submit acts once)."""

    if provider.user_id is None or provider.user_id != getattr(actor, "pk", None):
        raise DomainError("Only the provider linked to this account can ask to be affiliated.")
    if organization.status != OrganizationStatus.ACTIVE:
        raise DomainError(
            f"{organization.legal_name} is not an active organization.", field="organization"
        )
    organization = locked(organization)  # serializes requests to one organization
    existing = Affiliation.objects.filter(
        organization=organization, provider=provider, status__in=AFFILIATION_OPEN
    ).first()
    if existing is not None:
        if existing.status == AffiliationStatus.PENDING:
            return existing
        raise DomainError(
            f"You are already affiliated with {organization.legal_name}.", field="organization"
        )
    affiliation = Affiliation(
        organization=organization,
        provider=provider,
        requested_by=actor,
        note=(note or "").strip()[:300],
    )
    save_with_audit(affiliation, actor=actor, reason="Affiliation requested")
    _affiliation_email("send_affiliation_requested", affiliation.pk)
    return affiliation


def _decide(affiliation, *, actor, target, reason, note=""):
    """The administrator's decision on a request (approve or decline), and the provider's
    email about it."""
    affiliation = locked(affiliation)
    if not _may_decide_affiliation(actor=actor, organization=affiliation.organization):
        raise DomainError("Only the organization's administrator can decide this request.")
    if affiliation.status == target:
        return affiliation  # a double click: decided once
    transition(
        affiliation,
        allowed=AFFILIATION_TRANSITIONS,
        target=target,
        actor=actor,
        reason=note or reason,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": note[:300]},
    )
    _affiliation_email("send_affiliation_decided", affiliation.pk)
    return affiliation


@transaction.atomic
def affiliation_approve(*, affiliation, actor, note: str = ""):
    """pending → approved: the provider is on the roster."""

    return _decide(
        affiliation, actor=actor, target=AffiliationStatus.APPROVED, reason="Approved", note=note
    )


@transaction.atomic
def affiliation_decline(*, affiliation, actor, note: str = ""):
    """pending → declined."""

    return _decide(
        affiliation, actor=actor, target=AffiliationStatus.DECLINED, reason="Declined", note=note
    )


@transaction.atomic
def affiliation_end(*, affiliation, actor, reason: str = ""):
    """approved → ended, by the provider or by the organization's side; the other side is
    told."""

    affiliation = locked(affiliation)
    is_provider = affiliation.provider.user_id is not None and affiliation.provider.user_id == (
        getattr(actor, "pk", None)
    )
    if not is_provider and not _may_decide_affiliation(
        actor=actor, organization=affiliation.organization
    ):
        raise DomainError("Only the provider or the organization's administrator can end this.")
    if affiliation.status == AffiliationStatus.ENDED:
        return affiliation
    side = "provider" if is_provider else "organization"
    transition(
        affiliation,
        allowed=AFFILIATION_TRANSITIONS,
        target=AffiliationStatus.ENDED,
        actor=actor,
        reason=reason.strip() or f"Ended by the {side}",
        changes={"ended_at": timezone.now(), "ended_by": actor, "end_reason": reason.strip()[:300]},
    )
    _affiliation_email("send_affiliation_ended", affiliation.pk)
    return affiliation


@transaction.atomic
def affiliation_record_from_roster(*, provider, organization: Organization, actor, reason: str):
    """The organization declares a provider on its roster (e.g. in the NEMSIS DEM file its
    administrator confirmed): a pending request is approved; with none, an approved affiliation
    is recorded. Already affiliated: nothing changes (returns it)."""
    if not _may_decide_affiliation(actor=actor, organization=organization):
        raise DomainError("Only the organization's administrator can change its roster.")
    organization = locked(organization)  # serializes roster changes of one organization
    existing = Affiliation.objects.filter(
        organization=organization, provider=provider, status__in=AFFILIATION_OPEN
    ).first()
    if existing is not None:
        if existing.status == AffiliationStatus.PENDING:
            return affiliation_approve(affiliation=existing, actor=actor, note=reason[:300])
        return existing
    now = timezone.now()
    affiliation = Affiliation(
        organization=organization,
        provider=provider,
        status=AffiliationStatus.APPROVED,
        requested_by=actor,
        note=reason[:300],
        decided_at=now,
        decided_by=actor,
        decision_note=reason[:300],
    )
    save_with_audit(affiliation, actor=actor, reason=reason)
    _affiliation_email("send_affiliation_decided", affiliation.pk)
    return affiliation
