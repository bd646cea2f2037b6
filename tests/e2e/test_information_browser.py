"""The public hospital directories (filter by level, CSV link), the awards page and the
nomination form, reports with the news — in Chromium, with axe on each page."""

from datetime import date, timedelta

import pytest

from information.models import Nomination, StrokeLevel, TraumaLevel
from tests.information.factories import (
    HospitalFactory,
    NominationPeriodFactory,
    PublicationFactory,
    StrokeCertificationFactory,
    TraumaDesignationFactory,
    category,
)

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hospitals():
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Capitol Medical", town="Hartford"),
        level=StrokeLevel.COMPREHENSIVE,
    )
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Shoreline Community", town="New London"),
        level=StrokeLevel.PRIMARY,
    )
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Lapsed Hospital", town="Hartford"),
        attestation_expires=date.today() - timedelta(days=1),
    )
    TraumaDesignationFactory(
        hospital=HospitalFactory(name="Children's Center", town="Hartford"),
        level=TraumaLevel.PEDIATRIC_I,
    )


def test_stroke_directory_filters_by_level_and_downloads_csv(page, hospitals):
    page.goto("/public/")
    page.get_by_role("link", name="Certified stroke centers").click()
    assert page.get_by_role("heading", name="Certified stroke centers").is_visible()
    assert page.get_by_text("2 certified stroke centers.").is_visible()
    assert page.get_by_text("Lapsed Hospital").count() == 0
    assert_accessible(page, context="stroke centers")

    page.get_by_label("Level").select_option(label="Primary stroke center")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**level=primary**")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Shoreline Community" in rows.first.inner_text()

    csv_link = page.get_by_role("link", name="Download CSV")
    assert "level=primary" in csv_link.get_attribute("href")
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("certified-stroke-centers-")
    with open(download.path(), encoding="utf-8") as downloaded:
        content = downloaded.read()
    assert "Shoreline Community" in content and "Capitol Medical" not in content
    assert_accessible(page, context="stroke centers filtered")


def test_trauma_directory_at_phone_width(phone_page, hospitals):
    phone_page.goto("/public/trauma-centers/")
    phone_page.get_by_label("Level").select_option(label="Pediatric Level I")
    phone_page.get_by_role("button", name="Filter").click()
    phone_page.wait_for_url("**level=PED_I**")
    assert phone_page.get_by_text("Children's Center").is_visible()
    assert_accessible(phone_page, context="trauma centers at phone width")


def test_nominate_from_the_awards_page(page, mailoutbox):
    NominationPeriodFactory(ceremony_note="Recipients are honored in October.")
    category("educator")
    page.goto("/awards/")
    assert page.get_by_text("nomination period is open").is_visible()
    assert_accessible(page, context="awards")
    page.get_by_role("link", name="Nominate for the EMS Educator award").click()
    assert_accessible(page, context="nomination form")

    page.get_by_label("Nominee's name").fill("Ed Educator")
    page.get_by_label("Your name").fill("Nora Nominator")
    # passes the browser's own check, not the server's: the error comes back beside the field
    page.get_by_label("Your email").fill("nora@example")
    page.get_by_label("Narrative").fill("Trained hundreds of EMTs.")
    page.get_by_role("button", name="Send nomination").click()
    assert page.locator("#id_nominator_email-error").is_visible()
    assert page.get_by_label("Nominee's name").input_value() == "Ed Educator"
    assert_accessible(page, context="nomination form with an error")

    page.get_by_label("Your email").fill("nora@example.com")
    page.get_by_role("button", name="Send nomination").click()
    page.wait_for_url("**/thanks/")
    assert page.get_by_role("heading", name="Nomination received").is_visible()
    assert_accessible(page, context="nomination received")
    assert Nomination.objects.get().nominee_name == "Ed Educator"
    assert [message.to for message in mailoutbox] == [["nora@example.com"]]


def test_a_closed_nomination_form_says_when(page):
    NominationPeriodFactory(
        year=date.today().year - 1,
        opens=date(date.today().year - 1, 4, 1),
        closes=date(date.today().year - 1, 6, 30),
    )
    category("volunteer")
    page.goto("/awards/nominate/volunteer/")
    alert = page.get_by_role("alert")
    assert "were accepted from April 1" in alert.inner_text()
    assert page.get_by_role("button", name="Send nomination").count() == 0
    assert_accessible(page, context="closed nomination form")


def test_a_report_shows_with_the_news(page):
    PublicationFactory(title="EMS Working Group report", slug="ems-wg")
    page.goto("/news/")
    page.get_by_role("link", name="EMS Working Group report").click()
    assert page.get_by_role("heading", name="EMS Working Group report").is_visible()
    assert_accessible(page, context="report detail")
