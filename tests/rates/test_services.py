"""Every transition of a rate year and a rate filing, allowed and refused, with its audit row
and its on-commit email."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from core.transitions import status_timeline
from rates import services
from rates.models import (
    Decision,
    ExpenseCategory,
    FilingForm,
    FilingStatus,
    FinancialKind,
    Payer,
    RateInvitation,
    RateSchedule,
    RateYearStatus,
    ScheduleKind,
)
from rates.services import RateRequestError

from .factories import OrganizationFactory, RateYearFactory, approved_schedule, filing

pytestmark = pytest.mark.django_db

WITHIN_CAP = {
    "bls-emergency": Decimal("834.40"),
    "als1-emergency": Decimal("1043.00"),
    "mileage": Decimal("15.65"),
}


def submitted_short_form(organization, season, org_admin, requested=WITHIN_CAP):
    short = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.SHORT, actor=org_admin
    )
    services.short_form_save(filing=short, requested=requested, actor=org_admin)
    return services.filing_submit(filing=short, actor=org_admin)


def complete_long_form(organization, season, org_admin, requested=None):
    long = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.LONG, actor=org_admin
    )
    services.long_form_save(
        filing=long,
        requested=requested or {"bls-emergency": Decimal("950.00"), "als2": Decimal("1500.00")},
        financials={
            (FinancialKind.REVENUE, Payer.MEDICARE): Decimal("400000"),
            (FinancialKind.EXPENSE, ExpenseCategory.PERSONNEL): Decimal("650000"),
        },
        operating={
            "fiscal_year_end": date(2023, 6, 30),
            "emergency_responses": 3200,
            "non_emergency_transports": 800,
            "unit_hours": 26000,
            "justification": "Wages rose 12%.",
        },
        actor=org_admin,
    )
    return services.filing_submit(filing=long, actor=org_admin)


# Filing season ---------------------------------------------------------------------------------


def test_opening_a_season_invites_each_holder_of_last_years_schedule_once(
    organization, analyst, mailoutbox, django_capture_on_commit_callbacks
):
    other_holder = OrganizationFactory()
    approved_schedule(other_holder, 2023, {}, kind=ScheduleKind.NON_CHARGING)
    OrganizationFactory()  # no 2023 schedule: not invited
    season = RateYearFactory(year=2024, status=RateYearStatus.PLANNED)

    with django_capture_on_commit_callbacks(execute=True):
        services.rate_year_open(rate_year=season, actor=analyst)

    season.refresh_from_db()
    assert season.status == RateYearStatus.OPEN and season.opened_at
    assert set(RateInvitation.objects.values_list("organization", flat=True)) == {
        organization.pk,
        other_holder.pk,
    }
    assert len(mailoutbox) == 2
    assert "4.3% CPI" in mailoutbox[0].body
    assert status_timeline(season)[-1].actor == analyst

    # the job re-run (a retry, a second worker) sends nothing twice
    from rates.tasks import send_season_invitations

    assert send_season_invitations.delay(season.pk).get() == 0
    assert len(mailoutbox) == 2
    # opening again changes nothing and invites nobody again
    with django_capture_on_commit_callbacks(execute=True):
        services.rate_year_open(rate_year=season, actor=analyst)
    assert len(mailoutbox) == 2


def test_only_rates_staff_open_a_season(org_admin):
    season = RateYearFactory(year=2024, status=RateYearStatus.PLANNED)
    with pytest.raises(DomainError, match="rates analysts"):
        services.rate_year_open(rate_year=season, actor=org_admin)


def test_closing_a_season_and_refusing_a_planned_one_to_close(analyst):
    planned = RateYearFactory(year=2025, status=RateYearStatus.PLANNED)
    with pytest.raises(DomainError, match="cannot move"):
        services.rate_year_close(rate_year=planned, actor=analyst)
    season = RateYearFactory(year=2024)
    services.rate_year_close(rate_year=season, actor=analyst)
    assert season.__class__.objects.get(pk=season.pk).status == RateYearStatus.CLOSED


def test_reminders_go_to_invited_organizations_that_have_not_filed_once_a_day(
    organization, org_admin, season, mailoutbox
):
    filed = OrganizationFactory(administrators=[org_admin])
    approved_schedule(filed, 2023, {"bls-emergency": "700.00"})
    for each in (organization, filed):
        RateInvitation.objects.create(year=season, organization=each)
    submitted_short_form(filed, season, org_admin, {"bls-emergency": Decimal("700.00")})
    mailoutbox.clear()

    from rates.tasks import send_filing_reminders

    assert send_filing_reminders.delay(season.pk).get() == 1
    assert send_filing_reminders.delay(season.pk).get() == 0
    assert len(mailoutbox) == 1
    assert organization.email in mailoutbox[0].to
    assert "Reminder" in mailoutbox[0].subject


# Short Form ------------------------------------------------------------------------------------


def test_short_form_within_cap_is_submitted_and_approved_into_a_schedule(
    organization, org_admin, season, analyst, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        short = submitted_short_form(organization, season, org_admin)
    assert short.status == FilingStatus.SUBMITTED and short.submitted_at
    assert mailoutbox[-1].subject.endswith("submitted, awaiting review")
    line = short.lines.get(category__code="mileage")
    assert (line.prior_amount, line.cap, line.requested_amount) == (
        Decimal("15.00"),
        Decimal("15.65"),
        Decimal("15.65"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.filing_approve(filing=short, actor=analyst)
    short.refresh_from_db()
    assert short.status == FilingStatus.APPROVED
    assert short.decision == Decision.WITHIN_CAP and short.decided_by == analyst
    schedule = RateSchedule.objects.get(organization=organization, year=season)
    assert schedule.kind == ScheduleKind.CHARGING and schedule.source_filing == short
    assert {line.category.code: line.amount for line in schedule.lines.all()} == WITHIN_CAP
    timeline = status_timeline(short)
    assert [(entry.old, entry.new) for entry in timeline] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]
    assert timeline[-1].actor == analyst
    assert "approved" in mailoutbox[-1].subject


def test_a_request_above_the_cap_is_refused_and_nothing_is_saved(organization, org_admin, season):
    short = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.SHORT, actor=org_admin
    )
    with pytest.raises(RateRequestError) as refused:
        services.short_form_save(
            filing=short, requested={**WITHIN_CAP, "mileage": Decimal("15.66")}, actor=org_admin
        )
    assert list(refused.value.errors) == ["rate_mileage"]
    assert "Long Form" in refused.value.errors["rate_mileage"]
    assert short.lines.count() == 0  # the valid rates were not saved either


def test_a_new_category_on_the_short_form_needs_the_long_form(organization, org_admin, season):
    short = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.SHORT, actor=org_admin
    )
    with pytest.raises(RateRequestError) as refused:
        services.short_form_save(
            filing=short, requested={**WITHIN_CAP, "als2": Decimal("1.00")}, actor=org_admin
        )
    assert "no approved rate last year" in refused.value.errors["rate_als2"]


def test_the_short_form_needs_last_years_rates(org_admin, season):
    newcomer = OrganizationFactory(administrators=[org_admin])
    with pytest.raises(DomainError, match="Long Form"):
        services.filing_start(
            organization=newcomer, rate_year=season, form=FilingForm.SHORT, actor=org_admin
        )


def test_submitting_an_incomplete_short_form_names_the_missing_rate(
    organization, org_admin, season
):
    short = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.SHORT, actor=org_admin
    )
    services.short_form_save(
        filing=short, requested={"bls-emergency": Decimal("800")}, actor=org_admin
    )
    with pytest.raises(RateRequestError) as refused:
        services.filing_submit(filing=short, actor=org_admin)
    assert set(refused.value.errors) == {"rate_als1-emergency", "rate_mileage"}
    short.refresh_from_db()
    assert short.status == FilingStatus.DRAFT


def test_submitting_twice_acts_once(
    organization, org_admin, season, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        short = submitted_short_form(organization, season, org_admin)
        services.filing_submit(filing=short, actor=org_admin)
    assert len(mailoutbox) == 1
    assert short.history.filter(status=FilingStatus.SUBMITTED).count() == 1


def test_another_organizations_administrator_cannot_file(organization, season, make_user):
    stranger = make_user("other@example.com")
    with pytest.raises(DomainError, match="administrators"):
        services.filing_start(
            organization=organization, rate_year=season, form=FilingForm.SHORT, actor=stranger
        )
    own = filing(organization, season)
    with pytest.raises(DomainError, match="administrators"):
        services.short_form_save(filing=own, requested=WITHIN_CAP, actor=stranger)


def test_filing_is_refused_when_the_season_is_not_open(organization, org_admin):
    closed = RateYearFactory(year=2024, status=RateYearStatus.CLOSED)
    with pytest.raises(DomainError, match="not open"):
        services.filing_start(
            organization=organization, rate_year=closed, form=FilingForm.SHORT, actor=org_admin
        )


def test_a_submitted_filing_cannot_be_edited(organization, org_admin, season):
    short = submitted_short_form(organization, season, org_admin)
    with pytest.raises(DomainError, match="cannot change"):
        services.short_form_save(filing=short, requested=WITHIN_CAP, actor=org_admin)


def test_request_information_then_resubmit_then_approve(
    organization, org_admin, season, analyst, mailoutbox, django_capture_on_commit_callbacks
):
    short = submitted_short_form(organization, season, org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_request_information(
            filing=short, actor=analyst, message="Confirm your mileage rate."
        )
    short.refresh_from_db()
    assert short.status == FilingStatus.INFORMATION_REQUESTED
    assert "Confirm your mileage rate." in mailoutbox[-1].body
    services.short_form_save(
        filing=short, requested={**WITHIN_CAP, "mileage": Decimal("15.50")}, actor=org_admin
    )
    services.filing_submit(filing=short, actor=org_admin)
    services.filing_approve(filing=short, actor=analyst)
    assert RateSchedule.objects.get(year=season).lines.get(
        category__code="mileage"
    ).amount == Decimal("15.50")


def test_request_information_needs_a_message_and_a_submitted_filing(
    organization, org_admin, season, analyst
):
    draft = filing(organization, season)
    with pytest.raises(DomainError, match="information is needed"):
        services.filing_request_information(filing=draft, actor=analyst, message=" ")
    with pytest.raises(DomainError, match="cannot move"):
        services.filing_request_information(filing=draft, actor=analyst, message="More please")


def test_decisions_are_refused_on_a_draft_and_for_non_staff(
    organization, org_admin, season, analyst
):
    draft = filing(organization, season)
    with pytest.raises(DomainError, match="Only a submitted filing"):
        services.filing_approve(filing=draft, actor=analyst)
    with pytest.raises(DomainError, match="Only a submitted filing"):
        services.filing_deny(filing=draft, actor=analyst, reason="No")
    short = submitted_short_form(organization, season, org_admin)
    with pytest.raises(DomainError, match="rates analysts"):
        services.filing_approve(filing=short, actor=org_admin)


def test_approving_twice_writes_one_schedule(organization, org_admin, season, analyst):
    short = submitted_short_form(organization, season, org_admin)
    services.filing_approve(filing=short, actor=analyst)
    services.filing_approve(filing=short, actor=analyst)
    assert RateSchedule.objects.filter(year=season).count() == 1


def test_an_approved_filing_cannot_then_be_denied(organization, org_admin, season, analyst):
    short = submitted_short_form(organization, season, org_admin)
    services.filing_approve(filing=short, actor=analyst)
    with pytest.raises(DomainError):
        services.filing_deny(filing=short, actor=analyst, reason="Changed my mind")


# Full Rate Application -------------------------------------------------------------------------


def test_long_form_missing_financial_detail_is_not_submitted(organization, org_admin, season):
    long = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.LONG, actor=org_admin
    )
    services.long_form_save(
        filing=long,
        requested={"als2": Decimal("1500")},
        financials={},
        operating={},
        actor=org_admin,
    )
    with pytest.raises(RateRequestError) as refused:
        services.filing_submit(filing=long, actor=org_admin)
    assert {
        "fiscal_year_end",
        "emergency_responses",
        "unit_hours",
        "revenue",
        "expense",
        "justification",
    } <= set(refused.value.errors)


def test_long_form_approved_as_asked(organization, org_admin, season, analyst):
    long = complete_long_form(organization, season, org_admin)
    services.filing_approve(filing=long, actor=analyst, note="Costs documented.")
    long.refresh_from_db()
    assert long.decision == Decision.AS_ASKED and long.decision_note == "Costs documented."
    amounts = {
        line.category.code: line.amount
        for line in RateSchedule.objects.get(year=season).lines.all()
    }
    assert amounts == {"bls-emergency": Decimal("950.00"), "als2": Decimal("1500.00")}


def test_long_form_approved_at_other_rates(organization, org_admin, season, analyst):
    long = complete_long_form(organization, season, org_admin)
    with pytest.raises(DomainError, match="Say why"):
        services.filing_approve_other_rates(
            filing=long, actor=analyst, note="", rates={"bls-emergency": Decimal("900")}
        )
    services.filing_approve_other_rates(
        filing=long,
        actor=analyst,
        note="Wage data supports 900.",
        rates={"bls-emergency": Decimal("900"), "als2": None},
    )
    long.refresh_from_db()
    assert long.status == FilingStatus.APPROVED and long.decision == Decision.OTHER_RATES
    amounts = {
        line.category.code: line.amount
        for line in RateSchedule.objects.get(year=season).lines.all()
    }
    assert amounts == {"bls-emergency": Decimal("900.00")}
    assert status_timeline(long)[-1].reason == "Wage data supports 900."


def test_other_rates_only_for_the_long_form(organization, org_admin, season, analyst):
    short = submitted_short_form(organization, season, org_admin)
    with pytest.raises(DomainError, match="Full Rate Application"):
        services.filing_approve_other_rates(
            filing=short, actor=analyst, note="x", rates={"mileage": Decimal("1")}
        )


def test_long_form_denied_with_a_reason(
    organization, org_admin, season, analyst, mailoutbox, django_capture_on_commit_callbacks
):
    long = complete_long_form(organization, season, org_admin)
    with pytest.raises(DomainError, match="why"):
        services.filing_deny(filing=long, actor=analyst, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_deny(filing=long, actor=analyst, reason="Costs not documented.")
    long.refresh_from_db()
    assert long.status == FilingStatus.DENIED and long.decision == Decision.DENIED
    assert not RateSchedule.objects.filter(year=season).exists()
    assert "Costs not documented." in mailoutbox[-1].body


def test_attachments_are_checked(organization, org_admin, season):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.uploads import PDF

    long = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.LONG, actor=org_admin
    )
    with pytest.raises(DomainError, match="must be a PDF, PNG or JPEG"):
        services.filing_attach(
            filing=long,
            file=SimpleUploadedFile("x.exe", b"MZ"),
            description="Tool",
            actor=org_admin,
        )
    attachment = services.filing_attach(
        filing=long,
        file=SimpleUploadedFile("audit.pdf", PDF),
        description="Audited statements",
        actor=org_admin,
    )
    assert attachment.filename.startswith("audit") and long.attachments.count() == 1


# Non-charging ----------------------------------------------------------------------------------


def test_non_charging_certification_records_the_year_as_non_charging(
    organization, org_admin, season, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError, match="Type your full name"):
        services.non_charging_certify(
            organization=organization, rate_year=season, signed_name=" ", actor=org_admin
        )
    with django_capture_on_commit_callbacks(execute=True):
        certified = services.non_charging_certify(
            organization=organization, rate_year=season, signed_name="Chris Chief", actor=org_admin
        )
    assert (
        certified.status == FilingStatus.CERTIFIED and certified.certified_by_name == "Chris Chief"
    )
    schedule = RateSchedule.objects.get(organization=organization, year=season)
    assert schedule.kind == ScheduleKind.NON_CHARGING and not schedule.lines.exists()
    assert "non-charging" in mailoutbox[-1].body
    # certifying twice acts once
    services.non_charging_certify(
        organization=organization, rate_year=season, signed_name="Chris Chief", actor=org_admin
    )
    assert RateSchedule.objects.filter(year=season).count() == 1


def test_a_draft_short_form_may_switch_to_the_non_charging_statement(
    organization, org_admin, season
):
    short = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.SHORT, actor=org_admin
    )
    services.short_form_save(filing=short, requested=WITHIN_CAP, actor=org_admin)
    certified = services.non_charging_certify(
        organization=organization, rate_year=season, signed_name="Chris Chief", actor=org_admin
    )
    assert certified.pk == short.pk and certified.form == FilingForm.NON_CHARGING
    assert not certified.lines.exists()
