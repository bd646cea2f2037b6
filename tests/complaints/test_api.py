"""Staff API: investigators and supervisors only; reads are logged; transitions map refusals
to 400/403; a suspension shows on /verify/ and /api/v1/verify/<number>/, lifting restores."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from complaints.models import AccessLog

from .factories import file_complaint

pytestmark = pytest.mark.django_db


def url(name, complaint=None):
    return reverse(name, args=[complaint.pk] if complaint else [])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.INVESTIGATOR, True),
        (roles.SUPERVISOR, True),
        (roles.LICENSING_REVIEWER, False),
        (roles.VEHICLE_INSPECTOR, False),
        (roles.RATES_ANALYST, False),
    ],
)
def test_only_complaint_staff_use_the_api(staff_client, certification, role, allowed):
    complaint = file_complaint(certification=certification)
    client = staff_client(role)
    listing = client.get(url("api-complaints"))
    detail = client.get(url("api-complaint", complaint))
    assert listing.status_code == detail.status_code == (200 if allowed else 403)
    if allowed:
        assert listing.json()["results"][0]["tracking_number"] == complaint.tracking_number
        assert detail.json()["narrative"] == complaint.narrative
        assert AccessLog.objects.filter(user=client.user, via="api").count() == 1
    else:
        assert not AccessLog.objects.exists()
        assert (
            client.post(
                url("api-complaint-triage", complaint), {"has_jurisdiction": True}
            ).status_code
            == 403
        )


def test_public_and_subject_get_no_access(client, make_user, certification):
    complaint = file_complaint(certification=certification)
    assert client.get(url("api-complaint", complaint)).status_code in (401, 403)
    subject = make_user(role=roles.PROVIDER)
    certification.provider.user = subject
    certification.provider.save()
    client.force_login(subject)
    assert client.get(url("api-complaints")).status_code == 403
    assert client.get(url("api-complaint", complaint)).status_code == 403


def test_transitions_through_the_api_and_verification(
    staff_client, certification, investigator, supervisor, client
):
    complaint = file_complaint(certification=certification)
    api = staff_client(user=investigator)
    assert api.post(url("api-complaint-start", complaint)).status_code == 403  # not theirs
    response = api.post(url("api-complaint-triage", complaint), {"has_jurisdiction": True})
    assert response.status_code == 200 and response.json()["stage"] == "triaged"
    refused = api.post(url("api-complaint-assign", complaint), {"investigator": supervisor.pk})
    assert refused.status_code == 403
    api.post(url("api-complaint-assign", complaint), {"investigator": investigator.pk})
    api.post(url("api-complaint-start", complaint))
    api.post(url("api-complaint-notes", complaint), {"body": "Interviewed the crew"})
    today = timezone.localdate()
    bad = api.post(url("api-complaint-close", complaint), {"outcome": "suspension", "summary": "x"})
    assert bad.status_code == 400 and "effective_from" in bad.json()
    response = api.post(
        url("api-complaint-close", complaint),
        {
            "outcome": "suspension",
            "summary": "Suspended",
            "effective_from": today.isoformat(),
            "effective_until": (today + timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["notes"][0]["body"] == "Interviewed the crew"
    client.logout()
    verify = client.get(reverse("providers-verify", args=[certification.number]))
    assert verify.json()["status"] == "suspended"
    assert (
        "Suspended"
        in client.get(
            reverse("providers:verify"), {"number": certification.number}
        ).content.decode()
    )
    # signed out above: no credentials, 401 (the API asks for a token)
    assert api.post(url("api-complaint-lift", complaint), {"reason": "x"}).status_code == 401
    sup = staff_client(user=supervisor)
    assert sup.post(url("api-complaint-lift", complaint), {"reason": "Appeal"}).status_code == 200
    assert (
        client.get(reverse("providers-verify", args=[certification.number])).json()["status"]
        == "active"
    )


def test_list_filters_and_fixed_query_count(
    staff_client, certification, supervisor, django_assert_max_num_queries
):
    for _ in range(3):
        file_complaint(certification=certification)
    client = staff_client(user=supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(url("api-complaints"), {"stage": "received"})
    assert response.json()["count"] == 3
    assert client.get(url("api-complaints"), {"stage": "closed"}).json()["count"] == 0
    assert client.get(url("api-complaints"), {"mine": "true"}).json()["count"] == 0


def test_schema_lists_the_complaint_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/complaints/{id}/close/" in schema
