from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from core.transitions import status_timeline
from organizations import selectors, services
from organizations.models import (
    ApplicationKind,
    ApplicationStatus,
    ChiefReportStatus,
    CredentialType,
    OrganizationLinkPin,
    OrganizationPerson,
    Ownership,
    PersonRole,
    PrimaryServiceArea,
    PsaType,
    ServiceKind,
    ServiceLevel,
    Town,
)
from payments.models import FeeCode, Invoice, InvoiceStatus
from payments.services import invoice_mark_paid
from tests.uploads import PDF

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(org_admin):
    organization = OrganizationFactory()
    organization.administrators.add(org_admin)
    return organization


# --- PSAs ------------------------------------------------------------------------------------


def test_psa_assign_hands_the_town_over_and_keeps_history(reviewer):
    first, second = OrganizationFactory(), OrganizationFactory()
    hartford = Town.objects.get(name="Hartford")
    services.psa_assign(
        town=hartford,
        psa_type=PsaType.BLS,
        organization=first,
        effective_from=date(2020, 1, 1),
        actor=reviewer,
    )
    services.psa_assign(
        town="hartford",
        psa_type=PsaType.BLS,
        organization=second,
        effective_from=date(2024, 7, 1),
        actor=reviewer,
    )

    assert selectors.psa_holder(town=hartford, psa_type=PsaType.BLS, on=date(2019, 12, 31)) is None
    assert selectors.psa_holder(town=hartford, psa_type=PsaType.BLS, on=date(2024, 6, 30)) == first
    assert selectors.psa_holder(town=hartford, psa_type=PsaType.BLS, on=date(2024, 7, 1)) == second
    history = list(selectors.psa_history(town=hartford, psa_type=PsaType.BLS))
    assert [(row.organization, row.effective_until) for row in history] == [
        (first, date(2024, 7, 1)),
        (second, None),
    ]
    assert history[0].history.first().history_user == reviewer


def test_psa_effective_date_before_previous_holders_start_is_refused(reviewer):
    first, second = OrganizationFactory(), OrganizationFactory()
    services.psa_assign(
        town="Groton",
        psa_type=PsaType.ALS,
        organization=first,
        effective_from=date(2022, 5, 1),
        actor=reviewer,
    )
    with pytest.raises(DomainError) as error:
        services.psa_assign(
            town="Groton",
            psa_type=PsaType.ALS,
            organization=second,
            effective_from=date(2022, 4, 30),
            actor=reviewer,
        )
    assert error.value.field == "effective_from"
    assert "after May 1, 2022" in error.value.message
    assert PrimaryServiceArea.objects.get().effective_until is None  # nothing changed


def test_overlapping_psa_assignment_is_refused(reviewer):
    first, second = OrganizationFactory(), OrganizationFactory()
    assignment = services.psa_assign(
        town="Kent",
        psa_type=PsaType.BLS,
        organization=first,
        effective_from=date(2020, 1, 1),
        actor=reviewer,
    )
    services.psa_end(assignment=assignment, effective_until=date(2023, 1, 1), actor=reviewer)
    with pytest.raises(DomainError, match="overlaps"):
        services.psa_assign(
            town="Kent",
            psa_type=PsaType.BLS,
            organization=second,
            effective_from=date(2022, 6, 1),
            actor=reviewer,
        )
    assert PrimaryServiceArea.objects.count() == 1
    # After the end it is free again.
    services.psa_assign(
        town="Kent",
        psa_type=PsaType.BLS,
        organization=second,
        effective_from=date(2023, 1, 1),
        actor=reviewer,
    )


def test_same_holder_twice_is_refused(reviewer):
    first = OrganizationFactory()
    services.psa_assign(
        town="Kent",
        psa_type=PsaType.BLS,
        organization=first,
        effective_from=date(2020, 1, 1),
        actor=reviewer,
    )
    with pytest.raises(DomainError, match="already holds"):
        services.psa_assign(
            town="Kent",
            psa_type=PsaType.BLS,
            organization=first,
            effective_from=date(2021, 1, 1),
            actor=reviewer,
        )


def test_unknown_town_is_refused(reviewer):
    with pytest.raises(DomainError) as error:
        services.psa_assign(
            town="Springfield",
            psa_type=PsaType.BLS,
            organization=OrganizationFactory(),
            effective_from=date(2024, 1, 1),
            actor=reviewer,
        )
    assert error.value.field == "town"
    assert "no Connecticut town named “Springfield”" in error.value.message
    assert not PrimaryServiceArea.objects.exists()


