"""Staff data needs the second factor on every path: each API endpoint (found by walking the URL
resolver, not listed by hand), the documents app and the pages."""

import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.services import api_token_create
from accounts.staff_access import SET_UP_AUTHENTICATOR, SIGN_IN_WITH_AUTHENTICATOR

pytestmark = pytest.mark.django_db

PLACEHOLDERS = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "str": "x", "path": "x"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _concrete(route: str) -> str:
    """'api/v1/complaints/<int:pk>/' -> '/api/v1/complaints/1/'"""
    out, rest = "", route
    while "<" in rest:
        head, _, tail = rest.partition("<")
        spec, _, rest = tail.partition(">")
        converter = spec.split(":")[0] if ":" in spec else "str"
        out += head + PLACEHOLDERS[converter]
    return "/" + (out + rest).lstrip("^").rstrip("$")


def api_endpoints():
    """Every (path, method) the API serves to a signed-in caller."""
    found = []
    for route, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)
        if not (route.startswith("api/v1/") and view_class and issubclass(view_class, APIView)):
            continue
        if view_class.authentication_classes == []:
            continue  # public look-ups that treat every caller as anonymous (verify, catalogue)
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view_class, method):
                found.append((_concrete(route), method))
    return found


ENDPOINTS = api_endpoints()


def test_the_walk_finds_the_staff_endpoints():
    paths = {path for path, _ in ENDPOINTS}
    for expected in ("/api/v1/complaints/", "/api/v1/staff/payments/", "/api/v1/inspections/"):
        assert expected in paths
    assert len(ENDPOINTS) > 30


@pytest.fixture
def staff_without_second_factor(client, make_user):
    user = make_user(role=roles.SUPERVISOR)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    client.force_login(user)  # password only: the session never used the authenticator
    return client


def test_every_api_endpoint_refuses_a_staff_session_without_the_second_factor(
    staff_without_second_factor,
):
    answers = {
        (path, method): getattr(staff_without_second_factor, method)(path)
        for path, method in ENDPOINTS
    }
    wrong = {
        key: response.status_code
        for key, response in answers.items()
        if response.status_code != 403 or response.json()["detail"] != SIGN_IN_WITH_AUTHENTICATOR
    }
    assert wrong == {}


def test_every_api_endpoint_refuses_a_staff_token_made_without_the_second_factor(client, make_user):
    user = make_user(role=roles.PROVIDER)
    _, token = api_token_create(user=user, name="script", second_factor=False)
    user.is_staff = True  # promoted after the token was made
    user.save()
    wrong = {}
    for path, method in ENDPOINTS:
        response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Token {token}")
        if response.status_code != 401 or "second factor" not in response.json()["detail"]:
            wrong[path, method] = response.status_code
    assert wrong == {}


def test_a_staff_account_without_an_authenticator_is_told_to_set_one_up(client, make_user):
    client.force_login(make_user(role=roles.INVESTIGATOR))
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 403
    assert response.json()["detail"] == SET_UP_AUTHENTICATOR


STAFF_READS = [
    "/api/v1/complaints/",
    "/api/v1/staff/payments/",
    "/api/v1/staff/renewals/",
    "/api/v1/inspections/",
    "/api/v1/me/",
]


def test_with_the_second_factor_the_staff_endpoints_answer(staff_client):
    client = staff_client(roles.SUPERVISOR)
    for path in STAFF_READS:
        assert client.get(path).status_code == 200, path


def test_with_the_second_factor_no_endpoint_gives_the_refusal(staff_client):
    client = staff_client(roles.SUPERVISOR)
    for path, method in ENDPOINTS:
        response = getattr(client, method)(path)
        assert response.status_code < 500, (path, method)
        if response.status_code == 403:
            assert response.json()["detail"] != SIGN_IN_WITH_AUTHENTICATOR, (path, method)


def test_a_staff_token_made_with_the_second_factor_answers(client, staff_client):
    staff = staff_client(roles.SUPERVISOR).user
    client.logout()
    _, token = api_token_create(user=staff, name="script", second_factor=True)
    for path in STAFF_READS:
        assert client.get(path, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200, path


@pytest.mark.parametrize(
    "path",
    ["/documents/", "/staff/dashboard/", "/dashboard/", "/rates/filings/1/", "/api-token-page"],
)
def test_pages_send_a_staff_session_without_the_second_factor_to_sign_in(
    staff_without_second_factor, path
):
    path = "/accounts/api-token/" if path == "/api-token-page" else path
    response = staff_without_second_factor.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in staff_without_second_factor.session


def test_the_sign_in_and_authenticator_pages_stay_open(staff_without_second_factor):
    assert staff_without_second_factor.get("/accounts/2fa/").status_code == 200
    assert staff_without_second_factor.get("/accounts/login/").status_code in (200, 302)
    # but not the rest of the account pages
    response = staff_without_second_factor.get("/accounts/email/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_api_ends_an_idle_staff_session_with_401(staff_client, settings):
    import time

    from accounts.staff_access import SESSION_LAST_SEEN, STAFF_SESSION_ENDED

    client = staff_client(roles.SUPERVISOR)
    assert client.get("/api/v1/me/").status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.STAFF_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == STAFF_SESSION_ENDED
    assert client.get("/api/v1/me/").status_code == 401  # signed out: no credentials
