"""Reads on organizations used across apps (permissions, pickers)."""

from django.db.models import QuerySet

from .models import Organization


def organizations_administered_by(*, user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(administrators=user)


def user_administers(*, user, organization: Organization) -> bool:
    """The per-object check every organization page and API view makes."""
    return user.is_authenticated and organization.administrators.filter(pk=user.pk).exists()
