"""Allowable rates of a year as a PDF; a year with no approved rates gets a clear answer."""

import pytest
from django.urls import reverse

from documents.models import DocumentJob
from rates.models import ScheduleKind
from tests.documents.rendered import render_document

from .factories import OrganizationFactory, approved_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_allowable_rates_of_a_year_list_each_organization_and_amount(
    django_capture_on_commit_callbacks,
):
    charging = OrganizationFactory(legal_name="Charter Oak Ambulance", number="AMB-0330")
    volunteer = OrganizationFactory(legal_name="Quiet Valley Volunteers", number="AMB-0440")
    approved_schedule(charging, 2024, {"bls-emergency": "1234.50", "mileage": "17.25"})
    approved_schedule(volunteer, 2024, {}, kind=ScheduleKind.NON_CHARGING)
    approved_schedule(charging, 2023, {"bls-emergency": "999.00"})

    job, pages = render_document(
        django_capture_on_commit_callbacks, "allowable-rates", {"year": 2024}
    )
    text = " ".join("\n".join(pages).split())  # a long name wraps inside its cell
    assert job.title == "2024 Allowable Rates by EMS Organization"
    assert "Charter Oak Ambulance" in text and "AMB-0330" in text
    assert "$1,234.50" in text and "$17.25" in text
    assert "999.00" not in text  # another year's rates stay out
    assert "Quiet Valley Volunteers — non-charging service" in text
    assert "2 entries" in text and len(pages) == 1


def test_a_year_with_no_approved_rates_gets_a_clear_answer_not_a_crash(client):
    approved_schedule(OrganizationFactory(), 2024, {"bls-emergency": "800.00"})
    response = client.post(reverse("documents:request", args=["allowable-rates"]), {"year": "2019"})
    assert response.status_code == 400
    assert "No rates are approved for 2019" in response.content.decode()
    response = client.post(reverse("documents:request", args=["allowable-rates"]), {"year": "soon"})
    assert response.status_code == 400
    assert "four digits" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_the_year_page_links_its_pdf(client):
    approved_schedule(OrganizationFactory(), 2024, {"bls-emergency": "800.00"})
    page = client.get(reverse("rates:allowable-year", args=[2024])).content.decode()
    assert reverse("documents:request", args=["allowable-rates"]) in page
    assert 'name="year" value="2024"' in page
