"""The admin's actions call the transition services; decided fields are read-only."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from rates.models import Decision, FilingStatus, RateSchedule, RateYearStatus

from .factories import RateYearFactory
from .test_services import complete_long_form, submitted_short_form

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:rates_ratefiling_changelist"


def act(client, action, filings, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, ACTION_CHECKBOX_NAME: [f.pk for f in filings], **extra},
        follow=True,
    )


def test_approve_action(staff_client, analyst, organization, org_admin, season):
    short = submitted_short_form(organization, season, org_admin)
    client = staff_client(user=analyst)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse("admin:rates_ratefiling_change", args=[short.pk])).status_code == 200
    response = act(client, "approve", [short])
    assert "Filings approved: 1." in response.content.decode()
    short.refresh_from_db()
    assert short.status == FilingStatus.APPROVED and short.history.first().history_user == analyst


def test_request_information_asks_for_the_message_first(
    staff_client, analyst, organization, org_admin, season
):
    short = submitted_short_form(organization, season, org_admin)
    client = staff_client(user=analyst)
    page = act(client, "request_information", [short])
    assert "What the organization must send" in page.content.decode()
    short.refresh_from_db()
    assert short.status == FilingStatus.SUBMITTED
    act(client, "request_information", [short], apply="1", reason="Send your mileage log.")
    short.refresh_from_db()
    assert short.status == FilingStatus.INFORMATION_REQUESTED
    assert short.information_request == "Send your mileage log."


def test_deny_and_a_refused_action_is_reported(
    staff_client, analyst, organization, org_admin, season
):
    long = complete_long_form(organization, season, org_admin)
    client = staff_client(user=analyst)
    act(client, "deny", [long], apply="1", reason="Costs not documented.")
    long.refresh_from_db()
    assert long.status == FilingStatus.DENIED
    page = act(client, "approve", [long]).content.decode()
    assert "Only a submitted filing can be decided" in page


def test_approve_at_entered_rates(staff_client, analyst, organization, org_admin, season):
    long = complete_long_form(organization, season, org_admin)
    line = long.lines.get(category__code="bls-emergency")
    line.approved_amount = Decimal("900.00")
    line.save()
    client = staff_client(user=analyst)
    act(client, "approve_at_entered_rates", [long], apply="1", reason="Supported to 900.")
    long.refresh_from_db()
    assert long.decision == Decision.OTHER_RATES
    schedule = RateSchedule.objects.get(year=season)
    assert [(line.category.code, line.amount) for line in schedule.lines.all()] == [
        ("bls-emergency", Decimal("900.00"))
    ]


def test_open_season_action(
    staff_client, analyst, organization, mailoutbox, django_capture_on_commit_callbacks
):
    season = RateYearFactory(year=2024, status=RateYearStatus.PLANNED)
    client = staff_client(user=analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:rates_rateyear_changelist"),
            {"action": "open_season", ACTION_CHECKBOX_NAME: [season.pk]},
        )
    season.refresh_from_db()
    assert season.status == RateYearStatus.OPEN
    assert len(mailoutbox) == 1
    # once open, the CPI can no longer be edited
    page = client.get(reverse("admin:rates_rateyear_change", args=[season.pk])).content.decode()
    assert 'name="cpi_factor"' not in page


def test_schedules_are_read_only(staff_client, analyst, organization):
    client = staff_client(user=analyst)
    schedule = RateSchedule.objects.get(organization=organization)
    page = client.get(
        reverse("admin:rates_rateschedule_change", args=[schedule.pk])
    ).content.decode()
    assert 'name="kind"' not in page
    assert client.get(reverse("admin:rates_rateschedule_add")).status_code == 403
