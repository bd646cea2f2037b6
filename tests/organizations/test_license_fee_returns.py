"""A license renewal paid through the payments app: a returned payment puts the application on
hold (nothing moves it but paying), paying the balance resumes it where it was."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError
from organizations import services
from organizations.models import ApplicationKind, ApplicationStatus
from payments import selectors as payment_selectors
from payments import services as payments
from payments.models import FeeCode, InvoiceStatus, PaymentMethod, ReturnCode
from payments.selectors import invoice_for
from tests.payments.factories import ACH_R01, bank, card

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db

LICENSE_FEE = Decimal("300.00")
RETURNED_FEE = Decimal("15.00")


@pytest.fixture
def fee_due(org_admin):
    organization = OrganizationFactory()
    organization.administrators.add(org_admin)
    application = services.application_create(
        kind=ApplicationKind.RENEWAL, applicant=org_admin, organization=organization
    )
    services.application_submit(application=application, actor=org_admin)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FEE_DUE
    return application


def _pay(application, payer, *, method, number=None):
    payment = payments.payment_start(
        invoice=invoice_for(subject=application, fee_code=FeeCode.ORGANIZATION_LICENSE),
        payer=payer,
        method=method,
        idempotency_key=uuid.uuid4(),
    )
    if method == PaymentMethod.ACH:
        return payments.payment_pay_by_ach(
            payment=payment, account=bank(number or ACH_R01), actor=payer
        )
    return payments.payment_pay_by_card(payment=payment, card=card(), actor=payer)


def _refresh(application):
    application.refresh_from_db()
    return application


@pytest.fixture
def in_review_then_returned(fee_due, org_admin, reviewer, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        payment = _pay(fee_due, org_admin, method=PaymentMethod.ACH)
    assert _refresh(fee_due).status == ApplicationStatus.SUBMITTED
    services.application_start_review(application=fee_due, actor=reviewer)
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R01)
    return _refresh(fee_due)


def test_a_returned_license_fee_puts_the_application_on_hold(
    in_review_then_returned, reviewer, org_admin, mailoutbox
):
    application = in_review_then_returned
    assert application.status == ApplicationStatus.ON_HOLD
    assert application.status_before_hold == ApplicationStatus.IN_REVIEW
    invoice = invoice_for(subject=application)
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert payment_selectors.invoice_balance(invoice) == LICENSE_FEE + RETURNED_FEE
    history = application.history.order_by("-history_date", "-history_id").first()
    assert history.status == ApplicationStatus.ON_HOLD and "returned" in (
        history.history_change_reason.lower()
    )
    on_hold_mail = [m for m in mailoutbox if "On hold" in m.body]
    assert on_hold_mail and on_hold_mail[0].to == [org_admin.email]


def test_nothing_moves_an_application_on_hold_but_paying(in_review_then_returned, reviewer):
    application = in_review_then_returned
    with pytest.raises(DomainError, match="on hold"):
        services.application_start_review(application=application, actor=reviewer)
    with pytest.raises(DomainError, match="on hold"):
        services.application_return(application=application, actor=reviewer, reason="Missing")
    with pytest.raises(DomainError):
        services.application_approve(application=application, actor=reviewer)
    with pytest.raises(DomainError):
        services.application_deny(application=application, actor=reviewer, reason="No")
    assert _refresh(application).status == ApplicationStatus.ON_HOLD


def test_paying_the_balance_resumes_it_where_it_was(
    in_review_then_returned, org_admin, reviewer, django_capture_on_commit_callbacks
):
    application = in_review_then_returned
    complete_at = application.complete_at
    with django_capture_on_commit_callbacks(execute=True):
        payment = _pay(application, org_admin, method=PaymentMethod.CARD)
    assert payment.amount == LICENSE_FEE + RETURNED_FEE
    application = _refresh(application)
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.status_before_hold == "" and application.complete_at == complete_at
    assert invoice_for(subject=application).status == InvoiceStatus.PAID
    services.application_approve(application=application, actor=reviewer)
    assert _refresh(application).status == ApplicationStatus.APPROVED


def test_a_return_after_approval_leaves_the_decision(
    fee_due, org_admin, reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        payment = _pay(fee_due, org_admin, method=PaymentMethod.ACH)
    services.application_start_review(application=fee_due, actor=reviewer)
    services.application_approve(application=fee_due, actor=reviewer)
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R03)
    assert _refresh(fee_due).status == ApplicationStatus.APPROVED
    invoice = invoice_for(subject=fee_due)
    assert payment_selectors.invoice_balance(invoice) == LICENSE_FEE + RETURNED_FEE


def test_the_application_page_says_why_and_offers_the_balance(
    client, in_review_then_returned, org_admin, make_user
):
    application = in_review_then_returned
    client.force_login(org_admin)
    body = client.get(application.get_absolute_url()).content.decode()
    invoice = invoice_for(subject=application)
    assert 'data-testid="on-hold"' in body and "R01 — insufficient funds" in body
    assert f'href="{reverse("payments:pay", kwargs={"invoice_id": invoice.pk})}"' in body
    assert "Pay the $315.00 balance" in body and "(in review)" in body
    client.force_login(make_user("stranger@example.org"))
    assert client.get(application.get_absolute_url()).status_code == 404
