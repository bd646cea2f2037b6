"""Sensitive fields stay out of reach in the admin (core.admin_sensitive): no filtering on hashes
or excluded fields through the URL, identity fields only for the roles that match identities."""

import pytest
from django.urls import reverse

from accounts import roles
from tests.providers.factories import make_provider

pytestmark = pytest.mark.django_db

PROVIDERS = "/admin/providers/provider/"


@pytest.fixture
def provider(db):
    return make_provider(first_name="Ida", last_name="Identity")


@pytest.mark.parametrize(
    "query",
    ["ssn_hmac__startswith=a", "ssn_hmac=0", "ssn_hmac__gt=8", "user__password__startswith=p"],
)
def test_filtering_providers_by_a_hidden_hash_is_refused(staff_client, provider, query):
    client = staff_client(roles.SUPERVISOR)
    assert client.get(PROVIDERS).status_code == 200
    assert client.get(f"{PROVIDERS}?{query}").status_code == 400


def test_filtering_users_by_password_hash_is_refused(staff_client):
    client = staff_client(roles.SUPERVISOR)
    assert client.get("/admin/accounts/user/?password__startswith=md5").status_code == 400
    assert client.get("/admin/accounts/user/?is_staff__exact=1").status_code == 200


@pytest.mark.parametrize("role", [roles.LICENSING_REVIEWER, roles.SUPERVISOR])
def test_identity_roles_see_date_of_birth_and_ssn_last_four(staff_client, provider, role):
    client = staff_client(role)
    changelist = client.get(PROVIDERS).content.decode()
    assert "column-date_of_birth" in changelist and "column-ssn_last4" in changelist
    change = client.get(reverse("admin:providers_provider_change", args=[provider.pk]))
    assert "field-date_of_birth" in change.content.decode()
    assert "field-ssn_last4" in change.content.decode()
    assert client.get(f"{PROVIDERS}?date_of_birth__year=1980").status_code == 200


def test_an_investigator_sees_neither_nor_filters_on_them(staff_client, provider):
    client = staff_client(roles.INVESTIGATOR)
    changelist = client.get(PROVIDERS)
    assert changelist.status_code == 200
    assert "Identity" in changelist.content.decode()  # the provider is listed
    assert "column-date_of_birth" not in changelist.content.decode()
    assert "column-ssn_last4" not in changelist.content.decode()
    change = client.get(reverse("admin:providers_provider_change", args=[provider.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    assert "field-date_of_birth" not in page and "field-ssn_last4" not in page
    assert client.get(f"{PROVIDERS}?date_of_birth__year=1980").status_code == 400
    assert client.get(f"{PROVIDERS}?ssn_last4=1234").status_code == 400
