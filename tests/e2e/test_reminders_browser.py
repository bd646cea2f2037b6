"""In Chromium: the public asks for the PSA roster from its page and downloads it when ready;
a provider sees their reminders on the dashboard and downloads their certification card."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.documents.pdf_text import pdf_pages_text

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def psa_holder(db):
    from organizations import services
    from organizations.models import Organization

    organization = Organization.objects.create(
        legal_name="Riverbend Ambulance Corps",
        number="AMB-7070",
        kind="ambulance",
        ownership="municipal",
        credential_type="certificate",
        highest_level="paramedic",
        status="active",
        email="office@riverbend.example.org",
        city="Hartford",
    )
    services.psa_assign(
        town="Hartford",
        psa_type="bls",
        organization=organization,
        effective_from=timezone.localdate() - timedelta(days=5),
        actor=None,
    )
    return organization


@pytest.fixture
def slow_worker(monkeypatch):
    """Hold the render back so the status page is seen queued, then watched as it finishes."""
    from documents import services

    pending = []
    monkeypatch.setattr(services, "_enqueue", lambda job_id: pending.append(job_id))

    def run_pending():
        from documents.tasks import render_document

        while pending:
            render_document.apply(args=[str(pending.pop())])

    return run_pending


def _download_text(page, link_name) -> tuple[str, str]:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    download = download_info.value
    text = " ".join("\n".join(pdf_pages_text(Path(download.path()).read_bytes())).split())
    return download.suggested_filename, text


def test_the_public_requests_the_psa_roster_from_its_page_and_downloads_it(
    page, psa_holder, slow_worker
):
    page.goto("/public/")
    assert_accessible(page, context="public index")
    page.get_by_role("link", name="Primary Service Areas by town").click()
    assert_accessible(page, context="PSA by town page")

    page.get_by_role("button", name="Primary Service Areas by town as PDF").click()
    page.wait_for_url(re.compile(r"/documents/jobs/[0-9a-f-]+/$"))
    assert "Queued" in page.locator("#job-status-text").inner_text()
    assert_accessible(page, context="roster queued")

    slow_worker()  # the worker runs; the page finds out by polling
    page.get_by_role("link", name="Download the PDF").wait_for(state="visible", timeout=30_000)
    assert_accessible(page, context="roster ready")
    filename, text = _download_text(page, "Download the PDF")
    assert filename.startswith("psa-by-town-")
    assert "Riverbend Ambulance Corps (AMB-7070)" in text and "169 entries" in text


def test_a_provider_sees_their_reminders_and_downloads_their_card(page, make_user):
    from providers.reminders import services as reminder_services

    from ..providers.factories import make_certification

    user = make_user("medic@example.com", password="a-long-medic-passphrase")
    certification = make_certification(
        user=user,
        first_name="Maria",
        last_name="Medic",
        email="medic@example.com",
        expires_in=30,
    )
    reminder_services.reminders_dispatch()  # outside a transaction: batches run at once

    sign_in(page, "medic@example.com", "a-long-medic-passphrase")
    page.goto("/dashboard/")
    panel = page.get_by_role("region", name="Certification cards and renewal reminders")
    assert "30 days before expiration reminder" in panel.inner_text()
    assert_accessible(page, context="dashboard with the cards panel")

    page.get_by_role("button", name=f"Download my card for {certification.number} (PDF)").click()
    page.wait_for_url(re.compile(r"/documents/jobs/[0-9a-f-]+/$"))
    page.get_by_role("link", name="Download the PDF").wait_for(state="visible", timeout=30_000)
    assert_accessible(page, context="card ready")
    filename, text = _download_text(page, "Download the PDF")
    assert filename.startswith("certification-card-")
    assert "Maria Medic" in text and certification.number in text
    assert f"/verify/?number={certification.number}" in text


def test_the_cards_panel_reads_at_phone_width(phone_page, make_user):
    from ..providers.factories import make_certification

    user = make_user("phone@example.com", password="a-long-phone-passphrase")
    make_certification(user=user, email="phone@example.com")
    sign_in(phone_page, "phone@example.com", "a-long-phone-passphrase")
    phone_page.goto("/dashboard/")
    assert phone_page.get_by_role("button", name=re.compile("Download my card")).is_visible()
    assert_accessible(phone_page, context="cards panel at phone width")
