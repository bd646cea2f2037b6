"""Rates pages: filing as an administrator, per-object permissions, the public allowable
rates and their downloads, the staff season dashboard."""

import csv
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from rates import services
from rates.models import FilingForm, FilingStatus, RateFiling, RateInvitation, ScheduleKind
from tests.uploads import PDF, pdf_upload

from .factories import OrganizationFactory, approved_schedule
from .test_services import submitted_short_form

pytestmark = pytest.mark.django_db


def short_form_url(organization, year=2024):
    return reverse("rates:short-form", args=[organization.pk, year])


def test_dashboard_links_administrators_to_their_rate_applications(
    client, org_admin, organization, season
):
    client.force_login(org_admin)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("rates:my-filings") in page
    listing = client.get(reverse("rates:my-filings")).content.decode()
    assert organization.legal_name in listing and short_form_url(organization) in listing


def test_short_form_shows_last_years_rate_and_cap_beside_each_field(
    client, org_admin, organization, season
):
    client.force_login(org_admin)
    page = client.get(short_form_url(organization)).content.decode()
    assert "2023 approved: $15.00 · 2024 cap: $15.65" in page
    assert "2023 approved: $800.00 · 2024 cap: $834.40" in page


def test_above_the_cap_the_error_sits_beside_the_field_and_the_typed_value_stays(
    client, org_admin, organization, season
):
    client.force_login(org_admin)
    response = client.post(
        short_form_url(organization),
        {
            "rate_bls-emergency": "834.40",
            "rate_als1-emergency": "1043.00",
            "rate_mileage": "16.00",
            "save": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_rate_mileage-error"' in page and "above the cap of $15.65" in page
    assert 'value="16.00"' in page and 'value="834.40"' in page
    assert not RateFiling.objects.exists()


def test_non_numeric_and_negative_rates_are_refused_beside_the_field(
    client, org_admin, organization, season
):
    client.force_login(org_admin)
    page = client.post(
        short_form_url(organization),
        {"rate_bls-emergency": "abc", "rate_mileage": "-1", "save": ""},
    ).content.decode()
    assert "“abc” is not a number." in page and "A rate cannot be negative." in page


def test_save_a_draft_then_submit(client, org_admin, organization, season):
    client.force_login(org_admin)
    data = {"rate_bls-emergency": "834.40", "rate_als1-emergency": "", "rate_mileage": "15.00"}
    response = client.post(short_form_url(organization), {**data, "save": ""})
    assert response.status_code == 302
    draft = RateFiling.objects.get()
    assert draft.status == FilingStatus.DRAFT
    assert 'value="834.40"' in client.get(short_form_url(organization)).content.decode()

    page = client.post(short_form_url(organization), {**data, "submit": ""}).content.decode()
    assert "Enter the 2024 rate for ALS1 emergency" in page
    response = client.post(
        short_form_url(organization), {**data, "rate_als1-emergency": "1000", "submit": ""}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FilingStatus.SUBMITTED
    assert response.url == reverse("rates:filing-detail", args=[draft.pk])
    # a second click on submit changes nothing and lands on the filing
    again = client.post(
        short_form_url(organization), {**data, "rate_als1-emergency": "1000", "submit": ""}
    )
    assert again.status_code == 302 and again.url == response.url
    assert draft.history.filter(status=FilingStatus.SUBMITTED).count() == 1


def test_long_form_page_saves_financial_detail_and_attachments(
    client, org_admin, organization, season
):
    client.force_login(org_admin)
    url = reverse("rates:long-form", args=[organization.pk, 2024])
    response = client.post(
        url,
        {
            "rate_als2": "1500.00",
            "revenue_medicare": "400000",
            "expense_personnel": "650000",
            "fiscal_year_end": "2023-06-30",
            "emergency_responses": "3200",
            "unit_hours": "26000",
            "justification": "Wages rose.",
            "save": "",
        },
    )
    assert response.status_code == 302
    long = RateFiling.objects.get()
    assert long.form == FilingForm.LONG and long.unit_hours == 26000
    assert long.financials.get(item="medicare").amount == Decimal("400000")
    page = client.get(url).content.decode()
    assert 'value="400000' in page and "Wages rose." in page

    response = client.post(
        reverse("rates:long-form-attach", args=[organization.pk, 2024]),
        {"description": "Audited statements", "file": pdf_upload("audit.pdf")},
    )
    assert response.status_code == 302
    attachment = long.attachments.get()
    download = client.get(attachment.file.url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="audit.pdf"' in download["Content-Disposition"]


def test_non_charging_page_certifies(client, org_admin, organization, season):
    client.force_login(org_admin)
    url = reverse("rates:non-charging", args=[organization.pk, 2024])
    page = client.post(url, {"signed_name": "Chris"}).content.decode()
    assert "usa-error-message" in page
    response = client.post(url, {"signed_name": "Chris Chief", "confirm": "on"})
    assert response.status_code == 302
    assert RateFiling.objects.get().status == FilingStatus.CERTIFIED


@pytest.mark.parametrize(
    "url_name",
    ["rates:short-form", "rates:long-form", "rates:non-charging", "rates:short-form-xlsx"],
)
def test_another_organizations_pages_are_not_found(
    client, make_user, organization, season, url_name
):
    client.force_login(make_user("stranger@example.com", role=roles.ORGANIZATION_ADMINISTRATOR))
    assert client.get(reverse(url_name, args=[organization.pk, 2024])).status_code == 404


def test_another_organizations_filing_and_attachment_are_not_found(
    client, make_user, org_admin, organization, season
):
    long = services.filing_start(
        organization=organization, rate_year=season, form=FilingForm.LONG, actor=org_admin
    )
    attachment = services.filing_attach(
        filing=long, file=pdf_upload("a.pdf"), description="Doc", actor=org_admin
    )
    client.force_login(make_user("stranger@example.com"))
    assert client.get(reverse("rates:filing-detail", args=[long.pk])).status_code == 404
    assert client.get(attachment.file.url).status_code == 404
    client.force_login(org_admin)
    assert client.get(reverse("rates:filing-detail", args=[long.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, organization, season):
    response = client.get(short_form_url(organization))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_submitted_filing_redirects_its_form_to_the_detail(
    client, org_admin, organization, season
):
    short = submitted_short_form(organization, season, org_admin)
    client.force_login(org_admin)
    response = client.get(short_form_url(organization))
    assert response.status_code == 302 and response.url == reverse(
        "rates:filing-detail", args=[short.pk]
    )


# Public ----------------------------------------------------------------------------------------


@pytest.fixture
def published(organization, org_admin, season, analyst):
    """2024: one approved Short Form, one non-charging service, one filing still awaiting review."""
    short = submitted_short_form(organization, season, org_admin)
    services.filing_approve(filing=short, actor=analyst)
    quiet = OrganizationFactory(legal_name="Quiet Volunteer Corps", administrators=[org_admin])
    services.non_charging_certify(
        organization=quiet, rate_year=season, signed_name="Q", actor=org_admin
    )
    pending = OrganizationFactory(legal_name="Pending Paramedics", administrators=[org_admin])
    approved_schedule(pending, 2023, {"bls-emergency": "500.00"})
    submitted_short_form(pending, season, org_admin, {"bls-emergency": Decimal("510.00")})
    return organization


def test_allowable_rates_index_and_year_show_only_approved_schedules(client, published):
    index = client.get(reverse("rates:allowable-index")).content.decode()
    assert reverse("rates:allowable-year", args=[2024]) in index
    assert reverse("rates:allowable-year", args=[2023]) in index
    page = client.get(reverse("rates:allowable-year", args=[2024])).content.decode()
    assert published.legal_name in page and "$834.40" in page and "$15.65" in page
    assert "Quiet Volunteer Corps" in page and "Non-charging service" in page
    assert "Pending Paramedics" not in page and "$510.00" not in page


def test_public_index_links_the_allowable_rates(client, db):
    assert (
        reverse("rates:allowable-index")
        in client.get(reverse("core:public-index")).content.decode()
    )


def test_allowable_rates_downloads(client, published):
    response = client.get(reverse("rates:allowable-csv", args=[2024]))
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert rows[0][:3] == ["Organization", "Number", "Schedule"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {published.legal_name, "Quiet Volunteer Corps"}
    assert "834.40" in by_name[published.legal_name]
    assert by_name["Quiet Volunteer Corps"][2] == "Non-charging service"

    workbook = load_workbook(
        BytesIO(client.get(reverse("rates:allowable-xlsx", args=[2024])).content)
    )
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]][:3] == ["Organization", "Number", "Schedule"]
    assert sheet.max_row == 3


def test_a_year_with_nothing_approved_is_not_found(client, season):
    assert client.get(reverse("rates:allowable-year", args=[2024])).status_code == 404
    assert client.get(reverse("rates:allowable-csv", args=[2030])).status_code == 404


def test_year_page_query_count_does_not_grow_with_organizations(
    client, season, django_assert_max_num_queries
):
    for index in range(15):
        organization = OrganizationFactory()
        approved_schedule(
            organization, 2023, {"bls-emergency": f"{700 + index}.00", "mileage": "12.00"}
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("rates:allowable-year", args=[2023]))
    assert response.content.decode().count("$12.00") == 15


# Staff -----------------------------------------------------------------------------------------


def test_staff_season_dashboard_counts_each_bucket(
    staff_client, org_admin, organization, season, analyst
):
    short = submitted_short_form(organization, season, org_admin)
    quiet = OrganizationFactory(administrators=[org_admin])
    approved_schedule(quiet, 2023, {}, kind=ScheduleKind.NON_CHARGING)
    services.non_charging_certify(
        organization=quiet, rate_year=season, signed_name="Q", actor=org_admin
    )
    silent = OrganizationFactory(legal_name="Silent Ambulance")
    approved_schedule(silent, 2023, {"bls-emergency": "600"})
    for each in (organization, quiet, silent):
        RateInvitation.objects.create(year=season, organization=each)
    client = staff_client(user=analyst)
    response = client.get(reverse("rates:staff-dashboard"))
    assert response.status_code == 302
    season_page = client.get(response.url)
    page, summary = season_page.content.decode(), season_page.context["summary"]
    assert (
        summary.invited,
        summary.filed,
        summary.within_cap,
        summary.above_cap,
        summary.non_charging,
        summary.missing,
    ) == (3, 2, 1, 0, 1, 1)
    assert "Silent Ambulance" in page and short.organization.legal_name in page


def test_staff_send_reminders_from_the_dashboard(
    staff_client, organization, season, analyst, mailoutbox, django_capture_on_commit_callbacks
):
    RateInvitation.objects.create(year=season, organization=organization)
    client = staff_client(user=analyst)
    url = reverse("rates:staff-send-reminders", args=[2024])
    with django_capture_on_commit_callbacks(execute=True):  # queued through core.outbox
        client.post(url)
        client.post(url)
    assert len(mailoutbox) == 1


def test_staff_dashboard_refuses_organization_administrators_and_needs_the_second_factor(
    client, org_admin, analyst, season
):
    client.force_login(org_admin)
    assert client.get(reverse("rates:staff-season", args=[2024])).status_code == 403
    client.force_login(analyst)  # no TOTP used in this session
    response = client.get(reverse("rates:staff-season", args=[2024]))
    assert response.status_code == 302 and "/staff/rates/" not in response.url.split("?")[0]
