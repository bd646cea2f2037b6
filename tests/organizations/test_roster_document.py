"""An organization's provider roster as a PDF: its administrators and staff may have it, the
administrator of another organization may not; its rows read back from the PDF."""

# The fixtures come from test_affiliations; pytest's fixture arguments shadow those imports.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from accounts import roles
from documents.models import DocumentJob
from tests.documents.rendered import render_document

from .test_affiliations import (  # noqa: F401 (fixtures)
    _approved,
    _provider,
    administrator,
    organization,
    other_administrator,
    other_organization,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_roster_pdf_lists_the_affiliated_providers(
    make_user, organization, administrator, django_capture_on_commit_callbacks
):
    able = _provider(make_user, last_name="Able")
    baker = _provider(make_user, last_name="Baker")
    _approved(able, organization)
    _approved(baker, organization)
    job, pages = render_document(
        django_capture_on_commit_callbacks,
        "organization-roster",
        params={"organization": organization.pk},
        user=administrator,
    )
    text = "\n".join(pages)
    assert "Mine Ambulance" in text
    assert able.full_name in text and baker.full_name in text
    for certification in (*able.certifications.all(), *baker.certifications.all()):
        assert certification.number in text
    assert "Page 1 of" in text


def test_the_administrator_requests_it_from_the_roster_page(client, organization, administrator):
    client.force_login(administrator)
    page = client.get(reverse("organizations:roster", args=[organization.pk]))
    assert b"Download the roster as PDF" in page.content
    response = client.post(
        reverse("documents:request", args=["organization-roster"]),
        {"organization": organization.pk},
    )
    assert response.status_code == 302
    job = DocumentJob.objects.get(kind="organization-roster")
    assert job.params == {"organization": organization.pk}


def test_another_organizations_administrator_is_refused(
    client, organization, other_organization, other_administrator
):
    client.force_login(other_administrator)
    response = client.post(
        reverse("documents:request", args=["organization-roster"]),
        {"organization": organization.pk},
    )
    assert response.status_code == 403
    assert not DocumentJob.objects.filter(kind="organization-roster").exists()


def test_staff_may_have_any_roster_and_the_public_may_not(
    client, staff_client, organization, make_user
):
    anonymous = client.post(
        reverse("documents:request", args=["organization-roster"]),
        {"organization": organization.pk},
    )
    assert anonymous.status_code in {302, 403}
    assert not DocumentJob.objects.exists()
    staff = staff_client(roles.LICENSING_REVIEWER)
    response = staff.post(
        reverse("documents:request", args=["organization-roster"]),
        {"organization": organization.pk},
    )
    assert response.status_code == 302
    assert DocumentJob.objects.filter(kind="organization-roster").count() == 1


def test_an_unknown_organization_is_a_clear_refusal(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("documents:request", args=["organization-roster"]), {"organization": "999999"}
    )
    assert response.status_code == 400
    assert b"There is no such organization." in response.content
