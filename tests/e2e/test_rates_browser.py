"""An organization administrator files a Short Form within the cap, a rates analyst (TOTP
sign-in) approves it, and the public allowable-rates page shows the new rates — in Chromium,
with axe on each page."""

import re
import time
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code
from rates.models import FilingStatus, RateFiling, RateSchedule
from tests.rates.factories import (
    PRIOR_2023,
    OrganizationFactory,
    RateYearFactory,
    approved_schedule,
)

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def sign_in_with_fresh_code(page, email):
    """Sign in, asking for the authenticator code only when the page wants it and with a few
    seconds left in its 30-second window, so the code cannot expire on its way."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("input[name=code]")
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    page.fill("input[name=code]", current_code())
    page.click("button[type=submit]")


@pytest.fixture
def scene(make_user):
    chief = make_user("chief@ambulance.example.com", role=roles.ORGANIZATION_ADMINISTRATOR)
    organization = OrganizationFactory(legal_name="Valley Ambulance", administrators=[chief])
    approved_schedule(organization, 2023, PRIOR_2023)
    RateYearFactory(year=2024)
    analyst = make_user("analyst@oems.example.gov", role=roles.RATES_ANALYST)
    TOTP.activate(analyst, DEMO_TOTP_SECRET)
    return organization


def test_short_form_within_cap_is_approved_and_published(page, browser, live_server, scene):
    # The organization administrator files from the dashboard.
    sign_in(page, "chief@ambulance.example.com", PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.get_by_role("link", name="Rate applications").first.click()
    assert_accessible(page, context="rate applications")
    page.get_by_role("link", name="Short Form").click()
    assert page.get_by_text("2023 approved: $15.00 · 2024 cap: $15.65").is_visible()
    assert_accessible(page, context="short form")

    # Above the cap first: refused beside the field, what was typed stays.
    page.get_by_label("BLS emergency (per transport)").fill("834.40")
    page.get_by_label("ALS1 emergency (per transport)").fill("1043.00")
    page.get_by_label("Mileage (per loaded mile)").fill("15.70")
    page.get_by_role("button", name="Submit for approval").click()
    error = page.locator("#id_rate_mileage-error")
    assert "above the cap of $15.65" in error.inner_text()
    assert page.get_by_label("BLS emergency (per transport)").input_value() == "834.40"
    assert_accessible(page, context="short form with an error")

    page.get_by_label("Mileage (per loaded mile)").fill("15.65")
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url(re.compile(r"/rates/filings/\d+/"))
    assert page.get_by_role("heading", name="Status: Submitted, awaiting review").is_visible()
    assert_accessible(page, context="filing detail")
    filing = RateFiling.objects.get()
    assert filing.status == FilingStatus.SUBMITTED

    # The rates analyst signs in with the authenticator code and approves it in the admin.
    staff = browser.new_context(base_url=live_server.url)
    staff_page = staff.new_page()
    sign_in_with_fresh_code(staff_page, "analyst@oems.example.gov")
    staff_page.wait_for_url(re.compile(r"/dashboard/"))
    staff_page.goto("/staff/rates/2024/")
    assert staff_page.get_by_test_id("count-within-cap").inner_text() == "1"
    assert_accessible(staff_page, context="staff season dashboard")
    staff_page.goto("/admin/rates/ratefiling/")
    staff_page.locator(f"input[name=_selected_action][value='{filing.pk}']").check()
    staff_page.select_option("select[name=action]", "approve")
    staff_page.locator("button[name=index]").click()
    staff_page.get_by_text("Filings approved: 1.").wait_for()
    staff.close()
    schedule = RateSchedule.objects.get(year__year=2024)
    assert schedule.lines.get(category__code="mileage").amount == Decimal("15.65")

    # The public page shows the new rates.
    page.goto("/public/")
    page.get_by_role("link", name="Allowable rates by EMS organization, by year").click()
    assert_accessible(page, context="allowable rates index")
    page.get_by_role("link", name="2024 allowable rates").click()
    table = page.get_by_role("table")
    assert "Valley Ambulance" in table.inner_text()
    for amount in ["$834.40", "$1,043.00", "$15.65"]:
        assert amount in table.inner_text()
    assert_accessible(page, context="2024 allowable rates")


def test_allowable_rates_read_well_at_phone_width(phone_page, scene):
    phone_page.goto("/public/allowable-rates/2023/")
    assert phone_page.get_by_text("Valley Ambulance").first.is_visible()
    assert_accessible(phone_page, context="allowable rates at phone width")
