"""A supervisor signs in with TOTP, reaches the oversight dashboard from the admin, sees its
charts (SVG with titles) and tables, follows a figure to the admin list behind it — in
Chromium, with axe on the dashboard at desktop and phone width."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code
from tests.oversight import factories

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
EMAIL = "supervisor@oems.example.gov"


def sign_in_with_fresh_code(page, email):
    """Sign in, typing the authenticator code with a few seconds left in its window."""
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
def supervisor(make_user):
    user = make_user(EMAIL, role=roles.SUPERVISOR)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    factories.seed(supervisor=user, org_admin=make_user(role=roles.ORGANIZATION_ADMINISTRATOR))
    return user


CHARTS = {
    "chart-certifications": "Certifications by level and status",
    "chart-renewals-status": "Renewal applications by status",
    "chart-renewals-processing": "Processing time against the target",
}


def test_supervisor_sees_the_charts_and_follows_a_figure(page, supervisor):
    sign_in_with_fresh_code(page, EMAIL)
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.goto("/admin/")
    page.get_by_role("link", name="Oversight dashboard").click()
    page.wait_for_url(re.compile(r"/staff/dashboard/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Oversight dashboard"

    for key, title in CHARTS.items():
        chart = page.locator(f'svg[data-chart="{key}"]')
        assert chart.count() == 1
        assert chart.get_attribute("role") == "img"
        assert chart.locator(f"#{key}-title").text_content() == title
        assert chart.locator("rect").count() > 1  # something is drawn
        assert chart.bounding_box()["width"] > 300
        # the chart's accessible name is its title
        assert page.get_by_role("img", name=title).count() == 1
    median = page.locator('table[data-table="renewals-processing"] tr', has_text="Median")
    assert "30 days" in median.inner_text()
    assert_accessible(page, context="oversight dashboard")

    # a figure opens the admin list behind it: the two overdue vehicles
    row = page.locator('table[data-table="inspections-due"] tr', has_text="Overdue")
    row.get_by_role("link", name="2").click()
    page.wait_for_url(re.compile(r"/admin/vehicles/vehicle/\?due=overdue"))
    assert "2 vehicles" in page.locator("#changelist").inner_text()


def test_the_dashboard_reads_on_a_phone(phone_page, supervisor):
    sign_in_with_fresh_code(phone_page, EMAIL)
    phone_page.wait_for_url(re.compile(r"/dashboard/"))
    phone_page.goto("/staff/dashboard/")
    chart = phone_page.locator('svg[data-chart="chart-renewals-processing"]')
    assert chart.bounding_box()["width"] >= 500  # stays readable: its frame scrolls instead
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # nothing pushes the page sideways; charts and tables scroll inside
    assert_accessible(phone_page, context="oversight dashboard on a phone")
