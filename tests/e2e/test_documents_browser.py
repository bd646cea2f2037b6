"""Request a PDF in Chromium, watch the status page reach "done" without reloading, download it."""

import re
from pathlib import Path

import pytest

from tests.documents.pdf_text import pdf_pages_text

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organizations(db):
    from organizations.models import Organization

    return Organization.objects.bulk_create(
        Organization(
            legal_name=f"Browser Town {index:02d} EMS",
            number=f"AMB-BRW{index:03d}",
            kind="ambulance",
            ownership="municipal",
            credential_type="certificate",
            status="active",
            email=f"office{index}@example.org",
            city="Hartford",
        )
        for index in range(30)
    )


@pytest.fixture
def slow_worker(monkeypatch):
    """Tasks run in-process here; hold the first one back so the page is seen queued and then
    watched (by its own polling) as the work happens after the page has loaded."""
    from documents import services

    pending = []
    monkeypatch.setattr(services, "_enqueue", lambda job_id: pending.append(job_id))

    def run_pending():
        from documents.tasks import render_document

        while pending:
            render_document.apply(args=[str(pending.pop())])

    return run_pending


def test_request_watch_progress_and_download_without_reloading(
    page, make_user, organizations, slow_worker
):
    make_user("reader@example.com", password="a-long-reader-passphrase")
    sign_in(page, "reader@example.com", "a-long-reader-passphrase")
    page.goto("/documents/")
    assert_accessible(page, context="documents index")

    page.get_by_role("button", name=re.compile("Request the PDF")).first.click()
    page.wait_for_url(re.compile(r"/documents/jobs/[0-9a-f-]+/$"))
    status = page.locator("#job-status-text")
    assert "Queued" in status.inner_text()
    assert not page.get_by_role("link", name="Download the PDF").is_visible()
    assert_accessible(page, context="job status, queued")

    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    slow_worker()  # the worker runs; the page only polls
    page.get_by_role("link", name="Download the PDF").wait_for(state="visible", timeout=30_000)
    assert "Done" in status.inner_text()
    assert navigations == []  # no reload happened
    assert_accessible(page, context="job status, done")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("organization-directory-")
    text = "".join(pdf_pages_text(Path(download.path()).read_bytes()))
    assert "EMS organization directory" in text and "AMB-BRW029" in text, text

    page.goto("/documents/")
    assert page.get_by_role("link", name="EMS organization directory", exact=True).is_visible()
    assert_accessible(page, context="my documents")


def test_the_status_page_works_at_phone_width(phone_page, organizations, slow_worker):
    phone_page.goto("/documents/")
    phone_page.get_by_role("button", name=re.compile("Request the PDF")).first.click()
    phone_page.wait_for_url(re.compile(r"/documents/jobs/"))
    slow_worker()
    phone_page.get_by_role("link", name="Download the PDF").wait_for(state="visible")
    assert_accessible(phone_page, context="job status at phone width")
