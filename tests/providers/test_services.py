"""Services of the providers app: linking, CE, every renewal transition allowed and refused,
payments receivers, discipline and credential renewals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from payments.models import FeeCode, InvoiceStatus
from payments.selectors import invoice_for
from payments.services import invoice_mark_paid, invoice_put_on_hold
from providers import rules, services
from providers.models import (
    CredentialRenewalStatus,
    IncompleteReason,
    LinkAttempt,
    LinkOutcome,
    Provider,
    RenewalStatus,
    RenewalStep,
)
from providers.selectors import ce_progress
from tests.uploads import PDF

from .factories import SSN, complete_ce, filled_application, make_certification, record_ce

pytestmark = pytest.mark.django_db


# --- SSN ---------------------------------------------------------------------------------------


def test_ssn_is_kept_only_as_a_keyed_hash_and_last_four():
    certification = make_certification(ssn="123-45-6789")
    provider = certification.provider
    assert provider.ssn_last4 == "6789"
    assert provider.ssn_hmac == services.ssn_hash("123456789") != "123456789"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM providers_provider")
        row_values = [str(v) for v in cursor.fetchone()]
        cursor.execute("SELECT * FROM providers_historicalprovider")
        history_values = [str(v) for row in cursor.fetchall() for v in row]
    assert not any("123456789" in v or "123-45-6789" in v for v in row_values + history_values)
    assert "ssn_hmac" not in [f.name for f in Provider.history.model._meta.fields]


def test_a_changed_key_gives_a_different_hash(settings):
    first = services.ssn_hash("123456789")
    settings.SSN_HMAC_KEY = "another-key"
    assert services.ssn_hash("123456789") != first


# --- Linking -----------------------------------------------------------------------------------


def _link(user, certification, *, dob=None, ssn=SSN, ip="10.0.0.1", number=None):
    return services.certification_link(
        user=user,
        number=number or certification.number,
        date_of_birth=dob or certification.provider.date_of_birth,
        ssn=ssn,
        ip_address=ip,
    )


def test_linking_with_number_dob_and_ssn_links_the_person(make_user):
    user = make_user()
    certification = make_certification()
    assert _link(user, certification, number=certification.number.lower()) == certification
    certification.provider.refresh_from_db()
    assert certification.provider.user == user
    assert LinkAttempt.objects.get().outcome == LinkOutcome.LINKED


@pytest.mark.parametrize("wrong", ["dob", "ssn", "number"])
def test_a_wrong_detail_says_could_not_match_without_naming_it_and_is_logged(make_user, wrong):
    user = make_user()
    certification = make_certification()
    kwargs = {
        "dob": {"dob": date(1901, 1, 1)},
        "ssn": {"ssn": "999-99-9999"},
        "number": {"number": "E999999"},
    }[wrong]
    with pytest.raises(DomainError) as error:
        _link(user, certification, **kwargs)
    assert error.value.message == services.COULD_NOT_MATCH
    assert "birth" not in error.value.message.lower() and "ssn" not in error.value.message.lower()
    attempt = LinkAttempt.objects.get()
    assert attempt.outcome == LinkOutcome.NO_MATCH and attempt.user == user
    certification.provider.refresh_from_db()
    assert certification.provider.user is None


def test_linking_is_throttled_per_account_even_with_the_right_details(make_user):
    user = make_user()
    certification = make_certification()
    for _ in range(rules.LINK_FAILURES_PER_ACCOUNT):
        with pytest.raises(DomainError):
            _link(user, certification, ssn="000-00-0000", ip=None)
    with pytest.raises(DomainError) as error:
        _link(user, certification, ip="10.9.9.9")
    assert error.value.code == "throttled"
    assert LinkAttempt.objects.filter(outcome=LinkOutcome.THROTTLED).count() == 1
    # another account from another address is not affected
    assert _link(make_user(), certification, ip="10.8.8.8") == certification


def test_linking_is_throttled_per_address_across_accounts(make_user, settings):
    certification = make_certification()
    for index in range(rules.LINK_FAILURES_PER_ADDRESS):
        with pytest.raises(DomainError):
            _link(make_user(f"u{index}@example.com"), certification, ssn="000-00-0000")
    with pytest.raises(DomainError) as error:
        _link(make_user("fresh@example.com"), certification)
    assert error.value.code == "throttled"


def test_one_account_never_links_two_different_people(make_user):
    user = make_user()
    mine = make_certification(ssn="111-11-1111", last_name="Mine")
    theirs = make_certification(ssn="222-22-2222", last_name="Theirs")
    _link(user, mine, ssn="111-11-1111")
    with pytest.raises(DomainError) as error:
        _link(user, theirs, ssn="222-22-2222")
    assert error.value.code == "other_person"
    theirs.provider.refresh_from_db()
    assert theirs.provider.user is None
    assert LinkAttempt.objects.filter(outcome=LinkOutcome.OTHER_PERSON).count() == 1


def test_a_person_linked_to_one_account_cannot_be_linked_to_another(make_user):
    certification = make_certification()
    _link(make_user(), certification)
    with pytest.raises(DomainError):
        _link(make_user(), certification)


def test_linking_a_second_certification_of_the_same_person_is_fine(make_user):
    user = make_user()
    emt = make_certification()
    paramedic = make_certification(provider=emt.provider, level="paramedic")
    _link(user, emt)
    assert _link(user, paramedic) == paramedic


# --- CE ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days_ago": -1}, "completed_on"),
        ({"hours": "-2"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"hours": "400"}, "hours"),
        ({"hours": "1.1"}, "hours"),
        ({"delivery": "distributive"}, "approval_number"),
        ({"delivery": "distributive", "approval_number": "T3-12"}, "approval_number"),
        ({"approval_number": "X9-2025-1234"}, "approval_number"),
    ],
)
def test_bad_ce_input_is_refused_beside_its_field(changes, field):
    provider = make_certification().provider
    arguments = {"hours": "2", **changes}
    with pytest.raises(DomainError) as error:
        record_ce(provider, **arguments)
    assert error.value.field == field
    assert not provider.ce_records.exists()


def test_uploads_must_be_pdf_or_image_and_small():
    provider = make_certification().provider
    with pytest.raises(DomainError) as error:
        record_ce(provider, hours="2", certificate=SimpleUploadedFile("a.pdf", b"MZ\x90 exe"))
    assert error.value.field == "certificate"
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * rules.UPLOAD_MAX_BYTES)
    with pytest.raises(DomainError) as error:
        record_ce(provider, hours="2", certificate=big)
    assert "limit" in error.value.message
    record = record_ce(
        provider,
        hours="2",
        delivery="distributive",
        approval_number="f3-2025-12345",
        certificate=SimpleUploadedFile("ok.pdf", PDF),
    )
    assert record.approval_number == "F3-2025-12345" and record.certificate


def test_progress_counts_each_component_and_caps_distributive_education():
    from providers.models import CERequirementSet

    certification = make_certification(level="emr")
    requirement = CERequirementSet.objects.get(level="emr")
    assert requirement.total_hours == 16
    record_ce(certification.provider, hours="8", component="national")
    record_ce(
        certification.provider,
        hours="4",
        component="local",
        delivery="distributive",
        approval_number="F3-2025-11111",
    )
    progress = ce_progress(certification)
    assert [(c.component, c.earned, c.remaining) for c in progress.components] == [
        ("national", 8, 0),
        ("local", 4, 0),
        ("individual", 0, 4),
    ]
    assert not progress.complete and progress.percent == 75
    requirement.max_distributive_hours = Decimal("2")
    requirement.save()
    progress = ce_progress(certification)
    assert progress.distributive_counted == 2 and progress.components[1].earned == 2
    # a course from before the cycle does not count
    record_ce(certification.provider, hours="4", component="individual", days_ago=3 * 365)
    assert ce_progress(certification).components[2].earned == 0


# --- Renewal: the applicant's side -------------------------------------------------------------


@pytest.fixture
def linked(make_user):
    user = make_user("applicant@example.com")
    certification = make_certification()
    certification.provider.user = user
    certification.provider.save()
    return user, certification


def test_start_is_refused_for_someone_elses_certification(make_user, linked):
    _user, certification = linked
    with pytest.raises(DomainError):
        services.renewal_start(certification=certification, user=make_user())


def test_start_is_refused_for_a_lapsed_certification(make_user):
    user = make_user()
    certification = make_certification(expires_in=-rules.GRACE_DAYS - 1, user=user)
    with pytest.raises(DomainError) as error:
        services.renewal_start(certification=certification, user=user)
    assert "reinstatement" in error.value.message


def test_start_twice_returns_the_same_draft(linked):
    user, certification = linked
    first = services.renewal_start(certification=certification, user=user)
    assert services.renewal_start(certification=certification, user=user) == first


def test_each_step_saves_the_draft_and_moves_on(linked):
    user, certification = linked
    application = services.renewal_start(certification=certification, user=user)
    application = services.renewal_save_step(
        application=application,
        actor=user,
        step=RenewalStep.NREMT,
        data={"nremt_number": "M7654321", "nremt_attest": True},
    )
    application.refresh_from_db()
    assert application.nremt_number == "M7654321" and application.nremt_attested_at
    assert application.step == RenewalStep.DETAILS
    certification.provider.refresh_from_db()
    assert certification.provider.nremt_number == "M7654321"


def test_the_attestation_needs_the_name_on_the_certification(linked):
    user, certification = linked
    application = services.renewal_start(certification=certification, user=user)
    with pytest.raises(DomainError) as error:
        services.renewal_save_step(
            application=application,
            actor=user,
            step=RenewalStep.ATTEST,
            data={"attestation_name": "Someone Else"},
        )
    assert error.value.field == "attestation_name"
    services.renewal_save_step(
        application=application,
        actor=user,
        step=RenewalStep.ATTEST,
        data={"attestation_name": "  jane   doe "},
    )
    application.refresh_from_db()
    assert application.attested_at and application.attestation_name == "jane doe"


def test_the_fee_step_is_refused_while_ce_is_incomplete(linked):
    user, certification = linked
    application = filled_application(certification, user)
    application.certification.provider.ce_records.first().delete()
    with pytest.raises(DomainError) as error:
        services.renewal_request_fee(application=application, actor=user)
    assert error.value.field == "ce"
    application.refresh_from_db()
    assert application.status == RenewalStatus.DRAFT
    assert application.attestation_name  # the draft keeps what was entered


def test_fee_due_opens_the_renewal_invoice_once(linked):
    user, certification = linked
    application = filled_application(certification, user)
    services.renewal_request_fee(application=application, actor=user)
    services.renewal_request_fee(application=application, actor=user)  # double click
    application.refresh_from_db()
    assert application.status == RenewalStatus.FEE_DUE
    invoice = invoice_for(subject=application)
    assert invoice.fee_code == FeeCode.PROVIDER_RENEWAL and invoice.status == InvoiceStatus.OPEN
    assert invoice.payer == user


def test_submission_comes_after_payment(linked):
    user, certification = linked
    application = filled_application(certification, user)
    with pytest.raises(DomainError):
        services.renewal_submit(application=application, actor=user)
    services.renewal_request_fee(application=application, actor=user)
    with pytest.raises(DomainError) as error:
        services.renewal_submit(application=application, actor=user)
    assert "payment" in error.value.message


def _paid(linked, django_capture_on_commit_callbacks):
    user, certification = linked
    application = filled_application(certification, user)
    services.renewal_request_fee(application=application, actor=user)
    with django_capture_on_commit_callbacks(execute=True):
        invoice_mark_paid(invoice=invoice_for(subject=application), actor=user)
    application.refresh_from_db()
    return user, application


def test_paying_the_invoice_moves_the_application_to_paid(
    linked, django_capture_on_commit_callbacks
):
    _user, application = _paid(linked, django_capture_on_commit_callbacks)
    assert application.status == RenewalStatus.PAID


def _submitted(linked, capture, mailoutbox):
    user, application = _paid(linked, capture)
    with capture(execute=True):
        services.renewal_submit(application=application, actor=user)
        services.renewal_submit(application=application, actor=user)  # double submit
    application.refresh_from_db()
    return user, application


def test_submit_starts_the_clock_and_emails_receipt_once(
    linked, django_capture_on_commit_callbacks, mailoutbox
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    assert application.status == RenewalStatus.SUBMITTED
    assert application.complete_on == timezone.localdate()
    assert len(mailoutbox) == 1 and "received" in mailoutbox[0].subject.lower()
    assert mailoutbox[0].to == [user.email]
    assert "4 to 6 weeks" in mailoutbox[0].body


def test_return_incomplete_needs_a_reason_stops_the_clock_and_emails_the_reasons(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    services.renewal_start_review(application=application, actor=reviewer)
    with pytest.raises(DomainError) as error:
        services.renewal_return_incomplete(application=application, actor=reviewer, reasons=[])
    assert error.value.field == "reasons"
    reasons = IncompleteReason.objects.filter(code__in=["missing-ce", "name-mismatch"])
    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_return_incomplete(
            application=application, actor=reviewer, reasons=reasons, note="See the CE."
        )
    application.refresh_from_db()
    assert application.status == RenewalStatus.RETURNED
    assert application.complete_on is None
    assert set(application.return_reasons.all()) == set(reasons)
    body = mailoutbox[-1].body
    assert "Missing continuing education" in body and "Name does not match" in body
    assert "See the CE." in body


def test_resubmission_restarts_the_clock(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    application.complete_on = timezone.localdate() - timedelta(days=20)
    application.save()
    services.renewal_start_review(application=application, actor=reviewer)
    services.renewal_return_incomplete(
        application=application, actor=reviewer, reasons=IncompleteReason.objects.all()[:1]
    )
    services.renewal_resubmit(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == RenewalStatus.RESUBMITTED
    assert application.complete_on == timezone.localdate()
    services.renewal_start_review(application=application, actor=reviewer)
    application.refresh_from_db()
    assert application.status == RenewalStatus.IN_REVIEW


@pytest.mark.parametrize(("level", "years"), [("emt", 2), ("paramedic", 1)])
def test_approval_sets_the_new_expiration_on_the_state_record(
    make_user, reviewer, django_capture_on_commit_callbacks, mailoutbox, level, years
):
    user = make_user()
    certification = make_certification(level=level, user=user)
    old = certification.expires_on
    _user, application = _submitted(
        (user, certification), django_capture_on_commit_callbacks, mailoutbox
    )
    services.renewal_start_review(application=application, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_approve(application=application, actor=reviewer)
        services.renewal_approve(application=application, actor=reviewer)  # twice: once
    certification.refresh_from_db()
    application.refresh_from_db()
    assert certification.expires_on == rules.add_years(old, years)
    assert application.new_expires_on == certification.expires_on
    assert application.previous_expires_on == old
    assert application.decided_by == reviewer
    assert [m.subject for m in mailoutbox].count("[OEMS Portal] Renewal approved") == 1
    approved = application.history.filter(status=RenewalStatus.APPROVED)
    assert approved.count() == 1 and approved.get().history_user == reviewer
    assert certification.history.first().history_change_reason.startswith("Renewed")


def test_denial_needs_a_note_and_emails_it(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    services.renewal_start_review(application=application, actor=reviewer)
    with pytest.raises(DomainError):
        services.renewal_deny(application=application, actor=reviewer, note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_deny(application=application, actor=reviewer, note="Not eligible.")
    application.refresh_from_db()
    assert application.status == RenewalStatus.DENIED
    assert "Not eligible." in mailoutbox[-1].body


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.renewal_approve, {}),
        (services.renewal_deny, {"note": "no"}),
        (services.renewal_return_incomplete, {"reasons": "all"}),
        (services.renewal_resubmit, {}),
    ],
)
def test_decisions_are_refused_before_review(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox, service, kwargs
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    if kwargs.get("reasons") == "all":
        kwargs = {"reasons": IncompleteReason.objects.all()}
    with pytest.raises(DomainError) as error:
        service(application=application, actor=reviewer, **kwargs)
    assert error.value.code == "invalid_transition"
    application.refresh_from_db()
    assert application.status == RenewalStatus.SUBMITTED


def test_nothing_moves_a_decided_application(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    services.renewal_start_review(application=application, actor=reviewer)
    services.renewal_approve(application=application, actor=reviewer)
    for service in (services.renewal_start_review, services.renewal_resubmit):
        with pytest.raises(DomainError):
            service(application=application, actor=reviewer)
    with pytest.raises(DomainError):
        services.renewal_deny(application=application, actor=reviewer, note="late")
    with pytest.raises(DomainError):
        services.renewal_save_step(
            application=application,
            actor=user,
            step="nremt",
            data={"nremt_number": "X", "nremt_attest": True},
        )


def test_a_returned_payment_holds_the_application_and_paying_again_resumes_it(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    services.renewal_start_review(application=application, actor=reviewer)
    invoice = invoice_for(subject=application)
    with django_capture_on_commit_callbacks(execute=True):
        invoice_put_on_hold(invoice=invoice, actor=reviewer, reason="NSF")
    application.refresh_from_db()
    assert application.status == RenewalStatus.ON_HOLD
    assert application.status_before_hold == RenewalStatus.IN_REVIEW
    with pytest.raises(DomainError):
        services.renewal_approve(application=application, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        invoice_mark_paid(invoice=invoice, actor=user)
    application.refresh_from_db()
    assert application.status == RenewalStatus.IN_REVIEW
    assert application.status_before_hold == ""


def test_a_draft_cannot_be_put_on_hold(linked):
    user, certification = linked
    application = services.renewal_start(certification=certification, user=user)
    with pytest.raises(DomainError):
        services.renewal_put_on_hold(application=application)


def test_staff_mark_step_a_verified_only_once_attested(linked, reviewer):
    user, certification = linked
    application = services.renewal_start(certification=certification, user=user)
    with pytest.raises(DomainError):
        services.renewal_mark_nremt_verified(application=application, actor=reviewer)
    application = filled_application(certification, user)
    services.renewal_mark_nremt_verified(application=application, actor=reviewer)
    application.refresh_from_db()
    assert application.nremt_verified_by == reviewer
    assert application.history.first().history_change_reason == "NREMT Step A verified"


# --- Discipline (the contract Complaints uses) -------------------------------------------------


def test_suspend_then_lift_restores_the_computed_status(reviewer):
    certification = make_certification()
    today = timezone.localdate()
    services.certification_suspend(
        certification=certification,
        actor=reviewer,
        reason="Investigation 12",
        effective_from=today,
    )
    certification.refresh_from_db()
    assert certification.status == rules.CertificationStatus.SUSPENDED
    assert certification.history.first().history_user == reviewer
    services.certification_lift_discipline(
        certification=certification, actor=reviewer, reason="Cleared"
    )
    certification.refresh_from_db()
    assert certification.status == rules.CertificationStatus.ACTIVE
    assert certification.discipline_from is None


def test_a_suspension_with_an_end_date_ends_by_itself(reviewer):
    certification = make_certification()
    today = timezone.localdate()
    services.certification_suspend(
        certification=certification,
        actor=reviewer,
        reason="30 days",
        effective_from=today - timedelta(days=30),
        until=today,
    )
    certification.refresh_from_db()
    assert certification.status == rules.CertificationStatus.ACTIVE
    assert certification.status_on(today - timedelta(days=1)) == rules.CertificationStatus.SUSPENDED


def test_revoke_needs_a_reason_and_a_revoked_certification_cannot_be_suspended(reviewer):
    certification = make_certification()
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.certification_revoke(
            certification=certification, actor=reviewer, reason="", effective_from=today
        )
    services.certification_revoke(
        certification=certification,
        actor=reviewer,
        reason="Consent agreement",
        effective_from=today,
    )
    with pytest.raises(DomainError):
        services.certification_suspend(
            certification=certification, actor=reviewer, reason="x", effective_from=today
        )
    certification.refresh_from_db()
    assert certification.status == rules.CertificationStatus.REVOKED


# --- Credentials -------------------------------------------------------------------------------


def _credential(certification, *, expires_on):
    from providers.models import Credential

    return Credential.objects.create(
        provider=certification.provider,
        kind="instructor",
        number=f"IC-{certification.pk}",
        underlying=certification,
        issued_on=expires_on - timedelta(days=730),
        expires_on=expires_on,
    )


def test_nothing_is_accepted_after_the_credential_deadline(linked):
    user, certification = linked
    credential = _credential(certification, expires_on=date(2027, 3, 31))
    with pytest.raises(DomainError) as error:
        services.credential_renewal_submit(
            credential=credential, actor=user, today=date(2027, 2, 1)
        )
    assert "January 31, 2027" in error.value.message
    renewal = services.credential_renewal_submit(
        credential=credential, actor=user, today=date(2027, 1, 31)
    )
    assert renewal.status in CredentialRenewalStatus.values


def test_a_credential_waits_for_the_underlying_renewal_then_is_decided(
    linked, reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    user, certification = linked
    credential = _credential(
        certification, expires_on=certification.expires_on + timedelta(days=30)
    )
    renewal = services.credential_renewal_submit(
        credential=credential, actor=user, today=date(credential.expires_on.year, 1, 1)
    )
    assert renewal.status == CredentialRenewalStatus.PENDING_UNDERLYING
    with pytest.raises(DomainError):
        services.credential_renewal_approve(renewal=renewal, actor=reviewer)
    _user, application = _submitted(linked, django_capture_on_commit_callbacks, mailoutbox)
    services.renewal_start_review(application=application, actor=reviewer)
    services.renewal_approve(application=application, actor=reviewer)
    renewal.refresh_from_db()
    assert renewal.status == CredentialRenewalStatus.READY
    old = credential.expires_on
    services.credential_renewal_approve(renewal=renewal, actor=reviewer)
    credential.refresh_from_db()
    assert credential.expires_on == rules.add_years(old, rules.CREDENTIAL_CYCLE_YEARS)


def test_complete_ce_helper_completes_progress(linked):
    _user, certification = linked
    complete_ce(certification)
    assert ce_progress(certification).complete