def test_first_responder_service_cannot_hold_an_als_psa(reviewer):
    responder = OrganizationFactory(kind=ServiceKind.FIRST_RESPONDER, number="EFR-0100")
    with pytest.raises(DomainError, match="cannot hold"):
        services.psa_assign(
            town="Kent",
            psa_type=PsaType.ALS,
            organization=responder,
            effective_from=date(2024, 1, 1),
            actor=reviewer,
        )


# --- People and chief of service reports -------------------------------------------------------


def test_naming_a_new_ido_ends_the_previous_one(organization, org_admin):
    services.person_set(
        organization=organization,
        role=PersonRole.IDO,
        full_name="Ann Old",
        email="ann@example.org",
        actor=org_admin,
        since=date(2020, 1, 1),
    )
    services.person_set(
        organization=organization,
        role=PersonRole.IDO,
        full_name="Bo New",
        email="bo@example.org",
        actor=org_admin,
    )
    assert [p.full_name for p in selectors.ido_list()] == ["Bo New"]
    assert OrganizationPerson.objects.get(full_name="Ann Old").until == timezone.localdate()


def test_chief_of_service_is_not_set_directly(organization, org_admin):
    with pytest.raises(DomainError, match="letterhead"):
        services.person_set(
            organization=organization,
            role=PersonRole.CHIEF_OF_SERVICE,
            full_name="X",
            actor=org_admin,
        )


def _letterhead():
    return SimpleUploadedFile("notice.pdf", PDF, content_type="application/pdf")


def _report(organization, org_admin, effective):
    return services.chief_report_submit(
        organization=organization,
        reported_by=org_admin,
        new_chief_name="Dana Chief",
        new_chief_email="dana@example.org",
        effective_date=effective,
        letterhead=_letterhead(),
    )


