"""The pay page, the test processor's hosted page, the return page, receipts and the staff
pages, per object."""

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from payments import selectors
from payments.models import InvoiceStatus, LedgerEntry, Payment, PaymentStatus
from test_processor.models import TestCheckout

from .factories import (
    ACH_SETTLES,
    APPROVE,
    DECLINE,
    EXPIRED,
    ROUTING,
    open_invoice,
    open_invoice_without_page,
    pay_by_card,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(make_user):
    return make_user("payer@example.com")


@pytest.fixture
def invoice(payer):
    return open_invoice(payer)


@pytest.fixture
def payer_client(client, payer):
    client.force_login(payer)
    return client


def _key(response):
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def _start(client, invoice, method="card"):
    page = client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    return client.post(
        reverse("payments:pay", kwargs={"invoice_id": invoice.pk}),
        {"method": method, "idempotency_key": _key(page)},
    )


CARD = {
    "name": "Pat Payer",
    "number": APPROVE,
    "expiry": "12/99",
    "cvc": "123",
    "postal_code": "06106",
}
ACH = {
    "name": "Pat Payer",
    "account_type": "checking",
    "routing_number": ROUTING,
    "account_number": ACH_SETTLES,
    "account_number_again": ACH_SETTLES,
    "authorize": "on",
}


def _pay_on_processor(client, checkout_url, data, capture):
    """Submit the processor's hosted page; its signed webhook is delivered on commit."""
    with capture(execute=True):
        return client.post(checkout_url, data)


def test_pay_page_shows_amounts_fees_and_test_mode_and_holds_no_number_field(payer_client, invoice):
    response = payer_client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "TEST MODE" in body and "data-payments-test-mode" in body
    assert "$307.05 (includes $7.05 card fee)" in body
    assert "$300.00 (no fee)" in body
    # the returned-payment fee is stated before the payer chooses ACH
    assert "a $15.00 returned payment fee is added" in body
    assert 'type="hidden" name="idempotency_key"' in body
    for field in ('name="number"', 'name="cvc"', 'name="account_number"', "cc-number"):
        assert field not in body


def test_card_payment_goes_through_the_hosted_page_and_counts_only_once_confirmed(
    payer_client, payer, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_invoice_without_page(payer)
    started = _start(payer_client, invoice)
    payment = Payment.objects.get()
    checkout = TestCheckout.objects.get()
    assert started.url == reverse("test_processor:checkout", args=[checkout.pk])
    # The processor's page: amounts decided by the portal, clearly the test processor.
    page = payer_client.get(started.url).content.decode()
    assert "TEST PAYMENT PROCESSOR" in page and "$307.05" in page
    # Back at the portal before the confirmation: "processing", nothing paid.
    processing = payer_client.get(reverse("payments:attempt", args=[payment.pk]))
    assert processing.status_code == 200 and b"processing" in processing.content
    status = payer_client.get(reverse("payments:attempt-status", args=[payment.pk]))
    assert status.json() == {"decided": False}
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN

    response = _pay_on_processor(
        payer_client, started.url, CARD, django_capture_on_commit_callbacks
    )
    assert response.url.endswith(reverse("payments:attempt", args=[payment.pk]))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert payer_client.get(reverse("payments:attempt-status", args=[payment.pk])).json() == {
        "decided": True
    }
    back = payer_client.get(reverse("payments:attempt", args=[payment.pk]))
    assert back.url == reverse("payments:receipt", args=[payment.pk])
    receipt = payer_client.get(back.url).content.decode()
    assert (
        "Visa" in receipt and "4242" in receipt and "$307.05" in receipt and "TEST MODE" in receipt
    )
    assert APPROVE not in receipt
    pdf = payer_client.get(reverse("payments:receipt-pdf", args=[payment.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(mailoutbox) == 1


def test_success_returns_to_the_subjects_page_when_it_has_one(
    payer_client, invoice, monkeypatch, django_capture_on_commit_callbacks
):
    from organizations.models import Organization

    monkeypatch.setattr(
        Organization, "get_absolute_url", lambda self: f"/orgs/{self.pk}/", raising=False
    )
    started = _start(payer_client, invoice)
    _pay_on_processor(payer_client, started.url, CARD, django_capture_on_commit_callbacks)
    payment = Payment.objects.get()
    response = payer_client.get(reverse("payments:attempt", args=[payment.pk]))
    assert response.url == f"/orgs/{invoice.subject_id}/"


def test_replayed_posts_charge_once_and_show_the_same_result(
    payer_client, invoice, django_capture_on_commit_callbacks
):
    page = payer_client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    data = {"method": "card", "idempotency_key": _key(page)}
    url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    first, second = payer_client.post(url, data), payer_client.post(url, data)
    assert first.url == second.url
    paid = _pay_on_processor(payer_client, first.url, CARD, django_capture_on_commit_callbacks)
    again = _pay_on_processor(payer_client, first.url, CARD, django_capture_on_commit_callbacks)
    assert paid.url == again.url
    replay_start = payer_client.post(url, data)  # the pay form again, after it was paid
    assert replay_start.url == reverse("payments:attempt", args=[Payment.objects.get().pk])
    assert Payment.objects.count() == 1
    assert TestCheckout.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"number": DECLINE}, "number", "declined"),
        ({"number": EXPIRED}, "expiry", "expired"),
        ({"number": "4242 4242 4242 4241"}, "number", "not valid"),
        ({"number": "1234"}, "number", "13 to 19 digits"),
        ({"expiry": "01/20"}, "expiry", "expired"),
        ({"expiry": "2029-01"}, "expiry", "mm/yy"),
    ],
)
def test_bad_card_input_on_the_hosted_page_says_why_beside_the_field_and_nothing_is_paid(
    payer_client, invoice, change, field, message, django_capture_on_commit_callbacks
):
    started = _start(payer_client, invoice)
    response = _pay_on_processor(
        payer_client, started.url, {**CARD, **change}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]).lower()
    body = response.content.decode()
    assert "Pat Payer" in body  # what was typed stays
    assert 'name="number" value' not in body and 'name="cvc" value' not in body  # numbers do not
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert selectors.invoice_balance(invoice) == Decimal("300.00")
    assert not Payment.objects.filter(
        status__in=[PaymentStatus.SETTLED, PaymentStatus.AUTHORIZED]
    ).exists()


