"""NEMSIS in Chromium: an organization administrator reaches the DEM upload from the dashboard,
sends the file, reads the report and confirms it; a staff member generates the State Dataset
from the admin. axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code

# The DEM fixtures the service tests use: an organization, its roster, vehicles, its file.
from tests.nemsis.conftest import dem_world, world_file  # noqa: F401

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_org_admin_sends_a_dem_file_from_the_dashboard_and_reads_the_report(
    page,
    dem_world,  # noqa: F811 - the fixture imported above
    world_file,  # noqa: F811
    tmp_path,
):
    path = tmp_path / "alpha-dem.xml"
    path.write_bytes(world_file.xml())
    sign_in(page, dem_world["admin"].email, PASSWORD)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Send a DEM file for Alpha Ambulance").click()
    expect(page.get_by_role("heading", name="Send a NEMSIS DEM file")).to_be_visible()
    assert_accessible(page, context="DEM upload")
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Send and check").click()
    expect(page.get_by_role("heading", name="DEM file report")).to_be_visible()
    expect(page.locator("#dem-status")).to_contain_text("Checked: waiting for your confirmation")
    expect(page.get_by_role("heading", name="Personnel")).to_be_visible()
    expect(page.get_by_text("No certification E999999 on the state record.")).to_be_visible()
    assert_accessible(page, context="DEM report")
    page.get_by_role("button", name="Confirm and update the roster").click()
    expect(page.locator("#dem-status")).to_contain_text("Confirmed")
    expect(page.get_by_role("heading", name="What confirming changed")).to_be_visible()
    assert_accessible(page, context="DEM report, confirmed")


def test_staff_generate_the_state_dataset_from_the_admin(page, make_user):
    from allauth.mfa.totp.internal.auth import TOTP

    reviewer = make_user("scope.reviewer@oems.example.gov", role=roles.LICENSING_REVIEWER)
    TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    sign_in(page, reviewer.email, PASSWORD, totp_code=current_code())
    page.goto("/admin/nemsis/scopeitem/")
    assert_accessible(page, context="scope of practice admin")
    page.get_by_role("button", name="Generate the NEMSIS State Dataset").click()
    expect(page.get_by_role("heading", name=re.compile("State Dataset"))).to_be_visible()
    download = page.get_by_role("link", name="Download the XML")
    download.wait_for(state="visible", timeout=30_000)
    assert_accessible(page, context="State Dataset job")
    with page.expect_download() as info:
        download.click()
    from nemsis.state_dataset import validation_problems

    assert validation_problems(info.value.path().read_bytes()) == []


def test_public_scope_page_is_accessible_on_a_phone(phone_page, db):
    import io

    from nemsis import demo

    demo.seed(stdout=io.StringIO())
    phone_page.goto("/public/")
    phone_page.get_by_role("link", name="Scope of practice by certification level").click()
    expect(phone_page.get_by_role("heading", name="Paramedic", exact=True)).to_be_visible()
    assert_accessible(phone_page, context="scope of practice")
