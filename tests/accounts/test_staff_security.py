"""Staff must use a second factor to reach the admin, failed sign-ins are throttled on every
login form, and staff sessions end after the idle time and the absolute lifetime."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code
from accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED

pytestmark = pytest.mark.django_db


def test_staff_without_an_authenticator_is_sent_to_set_one_up(client, make_user):
    reviewer = make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER)
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_signed_in_without_the_code_is_signed_out_at_the_admin(client, make_user):
    reviewer = make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER)
    TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    client.force_login(reviewer)  # a session that never answered the second factor
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_staff_sign_in_asks_for_the_code_and_then_reaches_the_admin(client, make_user):
    user = make_user(
        "reviewer@example.com", role=roles.LICENSING_REVIEWER, password="pw-reviewer-123"
    )
    TOTP.activate(user, DEMO_TOTP_SECRET)
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": "reviewer@example.com", "password": "pw-reviewer-123"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # not signed in until the code is given
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth runs the hook on commit, as in production
def test_activating_totp_counts_as_the_second_factor_for_the_session(client, make_user):
    reviewer = make_user(
        "reviewer@example.com", role=roles.LICENSING_REVIEWER, password="pw-reviewer-123"
    )
    client.post(
        "/accounts/login/", {"login": "reviewer@example.com", "password": "pw-reviewer-123"}
    )
    # allauth asks for the password again before an authenticator is added
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": "pw-reviewer-123"})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    code = current_code(secret)
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_goes_through_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_repeated_failed_sign_ins_are_locked_out(client, make_user, settings):
    make_user("provider@example.com", password="the-right-password")
    responses = [
        client.post("/accounts/login/", {"login": "provider@example.com", "password": "wrong"})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # the failure that reaches the limit gets axes' lock-out page
    assert responses[-1].status_code == 429
    assert b"Too many failed sign-ins" in responses[-1].content
    # and even the right password is refused while the lock holds
    response = client.post(
        "/accounts/login/", {"login": "provider@example.com", "password": "the-right-password"}
    )
    assert b"Too many failed" in response.content
    assert "_auth_user_id" not in client.session


def test_a_few_failures_do_not_lock_the_account(client, make_user, settings):
    make_user("provider@example.com", password="the-right-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"login": "provider@example.com", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": "provider@example.com", "password": "the-right-password"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_staff_session_ends_after_idle_time(staff_client, settings):
    client = staff_client(roles.SUPERVISOR)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.STAFF_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_session_ends_after_absolute_lifetime_even_when_active(staff_client, settings):
    client = staff_client(roles.SUPERVISOR)
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.STAFF_SESSION_HOURS * 3600 - 5
    session[SESSION_LAST_SEEN] = time.time()
    session.save()
    assert client.get("/admin/").status_code == 302


def test_public_users_cannot_reach_the_admin(client, make_user):
    client.force_login(make_user("provider@example.com", role=roles.PROVIDER))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
