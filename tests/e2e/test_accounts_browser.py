"""A newcomer signs up, confirms the email, signs in and sees the home page — in Chromium."""

import re

import pytest

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_email_sign_in_and_see_home(page, mailoutbox):
    page.goto("/")
    assert_accessible(page, context="home")
    page.get_by_role("link", name="Create account").first.click()
    assert_accessible(page, context="sign-up form")

    page.fill("input[name=email]", "new.emt@example.com")
    page.fill("input[name=password1]", "a-long-new-passphrase")
    page.fill("input[name=password2]", "a-long-new-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "new.emt@example.com")
    page.fill("input[name=password]", "a-long-new-passphrase")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert page.get_by_text("Signed in as new.emt@example.com.", exact=True).is_visible()

    page.goto("/")
    assert page.get_by_role("heading", name="Recent news").is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 1


def test_sign_up_with_a_taken_email_says_so_beside_the_field(page, make_user):
    make_user("taken@example.com")
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "taken@example.com")
    page.fill("input[name=password1]", "a-long-new-passphrase")
    page.fill("input[name=password2]", "a-long-new-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    error = page.locator(".usa-error-message")
    assert "already registered" in error.first.inner_text()
    assert page.input_value("input[name=email]") == "taken@example.com"
    assert_accessible(page, context="sign-up with error")


def test_home_page_works_at_phone_width(phone_page):
    phone_page.goto("/")
    menu = phone_page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    menu.click()
    assert phone_page.get_by_role("link", name="News").first.is_visible()
    assert_accessible(phone_page, context="home at phone width")
