"""The renewal application paid through the payments app for real (test-mode gateway): card and
ACH move it from fee due to paid, a decline changes nothing, and a returned payment puts it on
hold until the balance (fee + returned-payment fee) is paid, when it resumes where it was."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from core.errors import DomainError
from core.transitions import status_timeline
from payments import selectors as payment_selectors
from payments import services as payments
from payments.gateway import SettlementEntry, SettlementStatus
from payments.models import EntryKind, InvoiceStatus, LedgerEntry, PaymentStatus, ReturnCode
from payments.selectors import invoice_for
from providers import services
from providers.models import IncompleteReason, RenewalStatus
from tests.payments.factories import ACH_R01, DECLINE

from .factories import filled_application, make_certification, pay

pytestmark = pytest.mark.django_db

FEE = Decimal("125.00")
RETURNED_FEE = Decimal("15.00")


@pytest.fixture
def applicant(make_user):
    return make_user("renewer@example.com", role=roles.PROVIDER)


@pytest.fixture
def fee_due(applicant):
    certification = make_certification(user=applicant, first_name="Rene", last_name="Wal")
    application = filled_application(certification, applicant)
    services.renewal_request_fee(application=application, actor=applicant)
    application.refresh_from_db()
    return application


def _refresh(application):
    application.refresh_from_db()
    return application


def test_paying_by_card_moves_fee_due_to_paid_and_settles_the_ledger(
    fee_due, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay(fee_due, applicant)
    assert payment.status == PaymentStatus.SETTLED
    assert payment.amount == FEE and payment.convenience_fee == Decimal("2.94")
    assert _refresh(fee_due).status == RenewalStatus.PAID
    invoice = invoice_for(subject=fee_due)
    assert invoice.status == InvoiceStatus.PAID
    assert payment_selectors.invoice_balance(invoice) == 0
    services.renewal_submit(application=fee_due, actor=applicant)
    assert _refresh(fee_due).status == RenewalStatus.SUBMITTED


def test_an_accepted_ach_debit_counts_as_paid_without_a_fee(
    fee_due, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay(fee_due, applicant, method="ach")
    assert payment.status == PaymentStatus.AUTHORIZED and payment.total == FEE
    assert _refresh(fee_due).status == RenewalStatus.PAID


def test_a_declined_card_leaves_the_application_fee_due_with_everything_kept(
    fee_due, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay(fee_due, applicant, number=DECLINE)
    assert payment.status == PaymentStatus.FAILED and "declined" in payment.failure_message
    application = _refresh(fee_due)
    assert application.status == RenewalStatus.FEE_DUE
    assert application.attestation_name == "Rene Wal" and application.nremt_number == "M1234567"
    assert invoice_for(subject=application).status == InvoiceStatus.OPEN
    assert payment_selectors.invoice_balance(invoice_for(subject=application)) == FEE
    with pytest.raises(DomainError, match="after payment"):
        services.renewal_submit(application=application, actor=applicant)


def _in_review_paid_by_ach(application, applicant, reviewer, capture):
    with capture(execute=True):
        payment = pay(application, applicant, method="ach", number=ACH_R01)
    with capture(execute=True):
        services.renewal_submit(application=_refresh(application), actor=applicant)
    services.renewal_start_review(application=application, actor=reviewer)
    return payment


def test_a_returned_payment_holds_the_renewal_and_paying_the_balance_resumes_it(
    fee_due, applicant, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    payment = _in_review_paid_by_ach(fee_due, applicant, reviewer, capture)
    complete_on = _refresh(fee_due).complete_on

    # Staff record the return in payments (admin action → payment_return).
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R01)
    application = _refresh(fee_due)
    assert application.status == RenewalStatus.ON_HOLD
    assert application.status_before_hold == RenewalStatus.IN_REVIEW
    invoice = invoice_for(subject=application)
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert payment_selectors.invoice_balance(invoice) == FEE + RETURNED_FEE
    assert LedgerEntry.objects.filter(invoice=invoice, kind=EntryKind.RETURNED_PAYMENT_FEE).count()
    hold = payment_selectors.invoice_hold(invoice)
    assert (hold.payment, hold.returned_fee, hold.balance) == (payment, RETURNED_FEE, Decimal(140))
    returned_mail = [m for m in mailoutbox if "returned" in m.subject.lower()]
    assert returned_mail and returned_mail[0].to == [applicant.email]
    assert "140.00" in returned_mail[0].body
    # Nobody moves an application on hold: only paying the balance takes it off hold.
    with pytest.raises(DomainError):
        services.renewal_approve(application=application, actor=reviewer)
    for service in (services.renewal_start_review, services.renewal_submit):
        with pytest.raises(DomainError, match="on hold"):
            service(application=application, actor=reviewer)
    with pytest.raises(DomainError, match="on hold"):
        services.renewal_return_incomplete(
            application=application,
            actor=reviewer,
            reasons=list(IncompleteReason.objects.all()[:1]),
        )
    timeline = [entry.new for entry in status_timeline(application)]
    assert timeline[-1] == RenewalStatus.ON_HOLD

    # The payer pays the balance by card: $140 + the card fee on it.
    with capture(execute=True):
        again = pay(application, applicant)
    assert again.amount == FEE + RETURNED_FEE and again.convenience_fee == Decimal("3.29")
    application = _refresh(application)
    assert application.status == RenewalStatus.IN_REVIEW
    assert application.status_before_hold == ""
    assert application.complete_on == complete_on  # the clock is not restarted by the hold
    assert invoice_for(subject=application).status == InvoiceStatus.PAID
    assert payment_selectors.invoice_balance(invoice) == 0
    services.renewal_approve(application=application, actor=reviewer)
    assert _refresh(application).status == RenewalStatus.APPROVED


def test_a_return_before_submission_resumes_to_paid_ready_to_submit(
    fee_due, applicant, reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        payment = pay(fee_due, applicant, method="ach", number=ACH_R01)
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R01)
    application = _refresh(fee_due)
    assert (application.status, application.status_before_hold) == (
        RenewalStatus.ON_HOLD,
        RenewalStatus.PAID,
    )
    with pytest.raises(DomainError):
        services.renewal_submit(application=application, actor=applicant)
    with capture(execute=True):
        pay(application, applicant, method="ach")
    assert _refresh(application).status == RenewalStatus.PAID
    services.renewal_submit(application=application, actor=applicant)
    assert _refresh(application).status == RenewalStatus.SUBMITTED


def test_a_return_from_the_settlement_report_holds_the_renewal_too(
    fee_due, applicant, reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    payment = _in_review_paid_by_ach(fee_due, applicant, reviewer, capture)
    with capture(execute=True):
        counts = payments.settlement_apply(
            entries=[
                SettlementEntry(payment.gateway_reference, SettlementStatus.RETURNED, "R01"),
                SettlementEntry(payment.gateway_reference, SettlementStatus.RETURNED, "R01"),
            ],
            actor=reviewer,
        )
    assert counts["returned"] == 1 and counts["unchanged"] == 1
    assert _refresh(fee_due).status == RenewalStatus.ON_HOLD
    # Only one returned-payment fee, however often the line is applied.
    assert payment_selectors.invoice_balance(invoice_for(subject=fee_due)) == FEE + RETURNED_FEE


def test_a_return_after_the_decision_leaves_it_decided_and_the_balance_owed(
    fee_due, applicant, reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    payment = _in_review_paid_by_ach(fee_due, applicant, reviewer, capture)
    services.renewal_approve(application=fee_due, actor=reviewer)
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R03)
    assert _refresh(fee_due).status == RenewalStatus.APPROVED
    invoice = invoice_for(subject=fee_due)
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert payment_selectors.invoice_balance(invoice) == FEE + RETURNED_FEE
    with capture(execute=True):
        pay(fee_due, applicant)  # paying it later changes nothing on the decided application
    assert _refresh(fee_due).status == RenewalStatus.APPROVED


# --- Pages -------------------------------------------------------------------------------------


def test_the_detail_page_offers_the_pay_button_then_paid_ready_to_submit(
    client, fee_due, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    detail = reverse("providers:renewal-detail", args=[fee_due.pk])
    invoice = invoice_for(subject=fee_due)
    body = client.get(detail).content.decode()
    pay_url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    assert f'<a class="usa-button" href="{pay_url}">Pay the $125.00 fee</a>' in body
    assert "Submit the application" not in body
    with django_capture_on_commit_callbacks(execute=True):
        pay(fee_due, applicant)
    body = client.get(detail).content.decode()
    assert 'data-testid="paid-ready"' in body and "Paid — ready to submit" in body
    assert "Submit the application" in body and "Pay the $" not in body
    # The pay page links back to the renewal.
    assert f'href="{detail}"' in client.get(pay_url).content.decode()


def test_an_on_hold_renewal_says_why_and_what_to_pay_on_its_page_and_the_dashboard(
    client, fee_due, applicant, reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    payment = _in_review_paid_by_ach(fee_due, applicant, reviewer, capture)
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R01)
    client.force_login(applicant)
    invoice = invoice_for(subject=fee_due)
    pay_url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    body = client.get(reverse("providers:renewal-detail", args=[fee_due.pk])).content.decode()
    assert 'data-testid="on-hold"' in body
    assert "R01 — insufficient funds" in body and "$15.00" in body
    assert f'href="{pay_url}">Pay the $140.00 balance</a>' in body
    assert "(in review)" in body  # where it resumes
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="panel-on-hold"' in dashboard and "$140.00" in dashboard
    assert pay_url in dashboard
    home = client.get(reverse("providers:home")).content.decode()
    assert "on hold" in home and "$140.00" in home


def test_the_dashboard_panel_reads_invoices_in_one_query_however_many_applications(
    client, applicant, django_assert_max_num_queries
):
    from payments.selectors import invoices_for_subjects

    applications = []
    for index in range(3):
        certification = make_certification(
            provider=applicant.provider if index else None,
            user=None if index else applicant,
            first_name="Rene",
            last_name="Wal",
        )
        application = filled_application(certification, applicant)
        services.renewal_request_fee(application=application, actor=applicant)
        applications.append(application)
    with django_assert_max_num_queries(2):  # content type (cached after) + invoices
        found = invoices_for_subjects(subjects=applications)
    assert {invoice.balance for invoice in found.values()} == {FEE}
    assert set(found) == {str(a.pk) for a in applications}
