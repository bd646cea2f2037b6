"""Initial certification: every transition allowed and refused, the bad inputs, approval."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from core.transitions import status_timeline
from payments.models import FeeCode
from payments.selectors import invoice_for
from providers import initial, rules, services
from providers.models import ApplicationStatus as S
from providers.models import IncompleteReason, Provider

from .factories import approved_course, filled_initial, make_institution, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_user, reviewer):
    return approved_course(make_institution(make_user), reviewer)


@pytest.fixture
def applicant(make_user):
    return make_user("nina@example.com", role=roles.PROVIDER)


def _to(status, application, applicant, reviewer):
    """Walk a complete draft to ``status`` through the services."""
    if status == S.DRAFT:
        return application
    steps = [
        (S.FEE_DUE, lambda a: initial.initial_request_fee(application=a, actor=applicant)),
        (S.PAID, lambda a: pay(a, applicant)),
        (S.SUBMITTED, lambda a: initial.initial_submit(application=a, actor=applicant)),
        (S.IN_REVIEW, lambda a: initial.initial_start_review(application=a, actor=reviewer)),
    ]
    for target, step in steps:
        application = step(application)
        application.refresh_from_db()
        if target == status:
            break
    return application


def test_the_ssn_is_kept_only_as_its_keyed_hash(applicant, course):
    application = filled_initial(applicant, course=course)
    assert application.ssn_hmac == services.ssn_hash("123456789")
    assert application.ssn_last4 == "6789"
    assert not any(
        "123456789" in str(v) or "123-45-6789" in str(v) for v in vars(application).values()
    )
    assert not hasattr(application.history.first(), "ssn_hmac")


def test_a_draft_keeps_what_was_typed_and_lists_what_is_missing(applicant):
    application = initial.initial_start(user=applicant, level=rules.Level.EMT)
    initial.initial_save(application=application, actor=applicant, data={"first_name": "Nina"})
    application.refresh_from_db()
    assert application.first_name == "Nina"
    missing = initial.initial_missing(application)
    assert {
        "ssn",
        "course_approval_number",
        "nremt_number",
        "cpr_card",
        "background_attest",
    } <= set(missing)
    with pytest.raises(DomainError) as error:
        initial.initial_request_fee(application=application, actor=applicant)
    assert error.value.code == "incomplete"
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_an_expired_cpr_card_is_refused_beside_the_field(applicant, course):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(DomainError) as error:
        filled_initial(applicant, course=course, cpr_expires_on=yesterday)
    assert error.value.field == "cpr_expires_on"
    assert "expired" in error.value.message
    # nothing half-saved
    application = initial.initial_start(user=applicant, level=rules.Level.EMT)
    assert not application.cpr_card and not application.first_name


def test_an_unknown_course_number_is_refused(applicant, course):
    with pytest.raises(DomainError) as error:
        filled_initial(applicant, course=course, course_approval_number="T3-2001-0001")
    assert error.value.field == "course_approval_number"


def test_a_course_completed_outside_its_dates_is_refused(applicant, course):
    with pytest.raises(DomainError) as error:
        filled_initial(
            applicant, course=course, course_completed_on=course.starts_on - timedelta(days=1)
        )
    assert error.value.field == "course_approval_number"
    assert "outside those dates" in error.value.message


def test_paramedics_need_acls_and_emts_do_not(applicant, make_user, course):
    emt = filled_initial(applicant, course=course, level=rules.Level.EMT)
    assert initial.initial_missing(emt) == {}
    medic_user = make_user(role=roles.PROVIDER)
    medic = initial.initial_start(user=medic_user, level=rules.Level.PARAMEDIC)
    assert "acls_card" in initial.initial_missing(medic)
    medic = filled_initial(
        medic_user, course=course, level=rules.Level.PARAMEDIC, ssn="222-33-4444"
    )
    assert initial.initial_missing(medic) == {}


def test_a_typed_name_must_match_to_sign(applicant, course):
    application = filled_initial(applicant, course=course)
    with pytest.raises(DomainError) as error:
        initial.initial_save(
            application=application, actor=applicant, data={"attestation_name": "Someone Else"}
        )
    assert error.value.field == "attestation_name"


def test_fee_opens_the_initial_invoice_and_payment_moves_it_to_paid(applicant, course):
    application = filled_initial(applicant, course=course)
    application = initial.initial_request_fee(application=application, actor=applicant)
    assert application.status == S.FEE_DUE
    invoice = invoice_for(subject=application)
    assert invoice.fee_code == FeeCode.PROVIDER_INITIAL and invoice.payer == applicant
    # twice: the same invoice, still fee due
    initial.initial_request_fee(application=application, actor=applicant)
    with pytest.raises(DomainError, match="Pay the fee first"):
        initial.initial_submit(application=application, actor=applicant)
    application = pay(application, applicant)  # payments.signals.invoice_paid -> receiver
    assert application.status == S.PAID


def test_submit_starts_the_clock_and_emails(
    applicant, course, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    application = _to(S.PAID, filled_initial(applicant, course=course), applicant, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        initial.initial_submit(application=application, actor=applicant)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.complete_on == timezone.localdate()
    assert "received" in mailoutbox[-1].subject


def test_review_return_resubmit_approve(
    applicant, course, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    application = _to(S.IN_REVIEW, filled_initial(applicant, course=course), applicant, reviewer)
    reason = IncompleteReason.objects.first() or IncompleteReason.objects.create(
        code="missing-document", label="Missing document"
    )
    with pytest.raises(DomainError):
        initial.initial_return_incomplete(application=application, actor=reviewer, reasons=[])
    with django_capture_on_commit_callbacks(execute=True):
        initial.initial_return_incomplete(
            application=application, actor=reviewer, reasons=[reason], note="Blurry card"
        )
    application.refresh_from_db()
    assert application.status == S.RETURNED and application.complete_on is None
    assert list(application.return_reasons.all()) == [reason]
    assert "returned" in mailoutbox[-1].subject
    initial.initial_save(application=application, actor=applicant, data={"phone": "860-555-0100"})
    initial.initial_resubmit(application=application, actor=applicant)
    application.refresh_from_db()
    assert application.status == S.RESUBMITTED
    initial.initial_start_review(application=application, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        initial.initial_approve(application=application, actor=reviewer)
    application.refresh_from_db()
    assert application.status == S.APPROVED
    certification = application.certification
    provider = application.provider
    assert certification.level == rules.Level.EMT
    assert rules.level_of_number(certification.number) == rules.Level.EMT
    assert certification.expires_on == rules.new_cycle_expiration(
        level="emt", starts_on=timezone.localdate()
    )
    assert certification.status == rules.CertificationStatus.ACTIVE
    assert provider.user == applicant and provider.ssn_hmac == services.ssn_hash("123456789")
    assert provider.full_name == "Nina Newcomer"
    approval = next(m for m in mailoutbox if "approved" in m.subject.lower())
    assert certification.number in approval.body
    # the first card is emailed as a PDF, as after a renewal
    card = next(m for m in mailoutbox if "certification card" in m.subject.lower())
    assert card.attachments[0][2] == "application/pdf"
    statuses = [entry.new for entry in status_timeline(application)]
    assert statuses == [
        "draft",
        "fee_due",
        "paid",
        "submitted",
        "in_review",
        "returned",
        "resubmitted",
        "in_review",
        "approved",
    ]


def test_deny_needs_a_reason_and_is_final(applicant, course, reviewer):
    application = _to(S.IN_REVIEW, filled_initial(applicant, course=course), applicant, reviewer)
    with pytest.raises(DomainError):
        initial.initial_deny(application=application, actor=reviewer, note="")
    initial.initial_deny(application=application, actor=reviewer, note="Exam not verified")
    application.refresh_from_db()
    assert application.status == S.DENIED
    with pytest.raises(DomainError, match="cannot move"):
        initial.initial_approve(application=application, actor=reviewer)
    assert not Provider.objects.filter(last_name="Newcomer").exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.FEE_DUE, S.PAID, S.SUBMITTED])
def test_approval_is_refused_before_review(applicant, course, reviewer, status):
    application = _to(status, filled_initial(applicant, course=course), applicant, reviewer)
    with pytest.raises(DomainError, match="cannot move"):
        initial.initial_approve(application=application, actor=reviewer)
    assert not Provider.objects.filter(last_name="Newcomer").exists()


def test_return_is_refused_outside_review(applicant, course, reviewer):
    application = filled_initial(applicant, course=course)
    reason = IncompleteReason.objects.create(code="x-test", label="X")
    with pytest.raises(DomainError, match="cannot move"):
        initial.initial_return_incomplete(application=application, actor=reviewer, reasons=[reason])


def test_a_returned_payment_puts_it_on_hold_and_paying_again_resumes(
    applicant, course, reviewer, django_capture_on_commit_callbacks
):
    from payments.services import invoice_put_on_hold

    application = _to(S.SUBMITTED, filled_initial(applicant, course=course), applicant, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        invoice_put_on_hold(invoice=invoice_for(subject=application), actor=None, reason="R01")
    application.refresh_from_db()
    assert application.status == S.ON_HOLD
    application = pay(application, applicant)
    assert application.status == S.SUBMITTED


def test_one_open_application_per_account(applicant, course):
    first = filled_initial(applicant, course=course)
    assert initial.initial_start(user=applicant, level=rules.Level.PARAMEDIC) == first


def test_a_submitted_application_can_no_longer_be_edited(applicant, course, reviewer):
    application = _to(S.SUBMITTED, filled_initial(applicant, course=course), applicant, reviewer)
    with pytest.raises(DomainError, match="can no longer be changed"):
        initial.initial_save(application=application, actor=applicant, data={"first_name": "X"})
