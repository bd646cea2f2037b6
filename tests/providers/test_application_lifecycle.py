"""The one review lifecycle every provider application runs on (``providers.applications.flow``):
renewal, initial certification and reinstatement share its transitions, its hold after a
returned payment, and its rule that a payment returned after the decision leaves the decision
standing while the money side goes on as the payments docs say (invoice on hold, the $15
returned-payment fee added, the payer emailed, paying the balance changes nothing decided)."""

from decimal import Decimal

import pytest

from accounts import roles
from core.errors import DomainError
from payments import selectors as payment_selectors
from payments import services as payments
from payments.fees import current_fee
from payments.models import EntryKind, FeeCode, InvoiceStatus, LedgerEntry, ReturnCode
from payments.selectors import invoice_for
from providers import rules
from providers.applications import flow, initial, reinstatement, renewal
from providers.models import (
    ApplicationStatus,
    InitialApplication,
    ReinstatementApplication,
    RenewalApplication,
)
from tests.education.factories import approved_course, filled_initial, make_institution
from tests.payments.factories import ACH_R01

from .factories import complete_ce, filled_application, make_certification, pay

pytestmark = pytest.mark.django_db

S = ApplicationStatus
RETURNED_FEE = Decimal("15.00")


@pytest.fixture
def applicant(make_user):
    return make_user("applicant@example.com", role=roles.PROVIDER)


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER)


def _renewal_draft(applicant, make_user, reviewer):
    certification = make_certification(user=applicant, first_name="Rene", last_name="Wal")
    return filled_application(certification, applicant)


def _initial_draft(applicant, make_user, reviewer):
    course = approved_course(make_institution(make_user), reviewer)
    return filled_initial(applicant, course=course)


def _reinstatement_draft(applicant, make_user, reviewer):
    certification = make_certification(expires_in=-(rules.GRACE_DAYS + 10))
    certification.provider.user = applicant
    certification.provider.save(update_fields=["user"])
    complete_ce(certification)
    application = reinstatement.reinstatement_start(certification=certification, user=applicant)
    return reinstatement.reinstatement_sign(
        application=application,
        actor=applicant,
        attestation_name=certification.provider.full_name,
    )


KINDS = {
    "renewal": (_renewal_draft, renewal, FeeCode.PROVIDER_RENEWAL),
    "initial": (_initial_draft, initial, FeeCode.PROVIDER_INITIAL),
    "reinstatement": (_reinstatement_draft, reinstatement, FeeCode.PROVIDER_REINSTATEMENT),
}


def _service(module, kind, step):
    return getattr(module, f"{kind}_{step}")


def _in_review_paid_by_ach(kind, applicant, reviewer, make_user, capture):
    """A complete application of ``kind``, paid by an ACH debit that will come back, in review."""
    draft, module, _fee = KINDS[kind]
    application = draft(applicant, make_user, reviewer)
    _service(module, kind, "request_fee")(application=application, actor=applicant)
    with capture(execute=True):
        payment = pay(application, applicant, method="ach", number=ACH_R01)
    application.refresh_from_db()
    assert application.status == S.PAID
    with capture(execute=True):
        _service(module, kind, "submit")(application=application, actor=applicant)
    _service(module, kind, "start_review")(application=application, actor=reviewer)
    application.refresh_from_db()
    return application, payment


def _decide(kind, application, decision, reviewer, capture):
    module = KINDS[kind][1]
    with capture(execute=True):
        if decision == S.APPROVED:
            _service(module, kind, "approve")(application=application, actor=reviewer)
        else:
            _service(module, kind, "deny")(
                application=application, actor=reviewer, note="The documents do not match."
            )
    application.refresh_from_db()
    assert application.status == decision


def test_every_kind_runs_on_the_one_flow():
    assert set(flow.registered_models()) == {
        RenewalApplication,
        InitialApplication,
        ReinstatementApplication,
    }
    for kind, (_draft, module, _fee) in KINDS.items():
        for step in ("request_fee", "submit", "start_review", "approve", "deny"):
            assert _service(module, kind, step) is getattr(flow, f"application_{step}")


@pytest.mark.parametrize("decision", [S.APPROVED, S.DENIED])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_payment_returned_after_the_decision_leaves_it_standing_and_the_balance_owed(
    kind, decision, applicant, reviewer, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    capture = django_capture_on_commit_callbacks
    application, payment = _in_review_paid_by_ach(kind, applicant, reviewer, make_user, capture)
    _decide(kind, application, decision, reviewer, capture)
    history_rows = application.history.count()
    fee = current_fee(KINDS[kind][2])

    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R01)

    application.refresh_from_db()
    assert application.status == decision  # the decision stands
    assert application.status_before_hold == ""
    assert application.history.count() == history_rows  # nothing written on the application
    # The money side, as docs/payments.md says: on hold, fee + $15 owed, the payer emailed.
    invoice = invoice_for(subject=application)
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert payment_selectors.invoice_balance(invoice) == fee + RETURNED_FEE
    assert (
        LedgerEntry.objects.filter(invoice=invoice, kind=EntryKind.RETURNED_PAYMENT_FEE).count()
        == 1
    )
    returned_mail = [m for m in mailoutbox if "payment was returned" in m.subject.lower()]
    assert [m.to for m in returned_mail] == [[applicant.email]]

    # Paying the balance settles the invoice and still changes nothing decided.
    with capture(execute=True):
        pay(application, applicant)
    application.refresh_from_db()
    assert application.status == decision
    assert invoice_for(subject=application).status == InvoiceStatus.PAID
    assert payment_selectors.invoice_balance(invoice) == 0


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_payment_returned_in_review_holds_every_kind_until_the_balance_is_paid(
    kind, applicant, reviewer, make_user, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    application, payment = _in_review_paid_by_ach(kind, applicant, reviewer, make_user, capture)
    module = KINDS[kind][1]
    with capture(execute=True):
        payments.payment_return(payment=payment, actor=reviewer, return_code=ReturnCode.R01)
    application.refresh_from_db()
    assert (application.status, application.status_before_hold) == (S.ON_HOLD, S.IN_REVIEW)
    # Nobody moves an application on hold, whatever its kind: only paying the balance does.
    with pytest.raises(DomainError, match="on hold"):
        _service(module, kind, "start_review")(application=application, actor=reviewer)
    with pytest.raises(DomainError, match="cannot move"):
        _service(module, kind, "approve")(application=application, actor=reviewer)
    with capture(execute=True):
        pay(application, applicant)
    application.refresh_from_db()
    assert (application.status, application.status_before_hold) == (S.IN_REVIEW, "")
