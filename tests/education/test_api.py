"""API: the public catalogue and a person's own initial/reinstatement applications."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import roles
from providers import rules
from providers.applications import reinstatement
from tests.providers.factories import make_certification

from .factories import approved_course, filled_initial, make_institution, submit_course

pytestmark = pytest.mark.django_db


def _token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_catalogue_api_is_public_and_filters(make_user):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    institution = make_institution(make_user)
    course = approved_course(institution, reviewer, topic="Airway", delivery="distributive")
    submit_course(institution, topic="Airway")  # pending: not listed
    data = APIClient().get("/api/v1/courses/", {"q": "airway", "delivery": "distributive"}).json()
    assert [c["approval_number"] for c in data["results"]] == [course.approval_number]
    assert APIClient().get("/api/v1/courses/", {"delivery": "nope"}).status_code == 400


def test_own_initial_applications_only(make_user):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    course = approved_course(make_institution(make_user), reviewer)
    mine, theirs = make_user(), make_user()
    my_application = filled_initial(mine, course=course)
    their_application = filled_initial(theirs, course=course, ssn="987-65-4321")
    client = _token(mine)
    data = client.get("/api/v1/providers/me/initial-applications/").json()
    assert [a["id"] for a in data["results"]] == [my_application.pk]
    assert "ssn" not in str(data).lower()
    url = f"/api/v1/providers/me/initial-applications/{their_application.pk}/"
    assert client.get(url).status_code == 404
    assert APIClient().get("/api/v1/providers/me/initial-applications/").status_code in (401, 403)


def test_own_reinstatements_only(make_user):
    mine, theirs = make_user(), make_user()
    certification = make_certification(expires_in=-(rules.GRACE_DAYS + 5), user=mine)
    other = make_certification(expires_in=-(rules.GRACE_DAYS + 5), user=theirs, ssn="987-65-4321")
    application = reinstatement.reinstatement_start(certification=certification, user=mine)
    other_application = reinstatement.reinstatement_start(certification=other, user=theirs)
    client = _token(mine)
    data = client.get("/api/v1/providers/me/reinstatements/").json()
    assert [a["id"] for a in data["results"]] == [application.pk]
    assert (
        client.get(f"/api/v1/providers/me/reinstatements/{other_application.pk}/").status_code
        == 404
    )


def test_the_schema_lists_the_new_endpoints(client):
    body = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/courses/",
        "/api/v1/providers/me/initial-applications/",
        "/api/v1/providers/me/reinstatements/",
    ):
        assert path in body
