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
    page.wait_for_url(re.compile(r"/card/$"))
    assert page.get_by_text("Total: $307.05").is_visible()
    assert page.locator("[data-test-mode]").is_visible()
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
    page.wait_for_url(re.compile(r"/bank/$"))
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
    phone_page.wait_for_url(re.compile(r"/card/$"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(phone_page, context="card form at phone width")
