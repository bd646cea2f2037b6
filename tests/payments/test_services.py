"""Paying through the hosted page, returns, refunds and the ledger, through the services every
interface calls. Payments are confirmed only by the processor's signed webhook."""

import threading
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.db import close_old_connections, connection

from core.errors import DomainError
from payments import selectors, services, signals
from payments.gateway import SettlementEntry, SettlementStatus
from payments.models import (
    EntryKind,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from test_processor import services as test_processor
from test_processor.models import TestCheckout

from .factories import (
    ACH_R01,
    ACH_R03,
    APPROVE,
    DECLINE,
    ERROR,
    EXPIRED,
    ensure_opening_fees,
    open_invoice,
    pay_by_ach,
    pay_by_card,
    release_debits,
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
    assert payment.gateway_reference.startswith("pi_test_")
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_at
    assert selectors.invoice_balance(invoice) == 0
    assert received and received[0]["subject"] == invoice.subject
    assert received[0]["sender"] is type(invoice.subject)
    assert len(mailoutbox) == 1
    assert "TEST MODE" in mailoutbox[0].subject
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert payment.receipt_sent_at is not None
    # the audit record: why (the processor's confirmation; no user acted)
    record = payment.history.latest()
    assert "checkout.session.completed" in record.history_change_reason


@pytest.mark.parametrize(
    ("number", "message"),
    [(DECLINE, "declined"), (EXPIRED, "expired"), (ERROR, "nothing was charged")],
)
def test_a_refused_card_stays_on_the_processor_page_and_nothing_is_recorded(
    invoice, number, message, mailoutbox
):
    payment = services.payment_start(
        invoice=invoice, payer=invoice.payer, method="card", idempotency_key=uuid.uuid4()
    )
    services.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    payment.refresh_from_db()
    with pytest.raises(test_processor.PaymentRefused) as refused:
        test_processor.checkout_pay_card(checkout_id=payment.checkout_reference, number=number)
    assert message in refused.value.message.lower()
    test_processor.events_flush()
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING  # the payer may try another card there
    assert invoice.status == InvoiceStatus.OPEN
    assert selectors.invoice_balance(invoice) == Decimal("300.00")
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
    assert mailoutbox == []
    paid = test_processor.pay_hosted(payment, number=APPROVE)
    assert paid.pk == payment.pk and paid.status == PaymentStatus.SETTLED


def test_the_checkout_is_created_once_per_attempt(invoice):
    payment = start(invoice)
    first = services.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    second = services.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    assert first == second
    assert TestCheckout.objects.count() == 1
    checkout = TestCheckout.objects.get()
    assert checkout.idempotency_key == str(payment.idempotency_key)
    assert (checkout.amount, checkout.convenience_fee) == (Decimal("300.00"), Decimal("7.05"))


def test_a_double_submit_on_the_hosted_page_charges_once(invoice):
    payment = pay_by_card(invoice)
    again = test_processor.checkout_pay_card(checkout_id=payment.checkout_reference, number=APPROVE)
    test_processor.events_flush()
    assert again.events.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


def test_a_payer_who_left_the_processor_page_pays_once_with_a_new_attempt(invoice):
    abandoned = start(invoice)
    services.payment_checkout(payment=abandoned, return_url="/r/", cancel_url="/c/")
    abandoned.refresh_from_db()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN  # still payable
    paid = pay_by_card(invoice)
    abandoned.refresh_from_db()
    assert abandoned.status == PaymentStatus.FAILED
    assert "nothing was charged" in abandoned.failure_message
    # the old checkout was closed at the processor: it cannot be paid any more
    old = TestCheckout.objects.get(pk=abandoned.checkout_reference)
    assert old.status == "expired"
    test_processor.checkout_pay_card(checkout_id=old.pk, number=APPROVE)
    test_processor.events_flush()
    assert paid.status == PaymentStatus.SETTLED
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


def test_a_new_attempt_waits_when_the_earlier_one_was_paid_at_the_processor(invoice):
    earlier = start(invoice)
    services.payment_checkout(payment=earlier, return_url="/r/", cancel_url="/c/")
    earlier.refresh_from_db()
    # paid on the processor's page; its webhook has not arrived yet
    test_processor.checkout_pay_card(checkout_id=earlier.checkout_reference, number=APPROVE)
    with pytest.raises(DomainError, match="confirmation is on its way"):
        start(invoice)
    test_processor.events_flush()
    earlier.refresh_from_db()
    assert earlier.status == PaymentStatus.SETTLED


def test_ach_accepted_is_authorized_and_the_invoice_paid(invoice):
    payment = pay_by_ach(invoice)
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.AUTHORIZED
    assert payment.ach_last4 == "6789" and payment.convenience_fee == 0
    assert invoice.status == InvoiceStatus.PAID
    release_debits(payment)
    assert payment.status == PaymentStatus.SETTLED and payment.settled_at


def test_returned_ach_end_to_end(invoice, django_capture_on_commit_callbacks, mailoutbox):
    held = []
    signals.invoice_returned.connect(lambda **kw: held.append(kw), weak=False, dispatch_uid="t2")
    paid_again = []
    signals.invoice_paid.connect(lambda **kw: paid_again.append(kw), weak=False, dispatch_uid="t3")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            payment = pay_by_ach(invoice, ACH_R01)
        with django_capture_on_commit_callbacks(execute=True):
            release_debits(payment)  # the bank's answer: returned R01, by a signed webhook
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
    failed = start(invoice)
    pending = start(invoice)  # closes the first one
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED
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
    # the processor's own charge.refunded event then changes nothing
    assert TestCheckout.objects.get().refunded_amount == Decimal("300.00")
    test_processor.events_flush()
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1


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
    assert mailoutbox == []
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
def test_the_same_webhook_delivered_twice_concurrently_records_once(make_user):
    ensure_opening_fees()  # a transactional test starts from a flushed database
    payer = make_user("concurrent@example.com")
    invoice = open_invoice(payer)
    payment = start(invoice)
    services.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    payment.refresh_from_db()
    with mock.patch("test_processor.services.enqueue_on_commit"):  # the two below deliver it
        test_processor.checkout_pay_card(checkout_id=payment.checkout_reference, number=APPROVE)
    event = TestCheckout.objects.get().events.get()
    barrier = threading.Barrier(2)
    errors = []

    def deliver():
        try:
            barrier.wait()
            test_processor.event_deliver(event_id=event.pk)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
