"""The PDF itself: what a person reads on each page, and what the renderer refuses to fetch."""

import re

import pytest
from django.utils import timezone

from documents.documents import organization_directory_context
from documents.rendering import LocalOnlyURLFetcher, RefusedURL, html_to_pdf, render_pdf

from .pdf_text import pdf_pages_text

pytestmark = pytest.mark.django_db


def _directory_pdf(chunk_rows):
    return render_pdf(
        template="documents/pdf/organization_directory.html",
        context=organization_directory_context({}),
        title="EMS organization directory",
        chunk_rows=chunk_rows,
    )


def test_chunked_directory_has_title_every_name_page_numbers_date_and_repeated_headers(
    make_organizations,
):
    organizations = make_organizations(90)
    progress = []
    rendered = render_pdf(
        template="documents/pdf/organization_directory.html",
        context=organization_directory_context({}),
        title="EMS organization directory",
        chunk_rows=40,  # three chunks, merged: numbering must run across them
        on_progress=lambda percent, message: progress.append(percent),
    )
    pages = pdf_pages_text(rendered.content)
    count = len(pages)

    assert rendered.page_count == count >= 3
    assert pages[0].count("EMS organization directory") >= 2  # heading and running header
    assert "Page 1 of " + str(count) in pages[0]
    assert f"Page {count} of {count}" in pages[-1]
    today = timezone.localtime().strftime("%B %-d, %Y")
    assert all(f"Generated {today}" in text for text in pages)
    # Table headers are repeated at the top of every page, and so is the running header.
    for text in pages[1:]:
        assert "Legal name Number Service Ownership" in text
        assert "EMS organization directory" in text
    everything = "\n".join(pages)
    for organization in organizations:
        assert organization.legal_name in everything
        assert organization.number in everything
    assert "90 entries" in pages[0]
    assert "End of the directory." in pages[-1]
    assert progress == sorted(progress) and progress[-1] == 99


def test_one_chunk_and_many_chunks_give_the_same_rows_in_order(make_organizations):
    make_organizations(45)
    whole = "\n".join(pdf_pages_text(_directory_pdf(1000).content))
    chunked = "\n".join(pdf_pages_text(_directory_pdf(10).content))

    def names(text):
        return re.findall(r"Town \d{3} EMS", text)

    assert names(whole) == names(chunked)
    assert len(names(whole)) == 45


def test_an_empty_directory_says_so(db):
    pages = pdf_pages_text(_directory_pdf(100).content)
    assert len(pages) == 1
    assert "No organizations on file." in pages[0]
    assert "Page 1 of 1" in pages[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://cdn.example.com/font.woff2",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///media/../../etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_the_network_and_files_outside_static_and_media(url):
    with pytest.raises(RefusedURL):
        LocalOnlyURLFetcher().fetch(url)


def test_the_url_fetcher_serves_static_and_media_files(settings, tmp_path):
    response = LocalOnlyURLFetcher().fetch("file:///static/documents/print.css")
    assert b"table-header-group" in response.read()
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "seal.txt").write_text("seal")
    assert LocalOnlyURLFetcher().fetch("file:///media/seal.txt").read() == b"seal"


def test_a_network_image_in_a_template_is_left_out_and_the_pdf_still_renders(monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *a, **k: opened.append(a))
    pdf = html_to_pdf('<p>Seal</p><img src="http://198.51.100.7/seal.png" alt="">')
    assert pdf.startswith(b"%PDF")
    assert opened == []
