"""Reinstatement: the window at its date edges, the application's transitions, approval."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from payments.models import FeeCode
from payments.selectors import invoice_for
from providers import rules
from providers.applications import reinstatement
from providers.models import ApplicationStatus as S
from tests.providers.factories import complete_ce, make_certification

from .factories import pay

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def holder(make_user):
    return make_user(role=roles.PROVIDER)


def _expired(days_ago, user=None):
    certification = make_certification(expires_in=-days_ago)
    if user is not None:
        certification.provider.user = user
        certification.provider.save(update_fields=["user"])
    return certification


@pytest.mark.parametrize(
    "today_offset, eligible, initial_required",
    [
        # grace ends GRACE_DAYS after expiry: the day before / of / after
        (rules.GRACE_DAYS - 1, False, False),
        (rules.GRACE_DAYS, False, False),
        (rules.GRACE_DAYS + 1, True, False),
    ],
)
def test_reinstatement_opens_the_day_after_grace(today_offset, eligible, initial_required):
    certification = _expired(0)
    today = certification.expires_on + timedelta(days=today_offset)
    result = reinstatement.reinstatement_eligibility(certification, today=today)
    assert result.eligible is eligible
    assert result.initial_required is initial_required


@pytest.mark.parametrize(
    "day_offset, eligible",
    [(-1, True), (0, True), (1, False)],  # around the last day of the window
)
def test_reinstatement_window_closes_after_its_last_day(day_offset, eligible):
    certification = _expired(0)
    window_end = rules.reinstatement_end(certification.expires_on)
    today = window_end + timedelta(days=day_offset)
    result = reinstatement.reinstatement_eligibility(certification, today=today)
    assert result.eligible is eligible
    if not eligible:
        assert result.initial_required
        assert "A new initial certification is required" in result.message


def test_start_is_refused_past_the_window_and_for_renewable_ones(holder):
    expired = _expired((rules.reinstatement_end(TODAY) - TODAY).days + 1, user=holder)
    with pytest.raises(DomainError, match="initial certification is required"):
        reinstatement.reinstatement_start(certification=expired, user=holder)


def test_a_renewable_certification_is_sent_to_renewal(make_user):
    user = make_user(role=roles.PROVIDER)
    active = _expired(-30, user=user)
    with pytest.raises(DomainError, match="renew it instead"):
        reinstatement.reinstatement_start(certification=active, user=user)


def test_only_the_linked_account_starts_one(holder, make_user):
    certification = _expired(rules.GRACE_DAYS + 10, user=holder)
    with pytest.raises(DomainError, match="not linked"):
        reinstatement.reinstatement_start(certification=certification, user=make_user())


def test_ce_and_signature_are_required_before_the_fee(holder):
    certification = _expired(rules.GRACE_DAYS + 10, user=holder)
    application = reinstatement.reinstatement_start(certification=certification, user=holder)
    missing = reinstatement.reinstatement_missing(application)
    assert {"ce", "attestation_name"} <= set(missing)
    with pytest.raises(DomainError):
        reinstatement.reinstatement_request_fee(application=application, actor=holder)
    with pytest.raises(DomainError) as error:
        reinstatement.reinstatement_sign(
            application=application, actor=holder, attestation_name="Not Me"
        )
    assert error.value.field == "attestation_name"


def test_full_reinstatement_reactivates_for_a_new_cycle(
    holder, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    certification = _expired(rules.GRACE_DAYS + 10, user=holder)
    assert certification.status == rules.CertificationStatus.LAPSED
    complete_ce(certification)
    application = reinstatement.reinstatement_start(certification=certification, user=holder)
    application = reinstatement.reinstatement_sign(
        application=application, actor=holder, attestation_name=certification.provider.full_name
    )
    assert application.ce_records.exists()
    application = reinstatement.reinstatement_request_fee(application=application, actor=holder)
    assert application.status == S.FEE_DUE
    assert invoice_for(subject=application).fee_code == FeeCode.PROVIDER_REINSTATEMENT
    application = pay(application, holder)
    assert application.status == S.PAID
    reinstatement.reinstatement_submit(application=application, actor=holder)
    reinstatement.reinstatement_start_review(application=application, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        reinstatement.reinstatement_approve(application=application, actor=reviewer)
    application.refresh_from_db()
    certification.refresh_from_db()
    assert application.status == S.APPROVED
    assert certification.expires_on == rules.new_cycle_expiration(level="emt", starts_on=TODAY)
    assert application.previous_expires_on == TODAY - timedelta(days=rules.GRACE_DAYS + 10)
    assert certification.status == rules.CertificationStatus.ACTIVE
    assert "reinstated" in mailoutbox[-1].subject.lower()


def test_return_and_deny(holder, reviewer):
    from providers.models import IncompleteReason

    certification = _expired(rules.GRACE_DAYS + 10, user=holder)
    complete_ce(certification)
    application = reinstatement.reinstatement_start(certification=certification, user=holder)
    reinstatement.reinstatement_sign(
        application=application, actor=holder, attestation_name=certification.provider.full_name
    )
    with pytest.raises(DomainError, match="cannot move"):
        reinstatement.reinstatement_approve(application=application, actor=reviewer)
    reinstatement.reinstatement_request_fee(application=application, actor=holder)
    application = pay(application, holder)
    reinstatement.reinstatement_submit(application=application, actor=holder)
    reinstatement.reinstatement_start_review(application=application, actor=reviewer)
    reason = IncompleteReason.objects.create(code="ce-test", label="Missing CE")
    reinstatement.reinstatement_return_incomplete(
        application=application, actor=reviewer, reasons=[reason]
    )
    application.refresh_from_db()
    assert application.status == S.RETURNED
    reinstatement.reinstatement_resubmit(application=application, actor=holder)
    reinstatement.reinstatement_start_review(application=application, actor=reviewer)
    reinstatement.reinstatement_deny(application=application, actor=reviewer, note="No proof")
    application.refresh_from_db()
    certification.refresh_from_db()
    assert application.status == S.DENIED
    assert certification.status == rules.CertificationStatus.LAPSED


def test_the_review_queue_lists_each_application_with_its_provider(holder, staff_client):
    from django.urls import reverse

    certification = _expired(rules.GRACE_DAYS + 10, user=holder)
    certification.provider.last_name = "Quennell"
    certification.provider.save(update_fields=["last_name"])
    reinstatement.reinstatement_start(certification=certification, user=holder)
    client = staff_client(roles.LICENSING_REVIEWER)
    page = client.get(reverse("admin:providers_reinstatementapplication_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert certification.provider.full_name in html and certification.number in html
    sorted_by_name = client.get(
        reverse("admin:providers_reinstatementapplication_changelist"), {"o": "2"}
    )
    assert sorted_by_name.status_code == 200
