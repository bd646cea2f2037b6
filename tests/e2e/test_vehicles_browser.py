"""In Chromium at phone width: an inspector signs in with the second factor, works through
today's checklist saving each answer as it goes, records one deficiency and completes it; the
vehicle shows as failed and out of service. The organization's pages are checked too."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code
from vehicles import services
from vehicles.models import (
    ChecklistItem,
    ChecklistSection,
    InspectionStatus,
    Vehicle,
    VehicleStatus,
)

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def booked_inspection(make_user):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.vehicles.factories import OrganizationFactory, VehicleFactory

    inspector = make_user("field.inspector@oems.example.gov", role=roles.VEHICLE_INSPECTOR)
    TOTP.activate(inspector, DEMO_TOTP_SECRET)
    supervisor = make_user("field.supervisor@oems.example.gov", role=roles.SUPERVISOR)
    org_admin = make_user("chief@valley.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)
    organization = OrganizationFactory(legal_name="Valley Ambulance", administrators=[org_admin])
    vehicle = VehicleFactory(organization=organization, plate="VAL123")
    ChecklistItem.objects.update(is_active=False)
    for position, (category, description) in enumerate(
        [("Airway", "Bag-valve-mask"), ("Cardiac", "AED"), ("Oxygen", "Portable oxygen")]
    ):
        ChecklistItem.objects.create(
            section=ChecklistSection.EQUIPMENT,
            service_level="bls",
            category=category,
            description=description,
            position=position,
        )
    ChecklistItem.objects.create(
        section=ChecklistSection.MECHANICAL, category="Brakes", description="Service brakes"
    )
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    return inspection, inspector, org_admin


def test_inspector_completes_a_checklist_with_one_deficiency_on_a_phone(
    phone_page, booked_inspection
):
    inspection, inspector, org_admin = booked_inspection
    page = phone_page
    sign_in(page, inspector.email, PASSWORD, totp_code=current_code())
    page.goto("/staff/inspections/")
    expect(page.get_by_role("heading", name="VAL123 · Valley Ambulance")).to_be_visible()
    assert_accessible(page, context="today's inspections")

    page.get_by_role("link", name=re.compile("Open")).click()
    page.get_by_role("button", name="Start inspection").click()
    items = page.locator("fieldset.checklist-item")
    expect(items).to_have_count(4)
    assert_accessible(page, context="checklist")

    # Each answer is saved as it is made (one fetch per answer).
    for index in range(3):
        item = items.nth(index)
        label = "Fail" if index == 1 else "Pass"
        item.locator("label", has_text=re.compile(f"^{label}$")).click()
        expect(item.locator("[data-status]")).to_have_text("Saved")
    deficiency = items.nth(1)
    with page.expect_response(lambda response: "/answers/" in response.url):
        deficiency.get_by_label("Note").fill("Defibrillator pads expired")
        deficiency.get_by_label("Note").press("Tab")
    expect(deficiency.locator("[data-status]")).to_have_text("Saved")

    # A reload (a lost connection, a closed tab) keeps what was saved.
    page.reload()
    expect(items.nth(1).locator("input[value=fail]")).to_be_checked()
    expect(items.nth(1).get_by_label("Note")).to_have_value("Defibrillator pads expired")
    expect(page.locator("[data-answered]")).to_have_text("3")

    # Completing with the last item unanswered: a clear message and the item flagged.
    page.get_by_role("button", name="Complete inspection").click()
    expect(page.get_by_text("1 checklist item is not answered")).to_be_visible()
    expect(items.nth(3).get_by_text("Answer this item.")).to_be_visible()
    assert_accessible(page, context="checklist with an unanswered item")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS

    items.nth(3).locator("label", has_text=re.compile("^Pass$")).click()
    expect(items.nth(3).locator("[data-status]")).to_have_text("Saved")
    page.get_by_role("button", name="Complete inspection").click()
    page.wait_for_url(re.compile(r"/staff/inspections/$"))
    expect(page.get_by_text(re.compile("Inspection recorded: FAILED"))).to_be_visible()
    assert_accessible(page, context="today's inspections after recording")

    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FAILED
    vehicle = Vehicle.objects.get(pk=inspection.vehicle_id)
    assert vehicle.status == VehicleStatus.OUT_OF_SERVICE
    assert inspection.answers.get(result="fail").note == "Defibrillator pads expired"

    # The organization's administrator sees it failed and out of service.
    page.context.clear_cookies()
    sign_in(page, org_admin.email, PASSWORD)
    page.goto("/vehicles/")
    expect(page.get_by_text("Out of service").first).to_be_visible()
    assert_accessible(page, context="fleet list")
    page.get_by_role("link", name="VAL123").click()
    expect(page.get_by_text("Defibrillator pads expired", exact=False)).to_be_visible()
    assert_accessible(page, context="vehicle page")


def test_registration_with_a_bad_vin_at_phone_width(phone_page, booked_inspection):
    _, _, org_admin = booked_inspection
    page = phone_page
    sign_in(page, org_admin.email, PASSWORD)
    page.goto("/vehicles/register/")
    assert_accessible(page, context="registration form")
    page.get_by_label("VIN").fill("1M8GDM9A0KP042788")
    page.get_by_label("Make").fill("Ford")
    page.locator("#id_model").fill("F-450")
    page.get_by_label("Model year").fill("2024")
    page.get_by_label("Registration plate").fill("VAL200")
    page.get_by_role("button", name="Register vehicle").click()
    expect(page.locator("#id_vin-error")).to_contain_text("check digit")
    expect(page.get_by_label("Make")).to_have_value("Ford")
    assert_accessible(page, context="registration form with an error")

    page.get_by_label("VIN").fill("1M8GDM9AXKP042788")
    page.get_by_role("button", name="Register vehicle").click()
    expect(page.get_by_text("waits for OEMS approval").first).to_be_visible()
    assert Vehicle.objects.filter(vin="1M8GDM9AXKP042788", status="pending").count() == 1
