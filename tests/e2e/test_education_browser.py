"""A person who passed the national exam applies for initial EMT certification in Chromium:
an expired CPR card is refused beside its field and the draft keeps what was typed; the fee is
paid by card on the test processor's hosted page (test card 4242 4242 4242 4242, docs/payments.md);
the application is submitted; a licensing reviewer signs in with TOTP and approves it in the
admin; the new number verifies publicly. The catalogue is checked too. Axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from providers.models import ApplicationStatus, InitialApplication
from tests.uploads import PDF

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
APPROVE = "4242 4242 4242 4242"


def _choose(page, label_text):
    page.locator("label", has_text=label_text).first.click()


def test_initial_application_from_start_to_approval(
    page, phone_page, make_user, tmp_path, settings
):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.management.commands.demo_totp_code import current_code
    from tests.education.factories import approved_course, make_institution

    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    reviewer = make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER, password=PASSWORD)
    if not Authenticator.objects.filter(user=reviewer).exists():
        TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    course = approved_course(make_institution(make_user), reviewer, topic="EMT initial")
    make_user("nina@example.com", role=roles.PROVIDER, password=PASSWORD)
    card = tmp_path / "cpr.pdf"
    card.write_bytes(PDF)

    # The public catalogue, on a phone too.
    phone_page.goto("/courses/?q=EMT+initial")
    assert phone_page.get_by_text(course.approval_number).first.is_visible()
    assert_accessible(phone_page, context="catalogue (phone)")

    # 1. Start.
    # From the home page, by links only: sign in, then the dashboard's next step.
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.fill("input[name=login]", "nina@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.get_by_role("link", name="Apply for your first state certification").click()
    page.wait_for_url(re.compile(r"/providers/initial/$"))
    assert_accessible(page, context="initial start")
    _choose(page, "Emergency Medical Technician (EMT)")
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_url(re.compile(r"/providers/initial/\d+/edit/$"))
    assert_accessible(page, context="initial form")

    # 2. Fill it; an expired CPR card is refused beside its field, the rest is kept.
    fields = {
        "first_name": "Nina",
        "last_name": "Newcomer",
        "date_of_birth": "1999-04-05",
        "ssn": "123-45-6789",
        "email": "nina@example.com",
        "address_line1": "1 Main St",
        "city": "Hartford",
        "state": "CT",
        "postal_code": "06106",
        "course_title": course.title,
        "course_approval_number": course.approval_number,
        "course_completed_on": (today - timedelta(days=10)).isoformat(),
        "nremt_number": "E7654321",
        "exam_passed_on": (today - timedelta(days=3)).isoformat(),
        "cpr_expires_on": (today - timedelta(days=1)).isoformat(),
        "attestation_name": "Nina Newcomer",
    }
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value)
    page.set_input_files("input[name=cpr_card]", str(card))
    _choose(page, "I attest that I have disclosed")
    page.get_by_role("button", name="Save").click()
    assert "expired" in page.locator("#id_cpr_expires_on-error").inner_text()
    assert page.input_value("input[name=last_name]") == "Newcomer"
    assert_accessible(page, context="initial form with error")
    page.fill("input[name=cpr_expires_on]", (today + timedelta(days=400)).isoformat())
    page.fill("input[name=ssn]", "123-45-6789")
    page.set_input_files("input[name=cpr_card]", str(card))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/providers/initial/\d+/$"))
    assert_accessible(page, context="initial overview")
    assert page.get_by_text("ending in 6789").is_visible()

    # 3. Fee, paid by card on the payments pay page.
    page.get_by_role("button", name="Continue to the fee").click()
    assert page.get_by_test_id("fee-due").is_visible()
    assert_accessible(page, context="fee due")
    page.get_by_role("link", name=re.compile(r"^Pay \$")).click()
    page.wait_for_url(re.compile(r"/pay/$"))
    assert_accessible(page, context="pay page")
    page.locator("label.usa-radio__label", has_text="Credit or debit card").click()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    page.get_by_label("Name on card").fill("Nina Newcomer")
    page.get_by_label("Card number").fill(APPROVE)
    page.get_by_label("Expiration date").fill("12/39")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Billing ZIP code").fill("06106")
    page.get_by_role("button", name=re.compile(r"^Pay \$")).click()
    page.wait_for_url(re.compile(r"/(providers/initial/\d+|payments/receipts/[^/]+)/$"))
    application = InitialApplication.objects.get(applicant__email="nina@example.com")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAID

    # 4. Submit: back through the dashboard's "Applications in progress".
    page.get_by_role("link", name="My dashboard").first.click()
    page.get_by_test_id("in-progress").get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/providers/initial/{application.pk}/$"))
    page.get_by_role("button", name="Submit the application").click()
    assert page.get_by_test_id("application-status").inner_text() == "Submitted"
    assert_accessible(page, context="submitted")
    page.get_by_role("button", name="Sign out").click()

    # 5. The reviewer approves it in the admin.
    sign_in(page, "reviewer@example.com", PASSWORD, totp_code=current_code())
    page.goto("/admin/providers/initialapplication/")
    assert_accessible(page, context="admin initial queue")
    for action in ["Start review", "Approve"]:
        page.locator(f"input[name=_selected_action][value='{application.pk}']").check()
        page.select_option("select[name=action]", label=action)
        page.locator("button[name=index]").first.click()
        page.wait_for_load_state()
    assert page.get_by_text("Approved: 1.").is_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    number = application.certification.number
    assert number.startswith("E")

    # 6. The public verifies the new certification.
    page.goto(f"/verify/?number={number}")
    assert page.get_by_text("Nina Newcomer").is_visible()
    assert page.get_by_text("Active").first.is_visible()
    assert_accessible(page, context="verify")
