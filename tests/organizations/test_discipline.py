"""Suspension, revocation and lifting of an organization (called by Complaints)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.transitions import status_timeline
from organizations import services
from organizations.models import OrganizationStatus

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_suspend_then_lift_restores_active_with_audit(supervisor):
    organization = OrganizationFactory()
    today = timezone.localdate()
    services.organization_suspend(
        organization=organization, actor=supervisor, reason="Complaint C-1", effective_from=today
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.SUSPENDED
    services.organization_lift_discipline(
        organization=organization, actor=supervisor, reason="Terms met"
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.ACTIVE
    timeline = status_timeline(organization)
    assert [entry.new for entry in timeline] == ["active", "suspended", "active"]
    assert timeline[1].actor == supervisor
    assert "Complaint C-1" in timeline[1].reason


def test_revoke_from_suspended_is_allowed(supervisor):
    organization = OrganizationFactory()
    today = timezone.localdate()
    services.organization_suspend(
        organization=organization, actor=supervisor, reason="x", effective_from=today
    )
    services.organization_revoke(
        organization=organization, actor=supervisor, reason="y", effective_from=today
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.REVOKED


def test_a_pending_organization_cannot_be_suspended(supervisor):
    organization = OrganizationFactory(status=OrganizationStatus.PENDING)
    with pytest.raises(DomainError):
        services.organization_suspend(
            organization=organization,
            actor=supervisor,
            reason="x",
            effective_from=timezone.localdate(),
        )


def test_future_effective_date_and_missing_reason_are_refused(supervisor):
    organization = OrganizationFactory()
    with pytest.raises(DomainError) as error:
        services.organization_suspend(
            organization=organization,
            actor=supervisor,
            reason="x",
            effective_from=timezone.localdate() + timedelta(days=1),
        )
    assert error.value.field == "effective_from"
    with pytest.raises(DomainError) as error:
        services.organization_revoke(
            organization=organization,
            actor=supervisor,
            reason=" ",
            effective_from=timezone.localdate(),
        )
    assert error.value.field == "reason"


def test_lifting_an_organization_in_good_standing_changes_nothing(supervisor):
    organization = OrganizationFactory()
    services.organization_lift_discipline(organization=organization, actor=supervisor, reason="x")
    assert organization.history.count() == 1
