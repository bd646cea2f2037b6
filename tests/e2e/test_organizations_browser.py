"""An organization administrator reports a new chief of service with the letterhead upload; a
licensing reviewer signs in with TOTP and accepts it in the admin — in Chromium."""

import re
from datetime import date, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code
from organizations import services
from organizations.models import ChiefChangeReport, ChiefReportStatus, PersonRole, PsaType, Town
from tests.organizations.factories import OrganizationFactory
from tests.uploads import PDF

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_administrator_reports_new_chief_and_reviewer_accepts_it(page, make_user, tmp_path):
    orgadmin = make_user("olive@org.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)
    reviewer = make_user("riley@oems.example.gov", role=roles.LICENSING_REVIEWER)
    TOTP.activate(reviewer, DEMO_TOTP_SECRET)
    organization = OrganizationFactory(legal_name="Capitol Region Ambulance")
    organization.administrators.add(orgadmin)

    sign_in(page, orgadmin.email, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.get_by_role("link", name="Capitol Region Ambulance", exact=True).click()
    assert_accessible(page, context="organization page")
    page.get_by_role("link", name="Report a new chief of service").click()
    assert_accessible(page, context="chief report form")

    # Effective the Monday before last: the due date is computed from it.
    effective = date.today() - timedelta(days=date.today().weekday() + 7)
    letterhead = tmp_path / "new-chief-letterhead.pdf"
    letterhead.write_bytes(PDF)
    page.get_by_label("New chief's full name").fill("Dana Whitfield")
    page.get_by_label("New chief's email").fill("dana.whitfield@example.org")
    page.get_by_label("Effective date").fill(effective.isoformat())
    page.locator("input[name=letterhead]").set_input_files(str(letterhead))
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(re.compile(rf"/organizations/{organization.pk}/$"))
    expect(page.get_by_text("Report received.")).to_be_visible()
    report = ChiefChangeReport.objects.get()
    assert report.letterhead.name.endswith(".pdf")
    assert report.due_on > effective
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    sign_in(page, reviewer.email, PASSWORD, totp_code=current_code())
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/admin/organizations/chiefchangereport/?status__exact=submitted")
    assert page.get_by_role("link", name="Capitol Region Ambulance").count() == 1
    page.locator(f"input[name=_selected_action][value='{report.pk}']").check()
    page.select_option("select[name=action]", "accept")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 accepted.")).to_be_visible()

    report.refresh_from_db()
    assert report.status == ChiefReportStatus.ACCEPTED
    chief = organization.people.get(role=PersonRole.CHIEF_OF_SERVICE, until__isnull=True)
    assert chief.full_name == "Dana Whitfield"
    assert report.history.first().history_user == reviewer


def test_public_psa_and_ido_pages_work_at_phone_width(phone_page, make_user):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    organization = OrganizationFactory(legal_name="Shoreline Medical Transport")
    for town in Town.objects.order_by("name")[:5]:
        services.psa_assign(
            town=town,
            psa_type=PsaType.ALS,
            organization=organization,
            effective_from=date(2020, 1, 1),
            actor=reviewer,
        )
    services.person_set(
        organization=organization,
        role=PersonRole.IDO,
        full_name="Ida Officer",
        email="ida@example.org",
        actor=reviewer,
    )
    for path, text in [
        ("/public/organizations/", "Shoreline Medical Transport"),
        ("/public/psa/by-town/", "Andover"),
        ("/public/psa/by-organization/", "Shoreline Medical Transport"),
        ("/public/ido/", "Ida Officer"),
    ]:
        phone_page.goto(path)
        expect(phone_page.locator("main")).to_contain_text(text)
        assert_accessible(phone_page, context=path)


def test_provider_asks_to_join_and_the_administrator_approves_it_on_the_roster(
    page, phone_page, make_user
):
    from organizations.models import Affiliation, AffiliationStatus
    from tests.providers.factories import make_certification

    orgadmin = make_user("olive@org.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)
    organization = OrganizationFactory(legal_name="Capitol Region Ambulance")
    organization.administrators.add(orgadmin)
    OrganizationFactory(legal_name="Shoreline Ambulance")
    medic = make_user("medic@example.com", role=roles.PROVIDER)
    certification = make_certification(user=medic, first_name="Morgan", last_name="Medic")

    # The provider picks the organization from the directory list on their page.
    sign_in(page, medic.email, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.get_by_role("link", name="Ask to join an organization's roster").click()
    assert_accessible(page, context="my affiliations")
    page.get_by_role("button", name="Send the request").click()
    assert "required" in page.locator("#id_organization-error").inner_text()
    page.select_option(
        "select[name=organization]",
        label=f"Capitol Region Ambulance ({organization.number}) — Hartford",
    )
    page.fill("input[name=note]", "Tuesday nights")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Request sent to Capitol Region Ambulance")).to_be_visible()
    expect(page.get_by_text("Requested, waiting on the organization")).to_be_visible()
    assert_accessible(page, context="request sent")
    page.get_by_role("button", name="Sign out").click()

    # The administrator approves it from the organization's roster page (at phone width).
    sign_in(phone_page, orgadmin.email, PASSWORD)
    phone_page.wait_for_url(re.compile(r"/dashboard/"))
    phone_page.get_by_role("link", name="roster").click()
    expect(phone_page.get_by_text("Tuesday nights")).to_be_visible()
    assert_accessible(phone_page, context="roster with a request")
    phone_page.get_by_role("button", name="Approve Morgan Medic").click()
    expect(phone_page.get_by_text("Morgan Medic is on the roster.")).to_be_visible()
    roster = phone_page.get_by_test_id("roster")
    expect(roster).to_contain_text(certification.number)
    expect(roster).to_contain_text("Active")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page, context="roster at phone width")
    assert Affiliation.objects.get().status == AffiliationStatus.APPROVED
