"""A provider links a certification, records CE, does Step A, fills and signs the renewal,
the fee is settled, submits; a licensing reviewer signs in with TOTP and approves it in the
admin; /verify/ shows the new expiration. Axe on every page visited; one phone-width check."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import roles
from providers import rules
from providers.models import RenewalApplication, RenewalStatus

from .conftest import assert_accessible, sign_in

APPROVE = "4242424242424242"
DECLINE = "4000000000000002"
ROUTING = "011000015"
ACH_SETTLES = "000123456789"  # docs/payments.md, test bank accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
DOB = date(1991, 5, 17)
SSN = "321-54-9876"


def _choose(page, label_text):
    # USWDS hides the native radio/checkbox and draws its own on the label: click the label.
    page.locator("label", has_text=label_text).click()


def _pay_by_card(page, *, card_number):
    """From the renewal page: the pay button, card chosen, the hosted card form."""
    page.get_by_role("link", name="Pay the $125.00 fee").click()
    page.wait_for_url(re.compile(r"/payments/invoices/.+/pay/$"))
    assert page.get_by_text("TEST MODE").first.is_visible()
    _choose(page, "Credit or debit card")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    page.get_by_label("Name on card").fill("Morgan Medic")
    page.get_by_label("Card number").fill(card_number)
    page.get_by_label("Expiration date").fill("12/39")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Billing ZIP code").fill("06106")
    page.get_by_role("button", name="Pay $127.94").click()


def _fee_due_application(make_user, email):
    """A linked provider whose renewal is filled in, signed and at "fee due"."""
    from providers import services
    from tests.providers.factories import filled_application, make_certification

    user = make_user(email, role=roles.PROVIDER, password=PASSWORD)
    certification = make_certification(user=user, first_name="Morgan", last_name="Medic")
    application = filled_application(certification, user)
    services.renewal_request_fee(application=application, actor=user)
    return application


def _emr_with_most_ce_recorded():
    from tests.providers.factories import make_certification, record_ce

    certification = make_certification(
        level=rules.Level.EMR,
        expires_in=40,
        first_name="Morgan",
        last_name="Medic",
        date_of_birth=DOB,
        ssn=SSN,
    )
    # 12 of the 16 hours are on record already; the browser records the last 4.
    record_ce(certification.provider, hours=Decimal(8), component="national")
    record_ce(certification.provider, hours=Decimal(4), component="local")
    return certification


def test_provider_renews_and_reviewer_approves_then_verify_shows_it(page, make_user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.management.commands.demo_totp_code import current_code

    make_user("morgan@example.com", role=roles.PROVIDER, password=PASSWORD)
    reviewer = make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER, password=PASSWORD)
    if not Authenticator.objects.filter(user=reviewer).exists():
        TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    certification = _emr_with_most_ce_recorded()
    old_expiration = certification.expires_on

    # 1. Link the certification.
    sign_in(page, "morgan@example.com", PASSWORD)
    page.goto("/providers/link/")
    assert_accessible(page, context="link form")
    page.fill("input[name=number]", certification.number)
    page.fill("input[name=date_of_birth]", DOB.isoformat())
    page.fill("input[name=ssn]", "000-00-0000")
    page.get_by_role("button", name="Link certification").click()
    assert page.get_by_text("We could not match these").is_visible()
    assert_accessible(page, context="link form with error")
    page.fill("input[name=ssn]", SSN)
    page.get_by_role("button", name="Link certification").click()
    page.wait_for_url(re.compile(r"/providers/$"))
    assert page.get_by_text(f"Certification {certification.number} is linked.").is_visible()
    assert_accessible(page, context="my certifications")

    # 2. Record the missing CE.
    page.get_by_role("link", name="Record continuing education").click()
    assert_accessible(page, context="CE page")
    page.fill("input[name=course_title]", "Pediatric assessment")
    page.fill("input[name=completed_on]", (timezone.localdate() - timedelta(days=3)).isoformat())
    page.fill("input[name=hours]", "4")
    _choose(page, "Individual")
    _choose(page, "Distributive education (self-paced online)")
    page.fill("input[name=approval_number]", "F3-2025")
    page.get_by_role("button", name="Record course").click()
    error = page.locator("#id_approval_number-error")
    assert "not an approval number" in error.inner_text()
    assert page.input_value("input[name=course_title]") == "Pediatric assessment"
    assert_accessible(page, context="CE page with error")
    page.fill("input[name=approval_number]", "F3-2025-12345")
    page.get_by_role("button", name="Record course").click()
    assert page.get_by_text("Course recorded.").is_visible()
    assert page.get_by_text("16 of 16 hours (100%)", exact=False).first.is_visible()

    # 3. Step A, details, CE, attestation.
    page.goto("/providers/")
    page.get_by_role("button", name=f"Renew {certification.number}").click()
    page.wait_for_url(re.compile(r"/step/nremt/$"))
    assert_accessible(page, context="step A")
    page.fill("input[name=nremt_number]", "M0042424")
    _choose(page, "I attest that my national")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/step/details/$"))
    assert_accessible(page, context="details step")
    assert page.input_value("input[name=city]") == "Hartford"
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/step/ce/$"))
    assert_accessible(page, context="CE step")
    _choose(page, "These courses are mine")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/step/attest/$"))
    assert_accessible(page, context="attestation step")
    page.fill("input[name=attestation_name]", "Morgan Medic")
    page.get_by_role("button", name="Sign the application").click()
    page.wait_for_url(re.compile(r"/providers/renewals/\d+/$"))
    assert_accessible(page, context="application overview")

    # 4. Fee due, paid by card on the payments app's pay page, submitted.
    page.get_by_role("button", name="Continue to the fee").click()
    assert page.get_by_test_id("fee-due").is_visible()
    assert_accessible(page, context="fee due")
    application = RenewalApplication.objects.get(certification=certification)
    _pay_by_card(page, card_number=APPROVE)
    page.wait_for_url(re.compile(rf"/providers/renewals/{application.pk}/$"))
    assert page.get_by_text("Payment of $127.94 received (Visa ending 4242)").is_visible()
    assert page.get_by_test_id("application-status").inner_text() == "Paid — ready to submit"
    assert page.get_by_test_id("paid-ready").is_visible()
    assert_accessible(page, context="paid, ready to submit")
    page.get_by_role("button", name="Submit the application").click()
    assert page.get_by_test_id("application-status").inner_text() == "Submitted"
    assert page.get_by_text("Processing takes 4–6 weeks", exact=False).is_visible()
    assert_accessible(page, context="submitted application")
    page.get_by_role("button", name="Sign out").click()

    # 5. The reviewer approves it in the admin.
    sign_in(page, "reviewer@example.com", PASSWORD, totp_code=current_code())
    page.goto("/admin/providers/renewalapplication/")
    assert_accessible(page, context="admin review queue")
    for action in ["Start review", "Approve (sets the new expiration date)"]:
        page.locator(f"input[name=_selected_action][value='{application.pk}']").check()
        page.select_option("select[name=action]", label=action)
        page.locator("button[name=index]").first.click()
        page.wait_for_load_state()
    assert page.get_by_text("Approved: 1.").is_visible()
    application.refresh_from_db()
    assert application.status == RenewalStatus.APPROVED
    new_expiration = rules.next_expiration(level="emr", current_expiration=old_expiration)

    # 6. The public sees the new expiration.
    page.goto("/verify/")
    assert_accessible(page, context="verify form")
    page.fill("input[name=number]", certification.number)
    page.get_by_role("button", name="Look up").click()
    row = page.get_by_role("row", name=re.compile("Morgan Medic"))
    assert new_expiration.strftime("%B %-d, %Y").replace(" 0", " ") in row.inner_text()
    assert "Active" in row.inner_text()
    assert_accessible(page, context="verify results")


def test_verify_and_my_certifications_read_well_at_phone_width(phone_page, make_user):
    from tests.providers.factories import make_certification

    user = make_user("phone@example.com", role=roles.PROVIDER, password=PASSWORD)
    certification = make_certification(user=user, first_name="Phoebe", last_name="Phone")
    phone_page.goto(f"/verify/?number={certification.number}")
    assert phone_page.get_by_text("Phoebe Phone").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    assert_accessible(phone_page, context="verify at phone width")
    sign_in(phone_page, "phone@example.com", PASSWORD)
    phone_page.goto("/providers/")
    assert phone_page.get_by_role("button", name=f"Renew {certification.number}").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page, context="my certifications at phone width")


def test_a_renewal_paid_by_ach_lands_back_ready_to_submit(page, make_user):
    application = _fee_due_application(make_user, "ach@example.com")
    sign_in(page, "ach@example.com", PASSWORD)
    page.goto(application.get_absolute_url())
    page.get_by_role("link", name="Pay the $125.00 fee").click()
    _choose(page, "Bank account")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    assert page.get_by_text("Total: $125.00").is_visible()  # no fee on ACH
    page.get_by_label("Name on the account").fill("Morgan Medic")
    _choose(page, "Checking")
    page.get_by_label("Routing number").fill(ROUTING)
    page.locator("#id_account_number").fill(ACH_SETTLES)
    page.locator("#id_account_number_again").fill(ACH_SETTLES)
    _choose(page, "I authorize")
    page.get_by_role("button", name="Pay $125.00").click()
    page.wait_for_url(re.compile(rf"/providers/renewals/{application.pk}/$"))
    assert page.get_by_text("Your bank payment of $125.00 was submitted").is_visible()
    assert page.get_by_test_id("application-status").inner_text() == "Paid — ready to submit"
    assert_accessible(page, context="paid by ACH")
    page.get_by_role("button", name="Submit the application").click()
    assert page.get_by_test_id("application-status").inner_text() == "Submitted"
    application.refresh_from_db()
    assert application.status == RenewalStatus.SUBMITTED


def test_a_declined_card_leaves_the_renewal_fee_due_with_everything_kept(page, make_user):
    from payments.models import InvoiceStatus
    from payments.selectors import invoice_for

    application = _fee_due_application(make_user, "declined@example.com")
    sign_in(page, "declined@example.com", PASSWORD)
    page.goto(application.get_absolute_url())
    _pay_by_card(page, card_number=DECLINE)
    assert "declined" in page.locator("#id_number-error").inner_text()
    assert page.get_by_label("Name on card").input_value() == "Morgan Medic"
    assert_accessible(page, context="declined card on a renewal")
    application.refresh_from_db()
    assert application.status == RenewalStatus.FEE_DUE
    assert invoice_for(subject=application).status == InvoiceStatus.OPEN

    page.goto(application.get_absolute_url())
    assert page.get_by_test_id("application-status").inner_text() == "Fee due"
    assert page.get_by_role("link", name="Pay the $125.00 fee").is_visible()
    assert not page.get_by_role("button", name="Submit the application").count()
    # What the applicant entered is all still there.
    assert page.get_by_text("M1234567").is_visible()
    assert page.get_by_text("Signed “Morgan Medic”").is_visible()
    assert application.nremt_number == "M1234567" and application.attestation_name
