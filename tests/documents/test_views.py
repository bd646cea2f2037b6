"""Pages: request (POST only, per-object permission), status page and JSON, download, my list."""

import pytest
from django.urls import reverse

from accounts import roles
from core.files import download_url
from documents import services
from documents.models import DocumentJob, JobStatus

from .pdf_text import pdf_pages_text

pytestmark = pytest.mark.django_db

DIRECTORY = "organization-directory"


def request_url(kind=DIRECTORY):
    return reverse("documents:request", kwargs={"kind": kind})


def test_anyone_can_request_the_directory_and_follow_it_to_the_download(
    client, make_organizations, django_capture_on_commit_callbacks
):
    make_organizations(4)
    page = client.get(reverse("documents:index"))
    assert page.status_code == 200
    assert "EMS organization directory" in page.content.decode()
    assert request_url() in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url())
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()

    status_page = client.get(job.get_absolute_url())
    body = status_page.content.decode()
    assert 'role="status"' in body and "<noscript>" in body
    assert reverse("documents:job-status", kwargs={"pk": job.pk}) in body
    assert download_url("generated-document", job.pk) in body

    status = client.get(reverse("documents:job-status", kwargs={"pk": job.pk})).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == download_url("generated-document", job.pk)

    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "Town 003 EMS" in pdf_pages_text(b"".join(download.streaming_content))[0]


def test_the_status_json_reports_queued_then_running_progress(client, make_organizations):
    make_organizations(1)
    client.post(request_url())  # on-commit callbacks not run: stays queued
    job = DocumentJob.objects.get()
    url = reverse("documents:job-status", kwargs={"pk": job.pk})
    queued = client.get(url).json()
    assert (queued["status"], queued["progress"], queued["download_url"]) == ("queued", 0, None)
    token = services.job_claim(job_id=job.pk)
    services.job_progress(job_id=job.pk, token=token, percent=40, message="Laid out 400 rows.")
    running = client.get(url).json()
    assert (running["status"], running["progress"], running["message"]) == (
        "running",
        40,
        "Laid out 400 rows.",
    )
    assert client.get(download_url("generated-document", job.pk)).status_code == 404


def test_a_failed_job_shows_its_error(client, make_organizations):
    make_organizations(1)
    client.post(request_url())
    job = DocumentJob.objects.get()
    services.job_fail(job_id=job.pk, token=None, error="No approved rates for 2031.")
    assert client.get(reverse("documents:job-status", kwargs={"pk": job.pk})).json()["error"] == (
        "No approved rates for 2031."
    )
    assert "No approved rates for 2031." in client.get(job.get_absolute_url()).content.decode()


def test_a_double_submit_makes_one_job(client, make_organizations):
    make_organizations(1)
    first = client.post(request_url())
    second = client.post(request_url())
    assert first.url == second.url
    assert DocumentJob.objects.count() == 1


def test_request_is_post_only_and_unknown_kinds_are_404(client, db):
    assert client.get(request_url()).status_code == 405
    assert client.post(request_url("no-such-document")).status_code == 404


def test_a_roster_of_an_organization_the_user_does_not_administer_is_refused(
    client, make_user, make_organizations, restricted_roster
):
    mine, theirs = make_organizations(2)
    administrator = make_user()
    mine.administrators.add(administrator)
    client.force_login(administrator)

    refused = client.post(request_url(restricted_roster), {"organization": theirs.pk})
    assert refused.status_code == 403
    assert DocumentJob.objects.count() == 0

    allowed = client.post(request_url(restricted_roster), {"organization": mine.pk})
    assert allowed.status_code == 302
    assert DocumentJob.objects.get().params == {"organization": mine.pk}


def test_bad_params_get_a_clear_answer(client, make_user, restricted_roster):
    client.force_login(make_user())
    response = client.post(request_url(restricted_roster), {"organization": "not-a-number"})
    assert response.status_code == 400
    assert "Choose an organization that exists." in response.content.decode()


def test_an_anonymous_request_for_a_restricted_document_goes_to_sign_in(
    client, make_organizations, restricted_roster
):
    organization = make_organizations(1)[0]
    response = client.post(request_url(restricted_roster), {"organization": organization.pk})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_status_and_download_are_checked_per_object_and_staff_only_by_the_kinds_rule(
    client,
    make_user,
    staff_client,
    make_organizations,
    restricted_roster,
    django_capture_on_commit_callbacks,
):
    organization = make_organizations(1)[0]
    administrator, stranger, staff = make_user(), make_user(), make_user(role=roles.SUPERVISOR)
    organization.administrators.add(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.document_request(
            kind=restricted_roster, params={"organization": organization.pk}, user=administrator
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    urls = [
        job.get_absolute_url(),
        reverse("documents:job-status", kwargs={"pk": job.pk}),
        download_url("generated-document", job.pk),
    ]
    client.force_login(stranger)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(administrator)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    # Being staff is not enough: this kind's rule names only the organization's administrators.
    staff_client(user=staff)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.logout()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]


def test_my_documents_lists_what_i_requested_only(
    client, make_user, make_organizations, django_capture_on_commit_callbacks
):
    make_organizations(1)
    me, other = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.document_request(kind=DIRECTORY, params={}, user=me)
    client.force_login(other)
    assert "My documents" in client.get(reverse("documents:index")).content.decode()
    assert job.get_absolute_url() not in client.get(reverse("documents:index")).content.decode()
    client.force_login(me)
    body = client.get(reverse("documents:index")).content.decode()
    assert job.get_absolute_url() in body
    assert download_url("generated-document", job.pk) in body


def test_my_documents_takes_a_fixed_number_of_queries(
    client, make_user, make_organizations, django_assert_max_num_queries
):
    from documents.models import DocumentRequest

    make_organizations(1)
    me = make_user()
    for index in range(15):
        job = DocumentJob.objects.create(
            kind=DIRECTORY,
            title="EMS organization directory",
            params_key=str(index),
            fingerprint="x",
            status=JobStatus.FAILED,
        )
        DocumentRequest.objects.create(job=job, user=me)
    client.force_login(me)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("documents:index")).status_code == 200


def test_the_dashboard_links_to_my_documents(client, make_user):
    client.force_login(make_user())
    body = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("documents:index") + "#my-documents" in body
