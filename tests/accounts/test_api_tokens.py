"""API tokens behave like credentials: stored as digests, expire, end with a password change or
deactivation, are listed and revoked by their owner, and staff make them only with the second
factor."""

from datetime import timedelta

import pytest
from allauth.account.signals import password_changed
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.authentication import TOKEN_NOT_VALID, TOKEN_PASSWORD_CHANGED
from accounts.models import ApiToken
from accounts.services import api_token_create
from accounts.staff_access import (
    SIGN_IN_WITH_AUTHENTICATOR,
    STAFF_TOKEN_ENDED,
    TOKEN_WITHOUT_SECOND_FACTOR,
)
from core.errors import DomainError

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def call_me(client, token):
    return client.get(ME, HTTP_AUTHORIZATION=f"Token {token}")


def test_the_token_itself_is_never_stored(client, make_user):
    user = make_user(role=roles.PROVIDER)
    row, token = api_token_create(user=user, name="script", second_factor=False)
    assert call_me(client, token).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = " ".join(str(value) for row_values in cursor.fetchall() for value in row_values)
    assert token not in stored
    assert token[:15] == row.token_key  # only the prefix, to find the digest to compare
    assert row.digest != token and len(row.digest) == 128


def test_a_provider_token_lasts_the_documented_days(make_user, settings):
    user = make_user(role=roles.PROVIDER)
    row, _ = api_token_create(user=user, name="script", second_factor=False)
    lifetime = row.expiry - row.created
    assert abs(lifetime - timedelta(days=settings.API_TOKEN_DAYS)) < timedelta(seconds=5)


def test_an_expired_token_gets_401_with_a_clear_message(client, make_user):
    user = make_user(role=roles.PROVIDER)
    row, token = api_token_create(user=user, name="script", second_factor=False)
    ApiToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    response = call_me(client, token)
    assert response.status_code == 401
    assert response.json()["detail"] == TOKEN_NOT_VALID
    assert not ApiToken.objects.filter(pk=row.pk).exists()


def test_a_made_up_token_gets_the_same_401(client, db):
    response = call_me(client, "0" * 64)
    assert response.status_code == 401
    assert response.json()["detail"] == TOKEN_NOT_VALID


def test_a_password_change_through_allauth_revokes_every_token(client, make_user):
    user = make_user(role=roles.PROVIDER, password="old-password-123")
    _, first = api_token_create(user=user, name="one", second_factor=False)
    api_token_create(user=user, name="two", second_factor=False)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "old-password-123",
            "password1": "new-password-456!",
            "password2": "new-password-456!",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    client.logout()
    response = call_me(client, first)
    assert response.status_code == 401
    assert response.json()["detail"] == TOKEN_NOT_VALID


def test_a_token_made_before_a_password_change_elsewhere_is_refused(client, staff_client):
    """The admin or manage.py changepassword send no allauth signal; the token's password stamp
    refuses it all the same."""
    staff = staff_client(roles.SUPERVISOR).user
    _, token = api_token_create(user=staff, name="script", second_factor=True)
    client.logout()
    assert call_me(client, token).status_code == 200
    staff.set_password("a-brand-new-password")
    staff.save()
    response = call_me(client, token)
    assert response.status_code == 401
    assert response.json()["detail"] == TOKEN_PASSWORD_CHANGED


def test_the_signals_revoke_on_password_reset_too(make_user):
    user = make_user(role=roles.PROVIDER)
    api_token_create(user=user, name="script", second_factor=False)
    password_changed.send(sender=user.__class__, request=RequestFactory().get("/"), user=user)
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivation_revokes_every_token(client, make_user):
    user = make_user(role=roles.PROVIDER)
    _, token = api_token_create(user=user, name="script", second_factor=False)
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()
    assert call_me(client, token).status_code == 401


def test_the_owner_lists_creates_and_revokes_tokens_on_the_account_page(client, make_user):
    user = make_user(role=roles.PROVIDER)
    client.force_login(user)
    page = client.get(reverse("accounts:api-token"))
    assert "You have no API tokens." in page.content.decode()
    response = client.post(reverse("accounts:api-token"), {"name": "nightly roster"})
    assert response.status_code == 302
    row = ApiToken.objects.get(user=user)
    page = client.get(reverse("accounts:api-token")).content.decode()
    shown = page.split('data-testid="api-token">')[1].split("<")[0]
    assert shown.startswith(row.token_key) and len(shown) == 64
    assert "nightly roster" in page
    assert shown not in client.get(reverse("accounts:api-token")).content.decode()  # shown once
    assert call_me(client.__class__(), shown).status_code == 200
    response = client.post(reverse("accounts:api-token-revoke", args=[row.token_key]))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert call_me(client.__class__(), shown).status_code == 401


def test_an_empty_name_is_refused_beside_the_field(client, make_user):
    client.force_login(make_user(role=roles.PROVIDER))
    response = client.post(reverse("accounts:api-token"), {"name": ""})
    assert response.status_code == 200
    assert "usa-form-group--error" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_persons_token(client, make_user):
    owner, other = make_user(role=roles.PROVIDER), make_user(role=roles.PROVIDER)
    row, _ = api_token_create(user=owner, name="script", second_factor=False)
    client.force_login(other)
    response = client.post(reverse("accounts:api-token-revoke", args=[row.token_key]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_staff_make_tokens_only_from_a_session_that_used_the_second_factor(
    client, make_user, staff_client
):
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.demo import DEMO_TOTP_SECRET

    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    with pytest.raises(DomainError, match="authenticator"):
        api_token_create(user=reviewer, name="script", second_factor=False)
    TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    client.force_login(reviewer)  # password only
    response = client.post(reverse("accounts:api-token"), {"name": "script"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not ApiToken.objects.exists()
    client = staff_client(user=reviewer)
    assert client.post(reverse("accounts:api-token"), {"name": "script"}).status_code == 302
    row = ApiToken.objects.get(user=reviewer)
    assert row.second_factor
    assert row.expiry - row.created <= timedelta(hours=10)


def test_a_staff_token_ends_with_the_staff_session_limits(client, staff_client, settings):
    staff = staff_client(roles.SUPERVISOR).user
    client.logout()
    row, token = api_token_create(user=staff, name="script", second_factor=True)
    assert call_me(client, token).status_code == 200
    # unused for longer than the idle limit
    ApiToken.objects.filter(pk=row.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=settings.STAFF_IDLE_MINUTES + 1)
    )
    response = call_me(client, token)
    assert response.status_code == 401
    assert response.json()["detail"] == STAFF_TOKEN_ENDED


def test_a_token_made_before_promotion_to_staff_does_not_reach_staff_data(client, make_user):
    user = make_user(role=roles.PROVIDER)
    _, token = api_token_create(user=user, name="script", second_factor=False)
    user.is_staff = True
    user.save()
    response = client.get("/api/v1/complaints/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401
    assert response.json()["detail"] == TOKEN_WITHOUT_SECOND_FACTOR
    assert "authenticator" in SIGN_IN_WITH_AUTHENTICATOR
