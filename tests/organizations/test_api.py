from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts import roles
from accounts.services import api_token_create
from organizations import services
from organizations.models import PsaType, Town

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_public_directory_and_psas(api, make_user, django_assert_max_num_queries):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    organizations = [OrganizationFactory() for _ in range(3)]
    for index, town in enumerate(Town.objects.order_by("name")[:20]):
        services.psa_assign(
            town=town,
            psa_type=PsaType.ALS,
            organization=organizations[index % 3],
            effective_from=date(2021, 1, 1),
            actor=reviewer,
        )
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/organizations/")
    assert response.status_code == 200 and response.data["count"] == 3
    assert len(response.data["results"][0]["primary_service_areas"]) in (6, 7)
    response = api.get(f"/api/v1/organizations/{organizations[0].number}/")
    assert response.data["legal_name"] == organizations[0].legal_name
    response = api.get("/api/v1/psas/", {"town": "andover", "psa_type": "als"})
    assert response.data["results"][0]["organization_number"] == organizations[0].number
    assert api.get("/api/v1/psas/", {"on": "2020-01-01"}).data["count"] == 0
    response = api.get("/api/v1/psas/", {"town": "Atlantis"})
    assert response.status_code == 400 and "Atlantis" in str(response.data["town"])


def test_my_organization_api_is_per_object(api, make_user):
    user = make_user(role=roles.ORGANIZATION_ADMINISTRATOR)
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    mine.administrators.add(user)
    token = api_token_create(user=user, name="test", second_factor=True)[1]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.get("/api/v1/my/organizations/")
    assert [row["number"] for row in response.data["results"]] == [mine.number]
    assert api.get(f"/api/v1/my/organizations/{mine.pk}/").status_code == 200
    assert api.get(f"/api/v1/my/organizations/{theirs.pk}/").status_code == 404
    response = api.patch(f"/api/v1/my/organizations/{theirs.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 404
    response = api.patch(
        f"/api/v1/my/organizations/{mine.pk}/", {"phone": "860-555-1212"}, format="json"
    )
    assert response.status_code == 200 and response.data["phone"] == "860-555-1212"
    response = api.patch(
        f"/api/v1/my/organizations/{mine.pk}/", {"email": "not-an-email"}, format="json"
    )
    assert response.status_code == 400


def test_my_organizations_needs_a_signed_in_user(api):
    assert api.get("/api/v1/my/organizations/").status_code in (401, 403)
