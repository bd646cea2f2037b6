"""The pay page, the hosted card and bank forms, receipts and the staff pages, per object."""

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from payments import selectors
from payments.models import InvoiceStatus, LedgerEntry, Payment, PaymentStatus

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


def test_pay_page_shows_amounts_fee_and_test_mode(payer_client, invoice):
    response = payer_client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "TEST MODE" in body
    assert "$307.05 (includes $7.05 card fee)" in body
    assert "$300.00 (no fee)" in body
    assert 'type="hidden" name="idempotency_key"' in body


def test_card_payment_end_to_end_redirects_to_receipt_when_subject_has_no_page(
    payer_client, payer, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = open_invoice_without_page(payer)
    started = _start(payer_client, invoice)
    payment = Payment.objects.get()
    assert started.url == reverse("payments:card-entry", args=[payment.pk])
    entry = payer_client.get(started.url)
    assert "TEST MODE" in entry.content.decode() and "$307.05" in entry.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = payer_client.post(started.url, CARD)
    assert response.url == reverse("payments:receipt", args=[payment.pk])
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    receipt = payer_client.get(response.url).content.decode()
    assert (
        "Visa" in receipt and "4242" in receipt and "$307.05" in receipt and "TEST MODE" in receipt
    )
    assert APPROVE not in receipt
    pdf = payer_client.get(reverse("payments:receipt-pdf", args=[payment.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(mailoutbox) == 1


def test_success_returns_to_the_subjects_page_when_it_has_one(payer_client, invoice, monkeypatch):
    from organizations.models import Organization

    monkeypatch.setattr(
        Organization, "get_absolute_url", lambda self: f"/orgs/{self.pk}/", raising=False
    )
    started = _start(payer_client, invoice)
    response = payer_client.post(started.url, CARD)
    assert response.url == f"/orgs/{invoice.subject_id}/"


def test_replayed_posts_charge_once_and_show_the_same_result(payer_client, invoice):
    page = payer_client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    data = {"method": "card", "idempotency_key": _key(page)}
    url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    first, second = payer_client.post(url, data), payer_client.post(url, data)
    assert first.url == second.url
    paid = payer_client.post(first.url, CARD)
    again = payer_client.post(first.url, CARD)
    assert paid.url == again.url
    replay_start = payer_client.post(url, data)  # the pay form again, after it was paid
    assert replay_start.url == paid.url
    assert Payment.objects.count() == 1
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
def test_bad_card_input_says_why_beside_the_field_and_nothing_is_paid(
    payer_client, invoice, change, field, message
):
    started = _start(payer_client, invoice)
    response = payer_client.post(started.url, {**CARD, **change})
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


def test_after_a_decline_the_next_card_pays(payer_client, invoice):
    started = _start(payer_client, invoice)
    declined = payer_client.post(started.url, {**CARD, "number": DECLINE})
    next_url = re.search(r'action="([^"]+)"', declined.content.decode().split("<main")[1]).group(1)
    assert next_url != started.url
    assert (
        payer_client.post(started.url, {**CARD, "number": DECLINE}).context["payment"].pk
        == declined.context["payment"].pk
    )
    payer_client.post(next_url, CARD)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Payment.objects.filter(status=PaymentStatus.FAILED).count() == 1


ACH = {
    "name": "Pat Payer",
    "account_type": "checking",
    "routing_number": ROUTING,
    "account_number": ACH_SETTLES,
    "account_number_again": ACH_SETTLES,
    "authorize": "on",
}


def test_ach_payment_has_no_fee(payer_client, invoice):
    started = _start(payer_client, invoice, "ach")
    assert "/bank/" in started.url
    response = payer_client.post(started.url, ACH)
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.AUTHORIZED and payment.total == Decimal("300.00")
    # The organization has a page: the payer goes back to what they paid for.
    assert response.url == invoice.subject.get_absolute_url()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"routing_number": "011000016"}, "routing_number"),
        ({"account_number_again": "000123456780"}, "account_number_again"),
        ({"authorize": ""}, "authorize"),
    ],
)
def test_bad_ach_input(payer_client, invoice, change, field):
    started = _start(payer_client, invoice, "ach")
    response = payer_client.post(started.url, {**ACH, **change})
    assert field in response.context["form"].errors
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_a_payer_sees_only_their_own_invoices_payments_and_receipts(client, invoice, make_user):
    payment = pay_by_card(invoice)
    other = make_user("other@example.com")
    client.force_login(other)
    assert client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk})).status_code == 404
    assert client.get(reverse("payments:card-entry", args=[payment.pk])).status_code == 404
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


def test_staff_pages_refuse_payers(payer_client):
    assert payer_client.get(reverse("payments:daily-totals")).status_code in (302, 403)
    assert payer_client.get(reverse("payments:export")).status_code in (302, 403)


def test_replaying_with_an_unknown_key_starts_one_attempt(payer_client, invoice):
    key = str(uuid.uuid4())
    url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    payer_client.post(url, {"method": "ach", "idempotency_key": key})
    payer_client.post(url, {"method": "ach", "idempotency_key": key})
    assert Payment.objects.count() == 1