def test_after_a_decline_the_next_card_pays_the_same_attempt(
    payer_client, invoice, django_capture_on_commit_callbacks
):
    started = _start(payer_client, invoice)
    declined = _pay_on_processor(
        payer_client, started.url, {**CARD, "number": DECLINE}, django_capture_on_commit_callbacks
    )
    assert declined.status_code == 200
    _pay_on_processor(payer_client, started.url, CARD, django_capture_on_commit_callbacks)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Payment.objects.get().status == PaymentStatus.SETTLED


def test_ach_payment_has_no_fee(payer_client, invoice, django_capture_on_commit_callbacks):
    started = _start(payer_client, invoice, "ach")
    assert "$300.00" in payer_client.get(started.url).content.decode()
    _pay_on_processor(payer_client, started.url, ACH, django_capture_on_commit_callbacks)
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.AUTHORIZED and payment.total == Decimal("300.00")
    assert payment.ach_last4 == "6789"
    # The organization has a page: the payer goes back to what they paid for.
    response = payer_client.get(reverse("payments:attempt", args=[payment.pk]))
    assert response.url == invoice.subject.get_absolute_url()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"routing_number": "011000016"}, "routing_number"),
        ({"account_number_again": "000123456780"}, "account_number_again"),
        ({"authorize": ""}, "authorize"),
        ({"account_number": "999999999", "account_number_again": "999999999"}, "account_number"),
    ],
)
def test_bad_ach_input(payer_client, invoice, change, field):
    started = _start(payer_client, invoice, "ach")
    response = payer_client.post(started.url, {**ACH, **change})
    assert field in response.context["form"].errors
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_closing_the_processor_page_leaves_the_fee_payable(payer_client, invoice):
    started = _start(payer_client, invoice)
    cancel = TestCheckout.objects.get().cancel_url
    assert cancel.endswith(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    page = payer_client.get(cancel)
    assert page.status_code == 200 and "Continue to payment" in page.content.decode()
    again = _start(payer_client, invoice)  # a new attempt closes the first checkout
    assert again.url != started.url
    assert TestCheckout.objects.get(pk=started.url.rstrip("/").split("/")[-1]).status == "expired"
    assert Payment.objects.filter(status=PaymentStatus.PENDING).count() == 1


def test_the_test_processor_is_off_when_a_real_processor_is_configured(
    payer_client, invoice, settings
):
    started = _start(payer_client, invoice)
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.PAYMENTS_TEST_MODE = False
    assert payer_client.get(started.url).status_code == 404


def test_a_payer_sees_only_their_own_invoices_payments_and_receipts(client, invoice, make_user):
    payment = pay_by_card(invoice)
    other = make_user("other@example.com")
    client.force_login(other)
    assert client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk})).status_code == 404
    # the return URL and its status show nothing of someone else's payment
    assert client.get(reverse("payments:attempt", args=[payment.pk])).status_code == 404
    assert client.get(reverse("payments:attempt-status", args=[payment.pk])).status_code == 404
    assert client.get(reverse("payments:receipt", args=[payment.pk])).status_code == 404
    assert client.get(reverse("payments:receipt-pdf", args=[payment.pk])).status_code == 404
    mine = client.get(reverse("payments:mine")).content.decode()
    assert invoice.description not in mine


