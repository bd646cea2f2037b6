"""In Chromium: the public searches for a provider, files a complaint with an attachment and
gets a tracking number (axe on each public page, also at phone width); an investigator signs in
with TOTP and takes it through to closed with a suspension in the admin; /verify/ then shows the
certification suspended."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code
from complaints.constants import Stage
from complaints.models import Complaint
from tests.complaints.factories import PDF
from tests.providers.factories import make_certification

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _choose_action(page, complaint, action):
    if not page.url.endswith("/admin/complaints/complaint/"):
        page.goto("/admin/complaints/complaint/")
    # The row checkbox carries the USWDS class that hides the bare input; force the check.
    page.locator(f"input[name=_selected_action][value='{complaint.pk}']").check()
    page.select_option("select[name=action]", action)
    page.get_by_role("button", name="Go").click()


def test_public_files_and_investigator_suspends(page, make_user, tmp_path):
    from allauth.mfa.totp.internal.auth import TOTP

    certification = make_certification(first_name="Morgan", last_name="Medic", expires_in=300)
    investigator = make_user("ivy@oems.example.gov", role=roles.INVESTIGATOR)
    TOTP.activate(investigator, DEMO_TOTP_SECRET)
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(PDF)

    # --- the public -------------------------------------------------------------------------
    page.goto("/")
    page.get_by_role("link", name="File a complaint").first.click()
    expect(page.get_by_role("heading", name="File a complaint")).to_be_visible()
    assert_accessible(page, context="complaint form")

    page.get_by_label("What happened").fill("The crew refused to transport my mother.")
    page.get_by_label("Search for the provider or organization").fill("Medic")
    page.get_by_role("button", name="Search").click()
    page.locator("label", has_text=certification.number).click()
    expect(page.get_by_label("What happened")).to_have_value(
        "The crew refused to transport my mother."
    )
    assert_accessible(page, context="complaint form with search results")

    day = timezone.localdate() - timedelta(days=2)
    page.get_by_label("Date of the incident").fill(day.isoformat())
    page.get_by_label("Town where it happened").select_option(label="Hartford")
    page.locator("label", has_text="Standard of care").click()
    page.get_by_label("Your name").fill("Casey Complainant")
    page.get_by_label("Your email address").fill("casey@example.net")
    page.locator("#id_attachments").set_input_files(str(statement))
    page.get_by_role("button", name="Send complaint").click()

    page.wait_for_url(re.compile(r"/complaints/filed/$"))
    complaint = Complaint.objects.get()
    expect(page.get_by_test_id("tracking-number")).to_have_text(complaint.tracking_number)
    assert complaint.certification == certification
    assert complaint.attachments.count() == 1
    assert_accessible(page, context="complaint confirmation")

    # --- the investigator, in the admin -----------------------------------------------------------
    page.context.clear_cookies()
    sign_in(page, investigator.email, PASSWORD, totp_code=current_code())
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/admin/complaints/complaint/?stage__exact=received")
    expect(page.get_by_text("Open complaints by stage")).to_be_visible()

    _choose_action(page, complaint, "triage")
    page.locator("label", has_text="Yes: continue to assignment").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("1 complaint(s) triaged.")).to_be_visible()

    _choose_action(page, complaint, "take")
    expect(page.get_by_text("1 complaint(s) assigned to you.")).to_be_visible()
    _choose_action(page, complaint, "start_investigation")
    expect(page.get_by_text("1 complaint(s) under investigation.")).to_be_visible()

    # The complaint page: contents, the attachment, a note (and this view is logged).
    page.get_by_role("link", name=complaint.tracking_number).click()
    expect(page.get_by_text("The crew refused to transport my mother.")).to_be_visible()
    expect(page.get_by_role("link", name="statement.pdf")).to_be_visible()
    page.locator("textarea[name$='-0-body']").fill("Called the crew chief.")
    page.get_by_role("button", name="Save", exact=True).click()
    assert complaint.notes.get().body == "Called the crew chief."
    assert complaint.access_log.filter(user=investigator).exists()

    page.goto("/admin/complaints/complaint/")
    _choose_action(page, complaint, "close")
    page.get_by_label("Outcome").select_option("suspension")
    page.get_by_label("Summary").fill("Certification suspended for 30 days.")
    today = timezone.localdate()
    page.get_by_label("Effective from").fill(today.isoformat())
    page.get_by_label("Effective until").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("1 complaint(s) closed.")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.stage == Stage.CLOSED

    # --- /verify/ ----------------------------------------------------------------------------
    page.context.clear_cookies()
    page.goto(f"/verify/?number={certification.number}")
    expect(page.get_by_text("Suspended").first).to_be_visible()
    assert_accessible(page, context="verification of the suspended certification")


def test_bad_input_at_phone_width_keeps_what_was_typed(phone_page):
    page = phone_page
    page.goto("/complaints/file/")
    page.get_by_label("Not in the results? Describe them").fill("Ambulance 12, blue stripe")
    page.get_by_label("Your email address").fill("casey@example.net")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator("#id_narrative-error")).to_contain_text("Describe what happened.")
    expect(page.get_by_label("Not in the results? Describe them")).to_have_value(
        "Ambulance 12, blue stripe"
    )
    assert_accessible(page, context="complaint form with errors at phone width")
    assert Complaint.objects.count() == 0
