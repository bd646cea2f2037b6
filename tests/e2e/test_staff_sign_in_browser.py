"""A staff member signs in with password and authenticator code and reaches the admin."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reach_the_admin_only_with_the_second_factor(page, make_user):
    reviewer = make_user(
        "reviewer@example.com", role=roles.LICENSING_REVIEWER, password="pw-reviewer-123"
    )
    TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    sign_in(page, "reviewer@example.com", "pw-reviewer-123")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page, context="authenticator code page")
    page.fill("input[name=code]", current_code())
    page.click("button[type=submit]")
    page.goto("/admin/")
    assert page.get_by_text("OEMS Portal — staff administration").is_visible()
