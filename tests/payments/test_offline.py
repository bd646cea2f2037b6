"""Checks and money orders recorded by staff against an invoice, and a check that comes back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from payments import selectors, services, signals
from payments.models import EntryKind, InvoiceStatus, LedgerEntry, Payment, PaymentStatus

from .factories import open_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(make_user):
    return open_invoice(make_user("payer@example.com"))


def _record(invoice, actor, amount="300.00", number="1043", method="check"):
    return services.payment_record_offline(
        invoice=invoice,
        method=method,
        number=number,
        amount=Decimal(amount),
        received_on=timezone.localdate(),
        actor=actor,
    )


def test_a_check_for_the_balance_pays_the_invoice_with_who_and_when(
    invoice, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    clerk = make_user(role="licensing reviewer")
    paid = []
    signals.invoice_paid.connect(lambda **kw: paid.append(kw), weak=False, dispatch_uid="off1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            payment, message = _record(invoice, clerk)
    finally:
        signals.invoice_paid.disconnect(dispatch_uid="off1")
    invoice.refresh_from_db()
    assert message == "Recorded Check no. 1043 for $300.00; the fee is paid."
    assert payment.status == PaymentStatus.SETTLED and payment.method == "check"
    assert (payment.instrument_number, payment.recorded_by, payment.received_on) == (
        "1043",
        clerk,
        timezone.localdate(),
    )
    assert payment.history.latest().history_user == clerk
    assert invoice.status == InvoiceStatus.PAID and paid
    assert selectors.invoice_balance(invoice) == 0
    assert len(mailoutbox) == 1 and "receipt" in mailoutbox[0].subject.lower()
    assert "Method: Check no. 1043" in mailoutbox[0].body


def test_an_amount_that_differs_from_the_balance_is_recorded_with_a_clear_message(
    invoice, make_user
):
    clerk = make_user(role="finance")
    short, message = _record(invoice, clerk, amount="200.00", number="77")
    assert "less than the $300.00 due: $100.00 is still due" in message
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert selectors.invoice_balance(invoice) == Decimal("100.00")
    over, message = _record(invoice, clerk, amount="150.00", number="78", method="money_order")
    assert "more than the $100.00 due" in message and "$50.00 is a credit" in message
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert selectors.invoice_balance(invoice) == Decimal("-50.00")


def test_the_same_check_recorded_twice_is_recorded_once(invoice, make_user):
    clerk = make_user(role="finance")
    first, _ = _record(invoice, clerk, amount="100.00")
    second, message = _record(invoice, clerk, amount="100.00")
    assert first.pk == second.pk and "already recorded" in message
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": " "}, "number"),
        ({"amount": Decimal("0")}, "amount"),
        ({"method": "card"}, "method"),
        ({"received_on": timezone.localdate() + timedelta(days=2)}, "received_on"),
    ],
)
def test_bad_check_input_names_the_field_and_records_nothing(invoice, make_user, change, field):
    data = {
        "invoice": invoice,
        "method": "check",
        "number": "1",
        "amount": Decimal("300"),
        "received_on": timezone.localdate(),
        "actor": make_user(role="finance"),
        **change,
    }
    with pytest.raises(DomainError) as error:
        services.payment_record_offline(**data)
    assert error.value.field == field
    assert not Payment.objects.exists()


def test_a_returned_check_works_like_a_returned_ach(
    invoice, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    clerk = make_user(role="finance")
    payment, _ = _record(invoice, clerk)
    held = []
    signals.invoice_returned.connect(lambda **kw: held.append(kw), weak=False, dispatch_uid="off2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.payment_return(payment=payment, actor=clerk, return_code="R01")
    finally:
        signals.invoice_returned.disconnect(dispatch_uid="off2")
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED
    assert invoice.status == InvoiceStatus.ON_HOLD and held
    assert selectors.invoice_balance(invoice) == Decimal("315.00")  # the $15 fee
    assert LedgerEntry.objects.filter(kind=EntryKind.RETURNED_PAYMENT_FEE).get().amount == 15
    assert any("returned" in mail.subject for mail in mailoutbox)


def test_staff_record_a_check_from_the_invoice_admin(staff_client, invoice):
    client = staff_client("finance")
    change = client.get(reverse("admin:payments_invoice_change", args=[invoice.pk]))
    url = reverse("admin:payments_invoice_record_payment", args=[invoice.pk])
    assert url in change.content.decode()
    form = client.get(url)
    assert form.status_code == 200 and "$300.00" in form.content.decode()
    response = client.post(
        url,
        {
            "method": "check",
            "number": "5521",
            "amount": "250.00",
            "received_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert "$50.00 is still due" in response.content.decode()
    assert Payment.objects.get().instrument_number == "5521"


def test_the_admin_form_keeps_what_was_typed_beside_an_error(staff_client, invoice):
    client = staff_client("finance")
    url = reverse("admin:payments_invoice_record_payment", args=[invoice.pk])
    response = client.post(
        url, {"method": "check", "number": "9", "amount": "-5", "received_on": "2020-01-01"}
    )
    assert response.status_code == 200
    assert "more than $0" in response.content.decode()
    assert not Payment.objects.exists()


def test_people_without_the_permission_cannot_record(staff_client, invoice):
    client = staff_client("vehicle inspector")
    url = reverse("admin:payments_invoice_record_payment", args=[invoice.pk])
    assert client.get(url).status_code in (302, 403)


def test_daily_totals_and_export_name_the_method(staff_client, invoice, make_user):
    _record(invoice, make_user(role="finance"), number="8080", method="money_order")
    client = staff_client("finance")
    totals = client.get(reverse("payments:daily-totals")).content.decode()
    assert "Money order" in totals
    export = client.get(reverse("payments:export")).content.decode().splitlines()
    assert ",money_order," in export[1] and "8080" in export[1]
