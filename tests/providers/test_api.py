"""API: public verification (fixed query count, nothing private), the provider's own records by
token, and the staff queue."""

import pytest
from rest_framework.test import APIClient

from accounts import roles
from accounts.services import api_token_create
from providers import services

from .factories import filled_application, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_verify_returns_the_public_record_only(api, django_assert_max_num_queries):
    certification = make_certification(first_name="Ada", last_name="Lovelace")
    with django_assert_max_num_queries(1):
        response = api.get(f"/api/v1/verify/{certification.number}/")
    assert response.status_code == 200
    assert response.json() == {
        "number": certification.number,
        "name": "Ada Lovelace",
        "level": "emt",
        "level_display": "Emergency Medical Technician (EMT)",
        "status": "active",
        "status_display": "Active",
        "expiration_date": certification.expires_on.isoformat(),
        "superseded_by": None,
    }


def test_verify_output_matches_its_documented_schema():
    """The view builds its body directly (speed); the serializer is the schema: same fields,
    same values, for a current and for a superseded certification."""
    from providers.api import VerifyApi, verify_output
    from providers.rules import Level

    emt = make_certification(level=Level.EMT)
    paramedic = make_certification(provider=emt.provider, level=Level.PARAMEDIC)
    services.certification_supersede(certification=emt, by=paramedic, actor=None)
    for certification in (emt, paramedic):
        certification.refresh_from_db()
        documented = VerifyApi.VerifyOutputSerializer(certification).data
        assert verify_output(certification) == documented


def test_verify_query_count_does_not_grow_with_rows(api, django_assert_max_num_queries):
    for index in range(30):
        make_certification(ssn=f"300-00-{index:04d}")
    target = make_certification(ssn="301-00-0000")
    with django_assert_max_num_queries(1):
        assert api.get(f"/api/v1/verify/{target.number}/").status_code == 200


def test_verify_unknown_number_is_404(api):
    assert api.get("/api/v1/verify/E999999/").status_code == 404


def _token_client(user):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test', second_factor=True)[1]}"
    )
    return client


def test_provider_api_lists_only_own_records(make_user):
    mine_user, other_user = make_user(), make_user()
    mine = make_certification(user=mine_user, ssn="111-11-1111")
    theirs = make_certification(user=other_user, ssn="222-22-2222")
    my_application = filled_application(mine, mine_user)
    their_application = filled_application(theirs, other_user)
    client = _token_client(mine_user)
    certifications = client.get("/api/v1/providers/me/certifications/").json()["results"]
    assert [c["number"] for c in certifications] == [mine.number]
    applications = client.get("/api/v1/providers/me/applications/").json()["results"]
    assert [a["id"] for a in applications] == [my_application.pk]
    ce = client.get("/api/v1/providers/me/ce/").json()["results"]
    assert ce and all(r["course_title"] for r in ce)
    assert len(ce) == mine.provider.ce_records.count()
    assert client.get(f"/api/v1/providers/me/applications/{my_application.pk}/").status_code == 200
    assert (
        client.get(f"/api/v1/providers/me/applications/{their_application.pk}/").status_code == 404
    )


def test_provider_api_needs_authentication(api):
    assert api.get("/api/v1/providers/me/certifications/").status_code in (401, 403)


def test_staff_queue_is_for_reviewers_only(make_user):
    provider_user = make_user(role=roles.PROVIDER)
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    certification = make_certification(user=provider_user)
    application = filled_application(certification, provider_user)
    services.renewal_request_fee(application=application, actor=provider_user)
    application.status = "submitted"  # the queue shape is what is under test here
    application.save()
    assert _token_client(provider_user).get("/api/v1/staff/renewals/").status_code == 403
    response = _token_client(reviewer).get("/api/v1/staff/renewals/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [application.pk]
    assert _token_client(reviewer).get("/api/v1/staff/renewals/?status=bogus").status_code == 400


def test_schema_lists_the_providers_endpoints(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in [
        "/api/v1/verify/{number}/",
        "/api/v1/providers/me/applications/",
        "/api/v1/staff/renewals/",
    ]:
        assert path in schema
