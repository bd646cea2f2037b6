"""The full provider roster (staff only), rendered in chunks so 20,000+ rows never become one
layout; its contents and page count read back from the PDF."""

from dataclasses import replace

import pytest
from django.urls import reverse

from accounts import roles
from documents.models import DocumentJob
from documents.registry import all_documents, get_spec
from providers.models import Certification, Provider
from tests.documents.rendered import render_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _bulk_providers(count):
    from datetime import date

    providers = Provider.objects.bulk_create(
        Provider(
            first_name=f"First{index:04d}",
            last_name=f"Roster{index:04d}",
            date_of_birth=date(1990, 1, 1),
            ssn_hmac=f"{index:064d}",
            ssn_last4="0000",
            city="Hartford",
            state="CT",
        )
        for index in range(count)
    )
    Certification.objects.bulk_create(
        Certification(
            provider=provider,
            number=f"E{900000 + index:06d}",
            level="emt",
            issued_on=date(2024, 1, 1),
            expires_on=date(2030, 1, 1),
        )
        for index, provider in enumerate(providers)
    )


def test_the_roster_lists_every_certification_across_chunks(
    django_capture_on_commit_callbacks, make_user, monkeypatch
):
    _bulk_providers(130)
    staff = make_user(role=roles.LICENSING_REVIEWER)
    small_chunks = replace(get_spec("provider-roster"), chunked_rows=50)
    monkeypatch.setitem(all_documents(), "provider-roster", small_chunks)
    job, pages = render_document(django_capture_on_commit_callbacks, "provider-roster", user=staff)
    text = "\n".join(pages)
    assert "130 entries" in text
    for index in (0, 49, 50, 129):  # both sides of each chunk boundary
        assert f"Roster{index:04d}, First{index:04d}" in text
        assert f"E{900000 + index:06d}" in text
    assert job.page_count == len(pages) >= 3  # each chunk starts a page
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "End of the roster." in pages[-1]
    assert "Name" in pages[-1] and "Expires" in pages[-1]  # headers repeated


def test_only_staff_may_request_the_roster(client, make_user, staff_client):
    url = reverse("documents:request", args=["provider-roster"])
    client.force_login(make_user(role=roles.PROVIDER))
    assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302  # to sign in
    assert not DocumentJob.objects.exists()
    assert staff_client(roles.LICENSING_REVIEWER).post(url).status_code == 302
    assert DocumentJob.objects.count() == 1


def test_the_roster_is_offered_to_staff_only_on_the_documents_page(client, make_user, staff_client):
    client.force_login(make_user(role=roles.PROVIDER))
    assert "Provider roster" not in client.get(reverse("documents:index")).content.decode()
    page = staff_client(roles.SUPERVISOR).get(reverse("documents:index")).content.decode()
    assert "Provider roster (all certifications)" in page


def test_the_roster_reads_its_rows_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    """Every column the table shows (the status reads the discipline and superseded dates) is
    loaded with the rows: no query per row, whatever the roster's length."""
    from providers.documents import PROVIDER_ROSTER_TABLE, provider_roster_context

    _bulk_providers(60)
    with django_assert_max_num_queries(2):
        rows = list(provider_roster_context({})["rows"])
        cells = [cell for row in rows for cell in PROVIDER_ROSTER_TABLE.cells(row)]
    assert cells[-1][:2] == ("Roster0059, First0059", "E900059")
