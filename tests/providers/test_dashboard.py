"""The dashboard leads with the next step (providers.dashboard_selectors): for each
certification its status, "Renew by" and what is missing while the renewal window is open, one
button that continues where the person left off; every application in progress, of every kind,
with its status and clock; nothing offered that no longer applies."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from organizations.models import ApplicationKind
from organizations.services import application_create
from providers import rules, services
from providers.applications import reinstatement
from providers.dashboard_selectors import dashboard_for
from providers.models import ApplicationStatus, Credential, CredentialKind, RenewalStep
from tests.education.factories import approved_course, filled_initial, make_institution
from tests.rates.factories import OrganizationFactory, RateYearFactory, filing

from .factories import complete_ce, filled_application, make_certification, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(make_user):
    return make_user("dash@example.com", role=roles.PROVIDER)


def _certification(applicant, **fields):
    return make_certification(user=applicant, first_name="Dana", last_name="Board", **fields)


def _only(dashboard):
    [step] = dashboard.certifications
    return step


def test_without_a_certification_the_dashboard_offers_linking_and_a_first_certification(
    client, applicant
):
    dashboard = dashboard_for(user=applicant)
    assert dashboard.provider is None and not dashboard.in_progress and not dashboard.next_steps
    client.force_login(applicant)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("providers:link") in body and reverse("providers:initial-home") in body
    assert 'data-testid="in-progress"' not in body


def test_an_open_window_says_renew_by_what_is_missing_and_offers_one_renew_button(
    client, applicant
):
    certification = _certification(applicant, expires_in=45)
    step = _only(dashboard_for(user=applicant))
    assert step.renew_by == certification.expires_on
    assert any("CE hours, national" in item for item in step.missing)
    assert any("Step A" in item for item in step.missing)
    assert any(item.startswith("The renewal fee ($") for item in step.missing)
    assert step.action.post
    assert step.action.url == reverse("providers:renewal-start", args=[certification.number])
    client.force_login(applicant)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert f"Renew by {certification.expires_on:%B} {certification.expires_on.day}" in body
    assert body.count(f"Renew {certification.number}</button>") == 1
    # CE recorded: the hours leave the list, Step A and the fee stay.
    complete_ce(certification)
    missing = _only(dashboard_for(user=applicant)).missing
    assert not any("CE hours" in item for item in missing)
    assert any("Step A" in item for item in missing)


def test_in_grace_the_date_to_renew_by_is_the_end_of_the_grace_period(applicant):
    certification = _certification(applicant, expires_in=-10)
    step = _only(dashboard_for(user=applicant))
    assert step.renew_by == rules.grace_end(certification.expires_on)
    assert step.action.label == f"Renew {certification.number}"


def test_outside_the_window_no_renew_button_and_the_service_refuses(client, applicant):
    certification = _certification(applicant, expires_in=rules.RENEWAL_OPENS_DAYS_BEFORE + 20)
    step = _only(dashboard_for(user=applicant))
    assert step.action is None and step.renew_by is None and not step.missing
    assert "Renewal opens on" in step.note
    with pytest.raises(DomainError, match="opens on"):
        services.renewal_start(certification=certification, user=applicant)
    client.force_login(applicant)
    for name in ("core:dashboard", "providers:home"):
        body = client.get(reverse(name)).content.decode()
        assert reverse("providers:renewal-start", args=[certification.number]) not in body


def test_a_renewal_draft_continues_at_the_step_the_person_stopped_at(client, applicant):
    certification = _certification(applicant)
    application = services.renewal_start(certification=certification, user=applicant)
    complete_ce(certification)
    data = {
        RenewalStep.NREMT: {"nremt_number": "M7654321", "nremt_attest": True},
        RenewalStep.DETAILS: {
            "email": applicant.email,
            "phone": "",
            "address_line1": "1 Main St",
            "city": "Hartford",
            "state": "CT",
            "postal_code": "06106",
        },
        RenewalStep.CE: {"ce": True},
    }
    client.force_login(applicant)
    for step in [RenewalStep.NREMT, RenewalStep.DETAILS, RenewalStep.CE, RenewalStep.ATTEST]:
        application.refresh_from_db()
        assert application.step == step
        next_step = _only(dashboard_for(user=applicant))
        url = reverse("providers:renewal-step", args=[application.pk, step])
        assert next_step.action.url == url and not next_step.action.post
        assert RenewalStep(step).label in next_step.action.label
        assert f'href="{url}"' in client.get(reverse("core:dashboard")).content.decode()
        if step in data:
            services.renewal_save_step(
                application=application, actor=applicant, step=step, data=data[step]
            )
    # Step A attested: it is no longer missing.
    assert not any("Step A" in item for item in next_step.missing)
    [row] = dashboard_for(user=applicant).in_progress
    assert (row.kind, row.status_label, row.clock) == ("Renewal", "Draft", None)


def test_fee_due_then_paid_then_submitted_each_has_its_next_step_and_the_clock(
    client, applicant, django_capture_on_commit_callbacks
):
    certification = _certification(applicant)
    application = filled_application(certification, applicant)
    services.renewal_request_fee(application=application, actor=applicant)
    step = _only(dashboard_for(user=applicant))
    assert step.action.url.startswith("/payments/") and step.action.label.startswith("Pay the fee")
    assert any("due" in item for item in step.missing if "fee" in item)

    with django_capture_on_commit_callbacks(execute=True):
        pay(application, applicant)
    step = _only(dashboard_for(user=applicant))
    assert step.action.label == "Submit the application"
    assert step.action.url == application.get_absolute_url()

    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_submit(application=application, actor=applicant)
    application.refresh_from_db()
    dashboard = dashboard_for(user=applicant)
    step = _only(dashboard)
    assert step.action is None and step.note == "Renewal submitted."
    assert not dashboard.next_steps
    [row] = dashboard.in_progress
    window = rules.processing_window(application.complete_on)
    assert (row.clock.earliest, row.clock.latest) == (window.earliest, window.latest)
    client.force_login(applicant)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Expect a decision between" in body
    assert reverse("providers:renewal-start", args=[certification.number]) not in body


def _submitted(applicant, capture):
    application = filled_application(_certification(applicant), applicant)
    services.renewal_request_fee(application=application, actor=applicant)
    with capture(execute=True):
        pay(application, applicant)
    with capture(execute=True):
        services.renewal_submit(application=application, actor=applicant)
    application.refresh_from_db()
    return application


def test_a_returned_renewal_asks_to_fix_and_resubmit_from_the_first_step(
    applicant, reviewer, django_capture_on_commit_callbacks
):
    application = _submitted(applicant, django_capture_on_commit_callbacks)
    services.renewal_start_review(application=application, actor=reviewer)
    reason = services.incomplete_reasons_active().first()
    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_return_incomplete(
            application=application, actor=reviewer, reasons=[reason], note=""
        )
    step = _only(dashboard_for(user=applicant))
    assert step.action.label.startswith("Fix and resubmit")
    assert step.action.url == reverse("providers:renewal-step", args=[application.pk, "nremt"])
    assert reason.label in step.warning


def test_a_decided_renewal_leaves_no_clock_no_button_and_no_row_in_progress(
    client, applicant, reviewer, django_capture_on_commit_callbacks
):
    application = _submitted(applicant, django_capture_on_commit_callbacks)
    services.renewal_start_review(application=application, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_approve(application=application, actor=reviewer)
    dashboard = dashboard_for(user=applicant)
    step = _only(dashboard)
    assert not dashboard.in_progress and step.action is None and step.renew_by is None
    assert step.note.startswith("Last renewal approved on")
    client.force_login(applicant)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="decision-clock"' not in detail and "expect a decision" not in detail
    # The status history reads in labels, never in codes.
    assert "Fee due" in detail and "fee_due" not in detail and "in_review" not in detail


def test_a_submitted_application_page_shows_the_clock_until_decided(
    client, applicant, django_capture_on_commit_callbacks
):
    application = _submitted(applicant, django_capture_on_commit_callbacks)
    client.force_login(applicant)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="decision-clock"' in detail and "expect a decision between" in detail
    assert "Paid — ready to submit" in detail and "paid —" not in detail


def test_an_initial_application_in_progress_is_listed_with_its_next_step(
    client, applicant, make_user, reviewer
):
    course = approved_course(make_institution(make_user), reviewer)
    application = filled_initial(applicant, course=course)
    [row] = dashboard_for(user=applicant).in_progress
    assert row.kind == "First certification" and row.status_label == "Draft"
    assert row.action.url == reverse("providers:initial-edit", args=[application.pk])
    client.force_login(applicant)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert application.get_absolute_url() in body and "First certification" in body


def test_a_lapsed_certification_offers_reinstatement_then_lists_it(applicant):
    certification = _certification(applicant, expires_in=-(rules.GRACE_DAYS + 10))
    step = _only(dashboard_for(user=applicant))
    assert step.action.url == reverse("providers:reinstatement-start", args=[certification.number])
    reinstatement.reinstatement_start(certification=certification, user=applicant)
    [row] = dashboard_for(user=applicant).in_progress
    assert row.kind == "Reinstatement" and row.subject.endswith(certification.number)
    assert row.status_label == ApplicationStatus.DRAFT.label


def _pretend_today(monkeypatch, day):
    """Pages and services read today's date from ``timezone.localdate()``: make it ``day``."""
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *args: real(value, *args) if value else day
    )


