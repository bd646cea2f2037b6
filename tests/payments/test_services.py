"""Paying, returns, refunds and the ledger, through the services every interface calls."""

import threading
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.db import close_old_connections, connection

from core.errors import DomainError
from payments import selectors, services, signals
from payments.gateway import SettlementEntry, SettlementStatus, TestModeGateway
from payments.models import (
    EntryKind,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
)

from .factories import (
    ACH_R01,
    ACH_R03,
    DECLINE,
    ERROR,
    EXPIRED,
    card,
    ensure_opening_fees,
    open_invoice,
    pay_by_ach,
    pay_by_card,
    start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(make_user):
    return make_user("payer@example.com")


@pytest.fixture
def invoice(payer):
    return open_invoice(payer)


def test_opening_an_invoice_charges_the_ledger_once(payer, invoice):
    again = services.invoice_open(
        subject=invoice.subject, payer=payer, fee_code=invoice.fee_code, description="again"
    )
    assert again.pk == invoice.pk
    assert selectors.invoice_balance(invoice) == Decimal("300.00")
    assert LedgerEntry.objects.filter(invoice=invoice, kind=EntryKind.CHARGE).count() == 1


def test_start_fixes_amount_and_card_fee(invoice):
    payment = start(invoice, PaymentMethod.CARD)
    assert (payment.amount, payment.convenience_fee) == (Decimal("300.00"), Decimal("7.05"))
    assert payment.status == PaymentStatus.PENDING and payment.test_mode
    ach = start(invoice, PaymentMethod.ACH)
    assert ach.convenience_fee == Decimal("0.00")


def test_start_with_the_same_key_gives_the_same_attempt(invoice):
    key = uuid.uuid4()
    assert start(invoice, key=key).pk == start(invoice, key=key).pk
    assert Payment.objects.count() == 1


def test_only_the_payer_can_start_and_not_on_a_paid_invoice(invoice, make_user):
    with pytest.raises(DomainError):
        services.payment_start(
            invoice=invoice, payer=make_user(), method="card", idempotency_key=uuid.uuid4()
        )
    pay_by_card(invoice)
    with pytest.raises(DomainError, match="paid"):
        start(invoice)


def test_card_approved_settles_marks_invoice_paid_signals_and_emails_receipt(
    invoice, django_capture_on_commit_callbacks, mailoutbox
):
    received = []
    signals.invoice_paid.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            payment = pay_by_card(invoice)
    finally:
        signals.invoice_paid.disconnect(dispatch_uid="t1")
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED
    assert (payment.card_brand, payment.card_last4) == ("Visa", "4242")
    assert payment.gateway_reference.startswith("test_ch_")
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_at
    assert selectors.invoice_balance(invoice) == 0
    assert received and received[0]["subject"] == invoice.subject
    assert received[0]["sender"] is type(invoice.subject)
    assert len(mailoutbox) == 1
    assert "TEST MODE" in mailoutbox[0].subject
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert payment.receipt_sent_at is not None
    # the audit record: who and why
    record = payment.history.latest()
    assert record.history_user == invoice.payer and "approved" in record.history_change_reason


@pytest.mark.parametrize(
    ("number", "message"),
    [(DECLINE, "declined"), (EXPIRED, "expired"), (ERROR, "nothing was charged")],
)
def test_card_refused_fails_and_nothing_is_paid(invoice, number, message, mailoutbox):
    payment = pay_by_card(invoice, number)
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert message in payment.failure_message.lower()
    assert invoice.status == InvoiceStatus.OPEN
    assert selectors.invoice_balance(invoice) == Decimal("300.00")
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
    assert mailoutbox == []


def test_a_decided_attempt_is_not_sent_to_the_gateway_again(invoice):
    payment = start(invoice)
    with mock.patch.object(
        TestModeGateway, "charge_card", wraps=TestModeGateway().charge_card
    ) as spy:
        first = services.payment_pay_by_card(payment=payment, card=card(), actor=invoice.payer)
        second = services.payment_pay_by_card(payment=payment, card=card(), actor=invoice.payer)
    assert spy.call_count == 1
    assert first.pk == second.pk and second.status == PaymentStatus.SETTLED
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


def test_retry_after_a_failure_is_one_new_attempt(invoice):
    failed = pay_by_card(invoice, DECLINE)
    retry = services.payment_retry(payment=failed)
    assert services.payment_retry(payment=failed).pk == retry.pk
    assert retry.status == PaymentStatus.PENDING and retry.pk != failed.pk
    settled = services.payment_pay_by_card(payment=retry, card=card(), actor=invoice.payer)
    assert settled.status == PaymentStatus.SETTLED


def test_a_second_attempt_after_the_invoice_is_paid_charges_nothing(invoice):
    other_tab = start(invoice)
    pay_by_card(invoice)
    with mock.patch.object(TestModeGateway, "charge_card") as spy:
        result = services.payment_pay_by_card(payment=other_tab, card=card(), actor=invoice.payer)
    assert spy.call_count == 0
    assert result.status == PaymentStatus.FAILED


def test_ach_accepted_is_authorized_and_the_invoice_paid(invoice):
    payment = pay_by_ach(invoice)
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.AUTHORIZED
    assert payment.ach_last4 == "6789" and payment.convenience_fee == 0
    assert invoice.status == InvoiceStatus.PAID


def test_returned_ach_end_to_end(
    invoice, django_capture_on_commit_callbacks, mailoutbox, make_user
):
    staff = make_user(role="supervisor")
    held = []
    signals.invoice_returned.connect(lambda **kw: held.append(kw), weak=False, dispatch_uid="t2")
    paid_again = []
    signals.invoice_paid.connect(lambda **kw: paid_again.append(kw), weak=False, dispatch_uid="t3")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            payment = pay_by_ach(invoice, ACH_R01)
        with django_capture_on_commit_callbacks(execute=True):
            counts = services.settlement_pull(actor=staff)
        assert counts["returned"] == 1
        payment.refresh_from_db()
        invoice.refresh_from_db()
        assert payment.status == PaymentStatus.RETURNED and payment.return_code == "R01"
        assert invoice.status == InvoiceStatus.ON_HOLD
        assert held and held[0]["subject"] == invoice.subject
        assert selectors.invoice_balance(invoice) == Decimal("315.00")  # 300 + $15 fee
        assert selectors.account_balance(user=invoice.payer) == Decimal("315.00")
        returned_mail = [m for m in mailoutbox if "returned" in m.subject]
        assert returned_mail and "315.00" in returned_mail[0].body
        assert "ON HOLD" in returned_mail[0].body

        with django_capture_on_commit_callbacks(execute=True):
            second = pay_by_card(invoice)
        assert second.amount == Decimal("315.00") and second.convenience_fee == Decimal("7.40")
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID
        assert selectors.invoice_balance(invoice) == 0
        assert len(paid_again) == 2  # first ACH, then the balance after the return
    finally:
        signals.invoice_returned.disconnect(dispatch_uid="t2")
        signals.invoice_paid.disconnect(dispatch_uid="t3")


def test_return_is_recorded_once_and_needs_a_known_code(invoice, make_user):
    staff = make_user(role="supervisor")
    payment = pay_by_card(invoice)
    with pytest.raises(DomainError):
        services.payment_return(payment=payment, actor=staff, return_code="R99")
    services.payment_return(payment=payment, actor=staff, return_code="chargeback")
    services.payment_return(payment=payment, actor=staff, return_code="chargeback")
    assert LedgerEntry.objects.filter(kind=EntryKind.RETURNED_PAYMENT_FEE).count() == 1
    assert selectors.invoice_balance(invoice) == Decimal("315.00")


def test_failed_and_pending_payments_cannot_be_returned_or_refunded(invoice, make_user):
    staff = make_user(role="supervisor")
    failed = pay_by_card(invoice, DECLINE)
    pending = start(invoice)
    for payment in (failed, pending):
        with pytest.raises(DomainError):
            services.payment_return(payment=payment, actor=staff, return_code="R01")
        with pytest.raises(DomainError):
            services.payment_refund(payment=payment, actor=staff, reason="why")


def test_refund_needs_a_reason_and_is_audited(
    invoice, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    staff = make_user(role="supervisor")
    payment = pay_by_card(invoice)
    with pytest.raises(DomainError) as error:
        services.payment_refund(payment=payment, actor=staff, reason="  ")
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_refund(payment=payment, actor=staff, reason="Duplicate filing")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refund_reason == "Duplicate filing"
    record = payment.history.latest()
    assert (
        record.history_user == staff and record.history_change_reason == "Refund: Duplicate filing"
    )
    assert LedgerEntry.objects.get(kind=EntryKind.REFUND).amount == Decimal("300.00")
    assert any("Refund" in m.subject for m in mailoutbox)
    with pytest.raises(DomainError):
        services.payment_return(payment=payment, actor=staff, return_code="R01")


def test_settlement_file_settles_and_returns_and_can_be_applied_twice(payer, make_user):
    staff = make_user(role="supervisor")
    settles = pay_by_ach(open_invoice(payer))
    comes_back = pay_by_ach(open_invoice(payer), ACH_R03)
    entries = [
        SettlementEntry(settles.gateway_reference, SettlementStatus.SETTLED),
        SettlementEntry(comes_back.gateway_reference, SettlementStatus.RETURNED, "R03"),
        SettlementEntry("nope", SettlementStatus.SETTLED),
    ]
    assert services.settlement_apply(entries=entries, actor=staff) == {
        "settled": 1,
        "returned": 1,
        "unchanged": 0,
        "unknown": 1,
    }
    assert services.settlement_apply(entries=entries, actor=staff) == {
        "settled": 0,
        "returned": 0,
        "unchanged": 2,
        "unknown": 1,
    }
    settles.refresh_from_db()
    comes_back.refresh_from_db()
    assert settles.status == PaymentStatus.SETTLED
    assert comes_back.status == PaymentStatus.RETURNED and comes_back.return_code == "R03"


def test_receipt_task_sends_once(invoice, mailoutbox):
    from payments import tasks

    payment = pay_by_card(invoice)  # on-commit not run: nothing sent yet
    assert tasks.send_receipt(str(payment.pk)) is True
    assert tasks.send_receipt(str(payment.pk)) is False
    assert len(mailoutbox) == 1


def test_payment_page_selectors_have_fixed_query_counts(payer, django_assert_max_num_queries):
    for _ in range(3):
        pay_by_card(open_invoice(payer))
    with django_assert_max_num_queries(1):
        [(i.balance, i.description) for i in selectors.invoices_of(user=payer)]
    with django_assert_max_num_queries(1):
        [(p.invoice.description, p.total) for p in selectors.payments_of(user=payer)]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serializes every write",
)
@pytest.mark.django_db(transaction=True)
def test_the_same_charge_sent_twice_concurrently_charges_once(make_user):
    ensure_opening_fees()  # a transactional test starts from a flushed database
    payer = make_user("concurrent@example.com")
    invoice = open_invoice(payer)
    key = uuid.uuid4()
    calls = []
    real = TestModeGateway.charge_card

    def slow_charge(self, **kwargs):
        calls.append(kwargs["idempotency_key"])
        threading.Event().wait(0.3)  # both requests are inside before the first finishes
        return real(self, **kwargs)

    barrier = threading.Barrier(2)
    results, errors = [], []

    def request():
        try:
            barrier.wait()
            payment = services.payment_start(
                invoice=invoice, payer=payer, method="card", idempotency_key=key
            )
            results.append(
                services.payment_pay_by_card(payment=payment, card=card(), actor=payer).status
            )
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    with mock.patch.object(TestModeGateway, "charge_card", slow_charge):
        threads = [threading.Thread(target=request) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert results == [PaymentStatus.SETTLED, PaymentStatus.SETTLED]
    assert len(calls) == 1
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