def test_anonymous_is_sent_to_sign_in(client, invoice):
    response = client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_my_payments_lists_balance_and_ledger(payer_client, invoice):
    response = payer_client.get(reverse("payments:mine"))
    body = response.content.decode()
    assert "$300.00" in body and "Pay $300.00" in body


def test_staff_daily_totals_and_csv_export(staff_client, invoice, make_user):
    pay_by_card(invoice)
    client = staff_client("licensing reviewer")
    totals = client.get(reverse("payments:daily-totals"))
    assert totals.status_code == 200
    assert "$307.05" in totals.content.decode()
    export = client.get(reverse("payments:export"))
    lines = export.content.decode().strip().splitlines()
    assert lines[0].startswith("payment_id,") and len(lines) == 2
    assert "4242" in lines[1] and APPROVE not in lines[1]
    assert ",card," in lines[1]


def test_staff_pages_refuse_payers(payer_client):
    assert payer_client.get(reverse("payments:daily-totals")).status_code in (302, 403)
    assert payer_client.get(reverse("payments:export")).status_code in (302, 403)


def test_replaying_with_an_unknown_key_starts_one_attempt(payer_client, invoice):
    key = str(uuid.uuid4())
    url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    payer_client.post(url, {"method": "ach", "idempotency_key": key})
    payer_client.post(url, {"method": "ach", "idempotency_key": key})
    assert Payment.objects.count() == 1


def test_a_processor_that_cannot_open_its_page_is_said_on_the_pay_page(
    payer_client, invoice, monkeypatch
):
    from payments.gateway import GatewayError
    from test_processor.adapter import TestProcessorGateway

    def down(self, **kwargs):
        raise GatewayError("The payment processor could not start the payment; try again.")

    monkeypatch.setattr(TestProcessorGateway, "create_checkout", down)
    response = _start(payer_client, invoice)
    assert response.status_code == 200
    assert "could not start the payment" in response.content.decode()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING and not payment.checkout_url
    monkeypatch.undo()
    # The next try starts a fresh attempt (a new key) and closes the one without a checkout.
    again = _start(payer_client, invoice)
    assert again.url.startswith("/test-processor/pay/")
    assert Payment.objects.filter(status=PaymentStatus.PENDING).count() == 1
