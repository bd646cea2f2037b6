"""In Chromium: a newcomer finds "Start a new EMS organization" from the home page and saves the
first step without typing an address; the help, FAQ and contact pages, a news post with its PDF
and the site-wide alerts pass axe with no violation of any impact at phone width (the "region"
rule included: the demo banner and the alerts sit inside landmarks); an alert is dismissed with
JavaScript off."""

import re

import pytest

from accounts import roles

from .conftest import PHONE, assert_accessible, assert_no_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_a_newcomer_starts_a_new_organization_from_the_home_page(page, make_user):
    from organizations.models import ApplicationKind, ApplicationStatus, OrganizationApplication

    make_user("founder@example.com", role=roles.PROVIDER, password=PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="Start a new EMS organization").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))  # signed out: sign in first
    page.fill("input[name=login]", "founder@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/organizations/applications/new/new_organization/$"))
    assert_accessible(page, context="new organization application")
    page.get_by_label("Legal name").fill("Riverside Volunteer Ambulance")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/organizations/applications/\d+/$"))
    assert page.get_by_text("Draft saved.").is_visible()
    application = OrganizationApplication.objects.get()
    assert application.kind == ApplicationKind.NEW_ORGANIZATION
    assert application.legal_name == "Riverside Volunteer Ambulance"

    # Submitting with something missing says what, beside the field, and keeps the rest.
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_text("Choose the kind of service.").first.is_visible()
    assert page.get_by_label("Legal name").input_value() == "Riverside Volunteer Ambulance"
    for label in ("Kind of service", "Ownership", "Level of service", "PSA type requested"):
        page.get_by_label(re.compile(rf"^{label}")).select_option(index=1)
    page.get_by_label(re.compile(r"^Organization email")).fill("office@riverside-ems.example")
    page.get_by_label(re.compile(r"^Street")).fill("12 River Road")
    page.get_by_label(re.compile(r"^City")).fill("Hartford")
    page.get_by_role("button", name="Submit application").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert_accessible(page, context="new organization application submitted")

    # The dashboard lists it with its reference number, reached by the header link.
    page.get_by_role("link", name="My dashboard").first.click()
    assert application.reference in page.get_by_test_id("in-progress").inner_text()


@pytest.fixture
def alerts():
    from tests.information.factories import site_alerts_of_each_level

    return site_alerts_of_each_level()


def test_help_contact_news_and_alerts_pass_axe_with_no_violations_at_phone_width(
    phone_page, alerts
):
    from core.models import News
    from information.models import NewsAttachment
    from tests.information.factories import pdf_file

    post = News.objects.create(
        title="Short Form", slug="short-form", body="## Due\n\n- [Fees](/help/fees/)"
    )
    NewsAttachment.objects.create(news=post, title="The form", file=pdf_file("form.pdf"))
    for url in [
        "/",
        "/help/",
        "/help/renewal/",
        "/help/fees/",
        "/help/linking/",
        "/help/faq/",
        "/contact/",
        "/news/short-form/",
        "/publications/",
        "/awards/",
    ]:
        phone_page.goto(url)
        assert phone_page.locator("[data-site-alert]").count() == 3
        assert phone_page.get_by_role("alert").count() == 1  # the emergency only
        assert_no_violations(phone_page, context=url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} scrolls sideways ({width}px)"


def test_an_alert_is_dismissed_for_the_session_with_javascript_off(browser, live_server, alerts):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/help/faq/")
        page.get_by_role("button", name=f"Dismiss the alert “{alerts[0].title}”").click()
        page.wait_for_url(re.compile(r"/help/faq/$"))
        assert page.locator("[data-site-alert]").count() == 2
        page.goto("/")
        titles = page.locator("[data-site-alert] h2").all_inner_texts()
        assert not [title for title in titles if alerts[0].title in title]
    finally:
        context.close()
