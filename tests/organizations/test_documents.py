"""The public PSA and IDO lists as PDFs: registered documents, their contents read back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations import services
from organizations.models import PsaType
from tests.documents.rendered import render_document

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def holders():
    since = timezone.localdate() - timedelta(days=30)
    north = OrganizationFactory(legal_name="Northfield Volunteer Ambulance", number="AMB-0101")
    south = OrganizationFactory(legal_name="Southport Paramedics", number="AMB-0202")
    for town, psa_type, organization in [
        ("Hartford", PsaType.BLS, north),
        ("Hartford", PsaType.ALS, south),
        ("Avon", PsaType.BLS, south),
    ]:
        services.psa_assign(
            town=town,
            psa_type=psa_type,
            organization=organization,
            effective_from=since,
            actor=None,
        )
    services.person_set(
        organization=north,
        role="ido",
        full_name="Irene Officer",
        email="ido@northfield.example.org",
        phone="860-555-0101",
        actor=None,
    )
    return north, south


def test_psa_by_town_lists_every_town_with_its_holders(django_capture_on_commit_callbacks, holders):
    job, pages = render_document(django_capture_on_commit_callbacks, "psa-by-town")
    text = " ".join("\n".join(pages).split())  # names may wrap inside a cell
    assert "Primary Service Areas by town" in text
    assert "169 entries" in text  # every Connecticut town, from the data migration
    assert "Northfield Volunteer Ambulance (AMB-0101)" in text
    assert "Southport Paramedics (AMB-0202)" in text
    assert "Woodstock" in text  # the last town is there too
    assert job.page_count == len(pages) > 1
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Town" in pages[-1] and "County" in pages[-1]  # table headers on every page


def test_psa_by_organization_lists_each_holder_with_its_towns(
    django_capture_on_commit_callbacks, holders
):
    _job, pages = render_document(django_capture_on_commit_callbacks, "psa-by-organization")
    text = " ".join("\n".join(pages).split())
    assert "Southport Paramedics" in text and "AMB-0202" in text
    assert "Avon" in text and "Hartford" in text
    assert "2 entries" in text
    assert len(pages) == 1


def test_ido_list_names_each_officer(django_capture_on_commit_callbacks, holders):
    _job, pages = render_document(django_capture_on_commit_callbacks, "ido-list")
    text = " ".join("\n".join(pages).split())
    assert "Irene Officer" in text and "ido@northfield.example.org" in text
    assert "Northfield Volunteer Ambulance" in text and "AMB-0101" in text


def test_a_finished_list_is_reused_until_its_data_changes(
    django_capture_on_commit_callbacks, holders
):
    first, _ = render_document(django_capture_on_commit_callbacks, "ido-list")
    again, _ = render_document(django_capture_on_commit_callbacks, "ido-list")
    assert again.pk == first.pk
    north, _south = holders
    services.person_set(organization=north, role="ido", full_name="Ivan Newofficer", actor=None)
    changed, pages = render_document(django_capture_on_commit_callbacks, "ido-list")
    assert changed.pk != first.pk and "Ivan Newofficer" in "\n".join(pages)


@pytest.mark.parametrize(
    ("url_name", "kind"),
    [
        ("organizations:psa-by-town", "psa-by-town"),
        ("organizations:psa-by-organization", "psa-by-organization"),
        ("organizations:ido-list", "ido-list"),
    ],
)
def test_the_public_pages_link_their_pdf(client, url_name, kind):
    page = client.get(reverse(url_name)).content.decode()
    assert reverse("documents:request", args=[kind]) in page


def test_the_public_index_links_the_pdf_downloads(client):
    assert reverse("documents:index") in client.get(reverse("core:public-index")).content.decode()
