"""The API: request a document and follow its job, with the same per-object permission."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.files import download_url
from documents.models import DocumentJob

pytestmark = pytest.mark.django_db


def request_url(kind="organization-directory"):
    return reverse("api-document-request", kwargs={"kind": kind})


def test_request_then_follow_the_job(make_organizations, django_capture_on_commit_callbacks):
    make_organizations(2)
    client = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(request_url(), {}, format="json")
    assert created.status_code == 201 and created.json()["outcome"] == "queued"
    job_id = created.json()["job"]["id"]

    detail = client.get(reverse("api-document-job", kwargs={"pk": job_id})).json()
    assert detail["status"] == "done" and detail["progress"] == 100
    assert detail["download_url"] == download_url("generated-document", job_id)

    again = client.post(request_url(), {}, format="json")
    assert again.status_code == 200 and again.json()["outcome"] == "reused"
    assert DocumentJob.objects.count() == 1


def test_a_restricted_document_is_refused_per_object(
    make_user, make_organizations, restricted_roster
):
    mine, theirs = make_organizations(2)
    administrator = make_user()
    mine.administrators.add(administrator)
    client = APIClient()
    client.force_authenticate(administrator)

    refused = client.post(
        request_url(restricted_roster), {"params": {"organization": theirs.pk}}, format="json"
    )
    assert refused.status_code == 403
    bad = client.post(
        request_url(restricted_roster), {"params": {"organization": "x"}}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "Choose an organization that exists."
    allowed = client.post(
        request_url(restricted_roster), {"params": {"organization": mine.pk}}, format="json"
    )
    assert allowed.status_code == 201
    job_url = reverse("api-document-job", kwargs={"pk": allowed.json()["job"]["id"]})
    assert client.get(job_url).status_code == 200
    client.force_authenticate(make_user())
    assert client.get(job_url).status_code == 404  # another person's job is not confirmed


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/documents/{kind}/request/" in schema
    assert "/api/v1/documents/jobs/{id}/" in schema
