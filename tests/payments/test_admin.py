"""Staff's admin: filters, the return and refund actions, the settlement import, test-mode label."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from payments import selectors
from payments.models import InvoiceStatus, PaymentStatus

from .factories import ACH_R01, open_invoice, pay_by_ach, pay_by_card

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:payments_payment_changelist"


@pytest.fixture
def payment(make_user):
    return pay_by_card(open_invoice(make_user("payer@example.com")))


def test_changelist_filters_and_test_mode_label(staff_client, payment):
    client = staff_client("supervisor")
    response = client.get(
        reverse(CHANGELIST), {"method__exact": "card", "status__exact": "settled"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "TEST MODE" in body
    assert response.context["cl"].result_count == 1
    assert client.get(reverse(CHANGELIST), {"method__exact": "ach"}).context["cl"].result_count == 0
    change = client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    assert "TEST MODE" in change.content.decode()


def test_record_return_action_adds_fee_and_puts_invoice_on_hold(staff_client, payment, mailoutbox):
    client = staff_client("supervisor")
    data = {"action": "record_return", "_selected_action": [payment.pk]}
    form = client.post(reverse(CHANGELIST), data)
    assert form.status_code == 200 and "return_code" in form.content.decode()
    client.post(
        reverse(CHANGELIST), {**data, "apply": "1", "return_code": "chargeback", "note": "bank"}
    )
    payment.refresh_from_db()
    payment.invoice.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED
    assert payment.invoice.status == InvoiceStatus.ON_HOLD
    assert selectors.invoice_balance(payment.invoice) == Decimal("315.00")


def test_refund_action_needs_a_reason(staff_client, payment):
    client = staff_client("supervisor")
    data = {"action": "refund", "_selected_action": [payment.pk], "apply": "1"}
    response = client.post(reverse(CHANGELIST), {**data, "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    client.post(reverse(CHANGELIST), {**data, "reason": "Duplicate"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.history.latest().history_change_reason == "Refund: Duplicate"


def test_reviewer_cannot_refund(staff_client, payment):
    client = staff_client("licensing reviewer")
    data = {"action": "refund", "_selected_action": [payment.pk], "apply": "1", "reason": "x"}
    client.post(reverse(CHANGELIST), data)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED


def test_settlement_csv_import(staff_client, make_user):
    payment = pay_by_ach(open_invoice(make_user("payer2@example.com")), ACH_R01)
    client = staff_client("supervisor")
    url = reverse("admin:payments_payment_import_settlement")
    bad = client.post(url, {"file": SimpleUploadedFile("s.csv", b"reference,status\nx,lost\n")})
    assert "status must be settled or returned" in bad.content.decode()
    csv = f"reference,status,return_code\n{payment.gateway_reference},returned,R01\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", csv)})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED and payment.return_code == "R01"


def test_csv_export_action(staff_client, payment):
    client = staff_client("supervisor")
    response = client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [payment.pk]}
    )
    assert response["Content-Type"] == "text/csv"
    assert str(payment.pk) in response.content.decode()
