"""A payer pays one organization license fee by card and one by ACH in Chromium; a declined
card says so beside the number and nothing is paid. Test mode shows on every step."""

import re

import pytest
from django.urls import reverse

from payments.models import InvoiceStatus, Payment, PaymentStatus
from tests.payments.factories import (  # noqa: F401 (opening_fees is a fixture)
    ACH_SETTLES,
    APPROVE,
    DECLINE,
    ROUTING,
    open_invoice,
    open_invoice_without_page,
    opening_fees,
)

from .conftest import assert_accessible, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # A transactional test starts from a flushed database: put the opening fees back.
    pytest.mark.usefixtures("opening_fees"),
]
PASSWORD = "correct-horse-battery"


def _choose(page, invoice, method_label):
    page.goto(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    assert page.get_by_text("TEST MODE").first.is_visible()
    assert_accessible(page, context="pay page")
    # USWDS draws its own radio; the person clicks the label.
    page.locator("label.usa-radio__label", has_text=method_label).click()
    page.get_by_role("button", name="Continue to payment").click()


def test_pay_by_card_after_a_decline_and_by_ach(page, make_user):
    payer = make_user("payer@example.com")
    # Subjects without a page of their own: paying ends on the receipt.
    by_card, by_ach = open_invoice_without_page(payer), open_invoice_without_page(payer)
    sign_in(page, "payer@example.com", PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))

    _choose(page, by_card, "Credit or debit card")
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    assert page.get_by_text("Total: $307.05").is_visible()
    assert page.locator("[data-test-processor]").is_visible()
    assert_accessible(page, context="test processor's hosted page")
    page.get_by_label("Name on card").fill("Pat Payer")
    page.get_by_label("Card number").fill(DECLINE)
    page.get_by_label("Expiration date").fill("12/39")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Billing ZIP code").fill("06106")
    page.get_by_role("button", name="Pay $307.05").click()
    error = page.locator("#id_number-error")
    assert "declined" in error.inner_text()
    assert page.get_by_label("Name on card").input_value() == "Pat Payer"
    assert page.get_by_label("Card number").input_value() == ""
    assert_accessible(page, context="declined card")
    by_card.refresh_from_db()
    assert by_card.status == InvoiceStatus.OPEN
    assert not Payment.objects.filter(status=PaymentStatus.SETTLED).exists()

    page.get_by_label("Card number").fill(APPROVE)
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name="Pay $307.05").click()
    page.wait_for_url(re.compile(r"/payments/receipts/"))
    assert page.get_by_role("heading", name="Receipt").is_visible()
    assert page.get_by_text("Visa").first.is_visible()
    assert page.locator("[data-test-mode]").is_visible()
    assert_accessible(page, context="receipt")
    by_card.refresh_from_db()
    assert by_card.status == InvoiceStatus.PAID

    _choose(page, by_ach, "Bank account")
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    assert page.get_by_text("Total: $300.00").is_visible()
    page.get_by_label("Name on the account").fill("Pat Payer")
    page.locator("label.usa-radio__label", has_text="Checking").click()
    page.get_by_label("Routing number").fill("011000016")  # fails the ABA checksum
    page.locator("#id_account_number").fill(ACH_SETTLES)
    page.locator("#id_account_number_again").fill(ACH_SETTLES)
    page.locator("label.usa-checkbox__label", has_text="I authorize").click()
    page.get_by_role("button", name="Pay $300.00").click()
    assert "routing number is not valid" in page.locator("#id_routing_number-error").inner_text()
    assert_accessible(page, context="ACH form with error")
    page.get_by_label("Routing number").fill(ROUTING)
    page.locator("#id_account_number").fill(ACH_SETTLES)
    page.locator("#id_account_number_again").fill(ACH_SETTLES)
    page.get_by_role("button", name="Pay $300.00").click()
    page.wait_for_url(re.compile(r"/payments/receipts/"))
    by_ach.refresh_from_db()
    assert by_ach.status == InvoiceStatus.PAID
    assert Payment.objects.get(invoice=by_ach, status=PaymentStatus.AUTHORIZED).ach_last4 == "6789"

    page.goto(reverse("payments:mine"))
    assert_accessible(page, context="my payments")


def test_pay_page_at_phone_width(phone_page, make_user):
    payer = make_user("phone@example.com")
    invoice = open_invoice(payer)
    sign_in(phone_page, "phone@example.com", PASSWORD)
    phone_page.wait_for_url(re.compile(r"/dashboard/"))
    _choose(phone_page, invoice, "Credit or debit card")
    phone_page.wait_for_url(re.compile(r"/test-processor/pay/"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(phone_page, context="card form at phone width")


def test_a_provider_pays_a_renewal_through_the_hosted_test_page_once(page, make_user):
    """From the dashboard to the processor's page and back: the renewal is paid once the
    signed confirmation has arrived, and a double submit on the processor's page charges once."""
    from accounts import roles
    from payments.models import LedgerEntry
    from providers import services
    from providers.models import RenewalStatus
    from test_processor.models import TestEvent
    from tests.providers.factories import filled_application, make_certification

    user = make_user("renewer@example.com", role=roles.PROVIDER, password=PASSWORD)
    application = filled_application(make_certification(user=user), user)
    services.renewal_request_fee(application=application, actor=user)

    sign_in(page, "renewer@example.com", PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert page.locator("[data-payments-test-mode]").is_visible()  # on every page
    page.get_by_role("link", name="My fees, payments and receipts").click()
    page.get_by_role("link", name="Pay $125.00").click()
    page.wait_for_url(re.compile(r"/payments/invoices/.+/pay/$"))
    assert page.locator("[data-returned-fee]").inner_text().count("$15.00") == 1
    assert page.locator("input[name=number]").count() == 0  # no card field in the portal
    page.locator("label.usa-radio__label", has_text="Credit or debit card").click()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    assert page.get_by_text("Total: $127.94").is_visible()
    page.get_by_label("Name on card").fill("Morgan Medic")
    page.get_by_label("Card number").fill(APPROVE)
    page.get_by_label("Expiration date").fill("12/39")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_label("Billing ZIP code").fill("06106")
    assert_accessible(page, context="hosted card page, filled")
    # A double submit, past the button's own guard: two POSTs of the same form.
    page.evaluate("() => { const f = document.querySelector('form'); f.submit(); f.submit(); }")
    page.wait_for_url(re.compile(rf"/providers/renewals/{application.pk}/$"))
    assert page.get_by_text("Payment of $127.94 received (Visa ending 4242)").is_visible()
    assert page.get_by_test_id("application-status").inner_text() == "Paid — ready to submit"
    assert_accessible(page, context="renewal paid through the hosted page")
    application.refresh_from_db()
    assert application.status == RenewalStatus.PAID
    assert Payment.objects.filter(status=PaymentStatus.SETTLED).count() == 1
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    assert TestEvent.objects.filter(type="checkout.session.completed").count() == 1
