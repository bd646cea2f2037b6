"""Sign-up, confirmation, password reset and change of email, as allauth serves them here."""

import re

import pytest
from allauth.account.models import EmailAddress

pytestmark = pytest.mark.django_db


def test_weak_password_is_refused_beside_the_field(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "password1" in errors
    assert b"usa-error-message" in response.content
    assert b'value="new@example.com"' in response.content


def test_bad_confirmation_link_says_so(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert b"expired or is invalid" in response.content


def test_unverified_account_cannot_sign_in_until_confirmed(client, mailoutbox):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
        },
    )
    response = client.post(
        "/accounts/login/", {"login": "new@example.com", "password": "a-long-new-passphrase"}
    )
    assert "_auth_user_id" not in client.session
    assert response["Location"].startswith("/accounts/confirm-email/")
    assert len(mailoutbox) >= 1


def test_password_reset_sends_a_working_link(client, make_user, mailoutbox):
    make_user("provider@example.com", password="the-old-password")
    client.post("/accounts/password/reset/", {"email": "provider@example.com"})
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        action, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    client.logout()
    client.post(
        "/accounts/login/", {"login": "provider@example.com", "password": "a-brand-new-passphrase"}
    )
    assert "_auth_user_id" in client.session


def test_adding_a_new_email_sends_a_verification(client, make_user, mailoutbox):
    user = make_user("provider@example.com")
    client.force_login(user)
    client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.com"})
    assert EmailAddress.objects.filter(
        user=user, email="new.address@example.com", verified=False
    ).exists()
    assert any("new.address@example.com" in message.to for message in mailoutbox)
