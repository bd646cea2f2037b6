"""Rates API: public allowable rates; an organization's filings for its administrators only."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from rates import services

from .factories import OrganizationFactory, approved_schedule
from .test_services import submitted_short_form

pytestmark = pytest.mark.django_db


def test_public_allowable_rates_per_year(organization, org_admin, season, analyst):
    services.filing_approve(
        filing=submitted_short_form(organization, season, org_admin), actor=analyst
    )
    client = APIClient()
    years = client.get(reverse("api-rates-allowable-years")).json()["results"]
    assert [year["year"] for year in years] == [2024, 2023]
    data = client.get(reverse("api-rates-allowable", args=[2024])).json()
    assert data["year"] == 2024 and data["cpi_factor"] == "0.0430"
    (schedule,) = data["schedules"]
    assert schedule["number"] == organization.number and schedule["kind"] == "charging"
    assert {rate["category"]: rate["amount"] for rate in schedule["rates"]} == {
        "bls-emergency": "834.40",
        "als1-emergency": "1043.00",
        "mileage": "15.65",
    }
    assert client.get(reverse("api-rates-allowable", args=[2031])).status_code == 404


def test_my_filings_by_token_lists_only_my_organizations(
    organization, org_admin, season, make_user
):
    mine = submitted_short_form(organization, season, org_admin)
    other_admin = make_user("other@example.com")
    other = OrganizationFactory(administrators=[other_admin])
    approved_schedule(other, 2023, {"bls-emergency": "500"})
    theirs = submitted_short_form(other, season, other_admin, {"bls-emergency": Decimal("510")})

    client = APIClient()
    assert client.get(reverse("api-rates-filings")).status_code in (401, 403)
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(user=org_admin, name='test', second_factor=True)[1]}"
    )
    results = client.get(reverse("api-rates-filings")).json()["results"]
    assert [filing["id"] for filing in results] == [mine.pk]
    assert results[0]["lines"][0]["cap"] is not None
    assert client.get(reverse("api-rates-filing", args=[mine.pk])).json()["status"] == "submitted"
    assert client.get(reverse("api-rates-filing", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("api-rates-filing", args=[999999])).status_code == 404


def test_rates_endpoints_are_in_the_schema(client, db):
    schema = client.get(reverse("api-schema")).content.decode()
    for path in [
        "/api/v1/rates/allowable/{year}/",
        "/api/v1/rates/filings/",
        "/api/v1/rates/filings/{id}/",
    ]:
        assert path in schema
