"""Staff's tool: the job list with its filters, and the retry action."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts import roles
from documents import services
from documents.models import JobStatus

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:documents_documentjob_changelist"


def _request_directory():
    job, _ = services.document_request(
        kind="organization-directory", params={}, user=AnonymousUser()
    )
    return job


def test_the_job_list_filters_by_status_and_kind(staff_client, make_organizations):
    make_organizations(1)
    job = _request_directory()  # on-commit work not run: stays queued
    client = staff_client(roles.SUPERVISOR)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    queued = client.get(
        reverse(CHANGELIST), {"status__exact": "queued", "kind": "organization-directory"}
    )
    assert str(job.pk) in queued.content.decode()
    done = client.get(reverse(CHANGELIST), {"status__exact": "done"})
    assert str(job.pk) not in done.content.decode()
    change = client.get(reverse("admin:documents_documentjob_change", args=[job.pk]))
    assert change.status_code == 200


def test_the_retry_action_requeues_a_failed_job(
    staff_client, make_organizations, django_capture_on_commit_callbacks
):
    make_organizations(1)
    job = _request_directory()
    token = services.job_claim(job_id=job.pk)
    services.job_fail(job_id=job.pk, token=token, error="Storage full.")
    client = staff_client(roles.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST),
            {"action": "retry", "_selected_action": [str(job.pk)]},
            follow=True,
        )
    assert "Sent 1 job(s) back to the queue." in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_reviewer_may_look_but_not_retry(staff_client, make_organizations):
    make_organizations(1)
    _request_directory()
    response = staff_client(roles.LICENSING_REVIEWER).get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert 'value="retry"' not in response.content.decode()