def test_chief_report_due_date_and_late_flag(
    organization, org_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        on_time = _report(organization, org_admin, timezone.localdate())
    late = _report(organization, org_admin, timezone.localdate() - timedelta(days=30))
    assert on_time.due_on > on_time.effective_date and not on_time.is_late
    assert late.is_late
    assert list(selectors.chief_reports_late()) == [late]
    assert len(mailoutbox) == 1 and "Dana Chief" in mailoutbox[0].body


def test_chief_report_in_the_future_is_refused(organization, org_admin):
    with pytest.raises(DomainError) as error:
        _report(organization, org_admin, timezone.localdate() + timedelta(days=1))
    assert error.value.field == "effective_date"


def test_accepting_a_chief_report_replaces_the_chief(organization, org_admin, reviewer):
    OrganizationPerson.objects.create(
        organization=organization,
        role=PersonRole.CHIEF_OF_SERVICE,
        full_name="Old Chief",
        since=date(2019, 1, 1),
    )
    report = _report(organization, org_admin, timezone.localdate() - timedelta(days=3))
    services.chief_report_accept(report=report, actor=reviewer, note="Letter in order")
    report.refresh_from_db()
    assert report.status == ChiefReportStatus.ACCEPTED
    chiefs = OrganizationPerson.objects.filter(role=PersonRole.CHIEF_OF_SERVICE)
    assert chiefs.get(until__isnull=True).full_name == "Dana Chief"
    assert chiefs.get(full_name="Old Chief").until == report.effective_date
    timeline = status_timeline(report)
    assert (timeline[-1].old, timeline[-1].new, timeline[-1].actor) == (
        "submitted",
        "accepted",
        reviewer,
    )
    # Accepted is final: it cannot be returned afterwards.
    with pytest.raises(DomainError, match="cannot move"):
        services.chief_report_return(report=report, actor=reviewer, note="oops")


def test_returning_a_chief_report_needs_a_note_and_is_final(organization, org_admin, reviewer):
    report = _report(organization, org_admin, timezone.localdate())
    with pytest.raises(DomainError):
        services.chief_report_return(report=report, actor=reviewer, note=" ")
    services.chief_report_return(report=report, actor=reviewer, note="Not on letterhead")
    with pytest.raises(DomainError, match="cannot move"):
        services.chief_report_accept(report=report, actor=reviewer)
    assert not OrganizationPerson.objects.filter(role=PersonRole.CHIEF_OF_SERVICE).exists()


# --- Account linking and transfer --------------------------------------------------------------


def _pin_from(mail) -> str:
    import re

    return re.search(r"PIN is: (\d{6})", mail.body).group(1)


def test_link_with_the_emailed_pin(make_user, mailoutbox, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(number="AMB-0777", email="office@amb777.example.org")
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_link_request(user=user, number="amb-0777")
    assert mailoutbox[0].to == ["office@amb777.example.org"]
    pin = _pin_from(mailoutbox[0])
    assert pin not in OrganizationLinkPin.objects.get().pin_hash
    services.organization_link_confirm(user=user, number="AMB-0777", pin=pin)
    assert selectors.user_administers(user=user, organization=organization)
    assert user.has_role(roles.ORGANIZATION_ADMINISTRATOR)

    with pytest.raises(DomainError, match="already been used"):
        services.organization_link_confirm(user=user, number="AMB-0777", pin=pin)


def test_expired_pin_is_refused(make_user, mailoutbox, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(number="AMB-0778")
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_link_request(user=user, number="AMB-0778")
    OrganizationLinkPin.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError, match="expired") as error:
        services.organization_link_confirm(
            user=user, number="AMB-0778", pin=_pin_from(mailoutbox[0])
        )
    assert error.value.field == "pin"
    assert not selectors.user_administers(user=user, organization=organization)


def test_wrong_pin_counts_and_too_many_tries_spend_it(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    OrganizationFactory(number="AMB-0779")
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_link_request(user=user, number="AMB-0779")
    pin = _pin_from(mailoutbox[0])
    wrong = "000000" if pin != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(DomainError, match="not correct"):
            services.organization_link_confirm(user=user, number="AMB-0779", pin=wrong)
    with pytest.raises(DomainError, match="expired"):
        services.organization_link_confirm(user=user, number="AMB-0779", pin=pin)


def test_another_users_pin_does_not_work(make_user, mailoutbox, django_capture_on_commit_callbacks):
    OrganizationFactory(number="AMB-0780")
    asker, other = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_link_request(user=asker, number="AMB-0780")
    with pytest.raises(DomainError, match="Ask for a PIN first"):
        services.organization_link_confirm(
            user=other, number="AMB-0780", pin=_pin_from(mailoutbox[0])
        )


def test_unknown_number_is_refused(make_user):
    with pytest.raises(DomainError) as error:
        services.organization_link_request(user=make_user(), number="AMB-4040")
    assert error.value.field == "number"


def test_transfer_administration(
    organization, org_admin, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    successor = make_user("next@org.example.org")
    with pytest.raises(DomainError) as error:
        services.organization_administrator_transfer(
            organization=organization, actor=org_admin, to_email="nobody@example.org"
        )
    assert error.value.field == "email"
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_administrator_transfer(
            organization=organization, actor=org_admin, to_email="NEXT@org.example.org"
        )
    assert list(organization.administrators.all()) == [successor]
    assert successor.has_role(roles.ORGANIZATION_ADMINISTRATOR)
    assert len(mailoutbox) == 1
    with pytest.raises(DomainError):
        services.organization_administrator_transfer(
            organization=organization, actor=org_admin, to_email="next@org.example.org"
        )


# --- Applications ------------------------------------------------------------------------------


def _new_org_application(applicant, **overrides):
    fields = {
        "legal_name": "Harbor Paramedics LLC",
        "service_kind": ServiceKind.AMBULANCE,
        "ownership": Ownership.VOLUNTEER,
        "email": "office@harbor.example.org",
        "street": "1 Harbor Way",
        "city": "New London",
        "requested_level": ServiceLevel.PARAMEDIC,
        "requested_psa_type": PsaType.ALS,
    }
    fields.update(overrides)
    return services.application_create(
        kind=ApplicationKind.NEW_ORGANIZATION,
        applicant=applicant,
        requested_towns=list(Town.objects.filter(name__in=["New London", "Groton"])),
        **fields,
    )


def test_every_application_transition_with_audit(
    make_user, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = make_user("founder@harbor.example.org")
    application = _new_org_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=applicant)
        services.application_start_review(application=application, actor=reviewer)
        services.application_return(
            application=application, actor=reviewer, reason="Attach the insurance certificate."
        )
        services.application_resubmit(application=application, actor=applicant)
        services.application_start_review(application=application, actor=reviewer)
        services.application_approve(application=application, actor=reviewer)
    application.refresh_from_db()
    timeline = [(entry.old, entry.new, entry.actor) for entry in status_timeline(application)]
    assert timeline == [
        (None, "draft", applicant),
        ("draft", "submitted", applicant),
        ("submitted", "in_review", reviewer),
        ("in_review", "returned", reviewer),
        ("returned", "submitted", applicant),
        ("submitted", "in_review", reviewer),
        ("in_review", "approved", reviewer),
    ]
    assert len(mailoutbox) == 6
    assert "Attach the insurance certificate." in mailoutbox[2].body
    organization = application.organization
    assert organization.number.startswith("AMB-")
    assert organization.credential_type == CredentialType.CERTIFICATE
    assert organization.renewal_quarter and organization.renewal_due_on
    assert selectors.user_administers(user=applicant, organization=organization)
    tomorrow = timezone.localdate() + timedelta(days=1)
    groton = Town.objects.get(name="Groton")
    assert selectors.psa_holder(town=groton, psa_type=PsaType.ALS, on=tomorrow) == organization


def test_refused_application_transitions(make_user, reviewer):
    applicant = make_user()
    application = _new_org_application(applicant)
    with pytest.raises(DomainError, match="cannot move"):
        services.application_start_review(application=application, actor=reviewer)
    with pytest.raises(DomainError, match="cannot move"):
        services.application_approve(application=application, actor=reviewer)
    services.application_submit(application=application, actor=applicant)
    with pytest.raises(DomainError, match="cannot move"):
        services.application_deny(application=application, actor=reviewer, reason="No")
    services.application_start_review(application=application, actor=reviewer)
    with pytest.raises(DomainError, match="Only an application returned"):
        services.application_resubmit(application=application, actor=applicant)
    with pytest.raises(DomainError):
        services.application_return(application=application, actor=reviewer, reason="")
    services.application_deny(application=application, actor=reviewer, reason="No insurance.")
    for attempt in (services.application_approve, services.application_start_review):
        with pytest.raises(DomainError, match="cannot move"):
            attempt(application=application, actor=reviewer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DENIED
    assert application.organization is None


def test_incomplete_application_is_not_submitted(make_user):
    applicant = make_user()
    application = services.application_create(
        kind=ApplicationKind.NEW_ORGANIZATION, applicant=applicant, legal_name="Half Done"
    )
    with pytest.raises(DomainError) as error:
        services.application_submit(application=application, actor=applicant)
    assert error.value.field == "service_kind"
    problems = services.application_problems(application)
    assert {"ownership", "email", "requested_level"} <= set(problems)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.legal_name == "Half Done"


def test_change_of_services_applies_level_and_towns(organization, org_admin, reviewer):
    organization.highest_level = ServiceLevel.BLS
    organization.save()
    application = services.application_create(
        kind=ApplicationKind.CHANGE_OF_SERVICES,
        applicant=org_admin,
        organization=organization,
        requested_level=ServiceLevel.PARAMEDIC,
        requested_psa_type=PsaType.BLS,
        requested_towns=[Town.objects.get(name="Bolton")],
        description="ALS upgrade",
    )
    services.application_submit(application=application, actor=org_admin)
    services.application_start_review(application=application, actor=reviewer)
    services.application_approve(application=application, actor=reviewer)
    organization.refresh_from_db()
    assert organization.highest_level == ServiceLevel.PARAMEDIC
    assert PrimaryServiceArea.objects.get(organization=organization).town.name == "Bolton"


def test_only_an_administrator_applies_for_an_organization(organization, make_user):
    with pytest.raises(DomainError):
        services.application_create(
            kind=ApplicationKind.RENEWAL, applicant=make_user(), organization=organization
        )


def test_license_renewal_charges_the_fee_and_payment_moves_it_on(
    organization, org_admin, reviewer, django_capture_on_commit_callbacks
):
    organization.renewal_due_on = date(2026, 12, 31)
    organization.save()
    application = services.application_create(
        kind=ApplicationKind.RENEWAL, applicant=org_admin, organization=organization
    )
    services.application_submit(application=application, actor=org_admin)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FEE_DUE
    invoice = Invoice.objects.get()
    assert (invoice.fee_code, invoice.payer, invoice.status) == (
        FeeCode.ORGANIZATION_LICENSE,
        org_admin,
        InvoiceStatus.OPEN,
    )
    with pytest.raises(DomainError, match="cannot move"):
        services.application_start_review(application=application, actor=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        invoice_mark_paid(invoice=invoice, actor=org_admin)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.complete_at
    services.application_start_review(application=application, actor=reviewer)
    services.application_approve(application=application, actor=reviewer)
    organization.refresh_from_db()
    assert organization.renewal_due_on == date(2027, 12, 31)


def test_certificate_renewal_is_free_and_renews_to_the_quarter(make_user, reviewer):
    applicant = make_user()
    organization = OrganizationFactory(
        ownership=Ownership.VOLUNTEER,
        credential_type=CredentialType.CERTIFICATE,
        renewal_quarter=2,
        renewal_due_on=date(2026, 6, 30),
    )
    organization.administrators.add(applicant)
    application = services.application_create(
        kind=ApplicationKind.RENEWAL, applicant=applicant, organization=organization
    )
    application = services.application_submit(application=application, actor=applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Invoice.objects.exists()
    with pytest.raises(DomainError, match="already open"):
        services.application_create(
            kind=ApplicationKind.RENEWAL, applicant=applicant, organization=organization
        )
    services.application_start_review(application=application, actor=reviewer)
    services.application_approve(application=application, actor=reviewer)
    organization.refresh_from_db()
    assert organization.renewal_due_on == date(2027, 6, 30)
