"""Roles exist as groups after migrate; /api/v1/me/ with a token."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.roles import role_permissions, sync_role_permissions
from accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_sync_gives_each_role_exactly_its_listed_permissions():
    sync_role_permissions()
    supervisor = Group.objects.get(name=roles.SUPERVISOR)
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in supervisor.permissions.select_related("content_type")
    }
    assert "core.change_news" in granted
    assert granted <= role_permissions()[roles.SUPERVISOR]
    provider = Group.objects.get(name=roles.PROVIDER)
    assert not provider.permissions.filter(content_type__app_label="core").exists()


def test_me_endpoint_with_token(client, make_user):
    user = make_user("provider@example.com", role=roles.PROVIDER, full_name="Pat Provider")
    _, token = api_token_create(user=user, name="script", second_factor=False)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json() == {
        "email": "provider@example.com",
        "full_name": "Pat Provider",
        "roles": ["provider"],
        "is_staff": False,
    }
    assert client.get("/api/v1/me/").status_code in {401, 403}
