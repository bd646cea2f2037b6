"""News posts in Markdown with PDF attachments, served through the checked download: public
while the post is published, staff's otherwise; staff publish them from the admin."""

import pytest

from accounts import roles
from core.models import News
from information.models import NewsAttachment
from tests.uploads import pdf_upload

from .factories import pdf_file

pytestmark = pytest.mark.django_db


def make_post(**fields):
    return News.objects.create(
        **{
            "title": "Short Form",
            "slug": "short-form",
            "body": "Read the [form](/help/).",
            **fields,
        }
    )


def test_the_post_renders_markdown_and_lists_its_pdfs_anyone_can_download(client):
    post = make_post(body="## Due dates\n\n- March 1\n\n<script>alert(1)</script>")
    document = NewsAttachment.objects.create(news=post, title="The form", file=pdf_file("f.pdf"))
    page = client.get("/news/short-form/").content.decode()
    assert "<h2>Due dates</h2>" in page and "<li>March 1</li>" in page
    assert "<script>alert(1)" not in page
    assert f'href="{document.get_absolute_url()}">The form</a> (PDF)' in page
    download = client.get(document.get_absolute_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_an_unpublished_posts_attachment_is_staffs_only(client, staff_client):
    post = make_post(is_published=False)
    document = NewsAttachment.objects.create(news=post, title="Draft", file=pdf_file("d.pdf"))
    assert client.get(document.get_absolute_url()).status_code == 404
    staff = staff_client(roles.SUPERVISOR)
    assert staff.get(document.get_absolute_url()).status_code == 200


def test_list_pages_show_the_words_not_the_markup(client):
    make_post(summary="", body="**Bold** words and a [link](/help/)")
    assert "Bold words and a link" in client.get("/news/").content.decode()


def test_staff_publish_a_news_post_with_an_attachment_from_the_admin(staff_client):
    client = staff_client(roles.SUPERVISOR)
    response = client.post(
        "/admin/core/news/add/",
        {
            "title": "Rate application",
            "slug": "rate-application",
            "summary": "",
            "body": "File by **March 1**: [instructions](/help/fees/).",
            "published_at_0": "2026-01-02",
            "published_at_1": "09:00:00",
            "is_published": "on",
            "attachments-TOTAL_FORMS": 1,
            "attachments-INITIAL_FORMS": 0,
            "attachments-0-title": "Short Form",
            "attachments-0-file": pdf_upload("short-form.pdf"),
            "attachments-0-position": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = NewsAttachment.objects.get()
    assert document.original_name == "short-form.pdf"
    assert document.history.get().history_user == client.user
    client.logout()
    page = client.get("/news/rate-application/").content.decode()
    assert "<strong>March 1</strong>" in page and document.get_absolute_url() in page
    assert client.get(document.get_absolute_url()).status_code == 200


def test_an_attachment_that_is_not_a_pdf_is_refused_beside_the_field(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = staff_client(roles.SUPERVISOR)
    post = make_post()
    response = client.post(
        f"/admin/core/news/{post.pk}/change/",
        {
            "title": post.title,
            "slug": post.slug,
            "body": post.body,
            "published_at_0": "2026-01-02",
            "published_at_1": "09:00:00",
            "is_published": "on",
            "attachments-TOTAL_FORMS": 1,
            "attachments-INITIAL_FORMS": 0,
            "attachments-0-title": "Not a PDF",
            "attachments-0-file": SimpleUploadedFile("x.pdf", b"<html>x</html>"),
            "attachments-0-position": 0,
        },
    )
    assert response.status_code == 200
    assert "must be a PDF" in response.content.decode()
    assert not NewsAttachment.objects.exists()
