"""Public read-only API: directories with filters, award recipients, publications; schema."""

from datetime import date, timedelta

import pytest

from information.models import PublicationFile, StrokeLevel, TraumaLevel

from .factories import (
    HospitalFactory,
    NominationFactory,
    PublicationFactory,
    StrokeCertificationFactory,
    TraumaDesignationFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db


def test_stroke_centers_api_is_public_filtered_and_hides_expired(client):
    hartford = HospitalFactory(name="Hartford General", town="Hartford", address="1 Main St")
    StrokeCertificationFactory(hospital=hartford, level=StrokeLevel.COMPREHENSIVE)
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Small One", town="Putnam"), level=StrokeLevel.ACUTE_READY
    )
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Lapsed"),
        attestation_expires=date.today() - timedelta(days=1),
    )
    response = client.get("/api/v1/stroke-centers/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["hospital"]["name"] for item in results] == ["Hartford General", "Small One"]
    assert results[0]["hospital"] == {
        "name": "Hartford General",
        "town": "Hartford",
        "address": "1 Main St",
    }
    assert results[0]["level_display"] == "Comprehensive stroke center"
    assert "attestation" not in results[0]  # the document itself is for staff
    filtered = client.get("/api/v1/stroke-centers/", {"level": "acute_ready"}).json()["results"]
    assert [item["hospital"]["name"] for item in filtered] == ["Small One"]
    by_town = client.get("/api/v1/stroke-centers/", {"town": "hartford"}).json()["results"]
    assert [item["hospital"]["name"] for item in by_town] == ["Hartford General"]


def test_trauma_centers_api(client):
    TraumaDesignationFactory(hospital=HospitalFactory(name="Kids"), level=TraumaLevel.PEDIATRIC_I)
    TraumaDesignationFactory(hospital=HospitalFactory(name="Adults"), level=TraumaLevel.LEVEL_I)
    results = client.get("/api/v1/trauma-centers/", {"level": "PED_I"}).json()["results"]
    assert [(item["hospital"]["name"], item["level_display"]) for item in results] == [
        ("Kids", "Pediatric Level I")
    ]


def test_award_recipients_api_lists_recipients_only(client):
    NominationFactory(nominee_name="Winner", status="recipient", citation="for service")
    NominationFactory(nominee_name="Pending", status="received")
    results = client.get("/api/v1/award-recipients/").json()["results"]
    assert [(item["nominee_name"], item["citation"]) for item in results] == [
        ("Winner", "for service")
    ]
    assert "nominator_email" not in results[0]


def test_publications_api_lists_published_with_file_links(client):
    publication = PublicationFactory(slug="wg", title="WG report")
    PublicationFile.objects.create(publication=publication, title="Report", file=pdf_file())
    PublicationFactory(slug="draft", is_published=False)
    results = client.get("/api/v1/publications/").json()["results"]
    assert [item["slug"] for item in results] == ["wg"]
    assert results[0]["files"][0]["url"].startswith("http://testserver/files/publication-file/")


def test_the_api_is_read_only(client):
    assert client.post("/api/v1/stroke-centers/", {}).status_code == 405


def test_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ["stroke-centers", "trauma-centers", "award-recipients", "publications"]:
        assert f"/api/v1/{path}/" in schema
    assert "StrokeCenterListOutput" in schema