def test_renew_credential_is_offered_in_its_window_and_gone_once_submitted_or_decided(
    client, applicant, reviewer, monkeypatch
):
    certification = _certification(applicant, expires_in=300)
    # A credential expiring next March: its deadline is January 31; a month before, it is open.
    expires_on = date(timezone.localdate().year + 1, 3, 31)
    credential = Credential.objects.create(
        provider=certification.provider,
        kind=CredentialKind.INSTRUCTOR,
        number="IC-DASH",
        underlying=certification,
        issued_on=expires_on - timedelta(days=730),
        expires_on=expires_on,
    )
    _pretend_today(monkeypatch, credential.deadline - timedelta(days=30))
    assert (
        dashboard_for(
            user=applicant, today=rules.credential_renewal_opens_on(expires_on) - timedelta(days=1)
        )
        .credentials[0]
        .note.startswith("Renewal opens on")
    )
    renew_url = reverse("providers:credential-renew", args=[credential.pk])
    [step] = dashboard_for(user=applicant).credentials
    assert step.action.url == renew_url and step.renew_by == credential.deadline
    client.force_login(applicant)
    assert renew_url in client.get(reverse("providers:home")).content.decode()

    client.post(renew_url)
    dashboard = dashboard_for(user=applicant)
    assert dashboard.credentials[0].action is None
    [row] = dashboard.in_progress
    assert row.kind == "Credential renewal" and row.status_label == "Ready for decision"
    for name in ("core:dashboard", "providers:home"):
        assert renew_url not in client.get(reverse(name)).content.decode()

    renewal = credential.renewals.get()
    services.credential_renewal_deny(renewal=renewal, actor=reviewer, reason="Late CE")
    dashboard = dashboard_for(user=applicant)
    assert dashboard.credentials[0].action is None and not dashboard.in_progress
    assert dashboard.credentials[0].note == "Renewal denied."
    with pytest.raises(DomainError, match="denied"):
        services.credential_renewal_submit(credential=credential, actor=applicant)
    assert renew_url not in client.get(reverse("providers:home")).content.decode()


def test_organization_applications_and_rate_filings_in_progress_are_listed(
    client, org_admin, make_user
):
    organization = OrganizationFactory(administrators=[org_admin])
    application = application_create(
        kind=ApplicationKind.RENEWAL, applicant=org_admin, organization=organization
    )
    rate_filing = filing(organization, RateYearFactory(year=2024), status="submitted")
    rows = {row.kind: row for row in dashboard_for(user=org_admin).in_progress}
    org_row = rows[application.get_kind_display()]
    assert org_row.reference == application.reference and org_row.status_label == "Draft"
    assert org_row.action.url == application.get_absolute_url()
    filing_row = rows["Rate filing 2024"]
    assert filing_row.url == reverse("rates:filing-detail", args=[rate_filing.pk])
    assert filing_row.action is None
    client.force_login(org_admin)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert application.reference in body and "Rate filing 2024" in body
    # Someone else sees none of it.
    assert not dashboard_for(user=make_user()).in_progress
