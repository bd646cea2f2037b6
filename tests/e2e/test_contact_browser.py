"""In Chromium at phone width: a provider goes from the dashboard to "My contact details",
is refused someone else's email beside the field (what they typed stays), saves new details,
sees them in the history, and asks for a name change with proof. Axe on each state of the
page, with no violation of any impact."""

import re

import pytest
from django.utils import timezone

from accounts import roles
from core.files import minimal_pdf

from .conftest import AXE_OPTIONS, sign_in
from .test_accessibility_crawl import OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def assert_no_axe_violations(page, context):
    """Stricter than ``assert_accessible``: no violation of any impact; and the page does not
    scroll sideways at phone width."""
    from axe_playwright_python.sync_playwright import Axe

    assert page.evaluate(OVERFLOW) is None, f"{context} scrolls sideways"
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe on {context}: {details}"


def test_a_provider_updates_contact_details_and_asks_for_a_name_change_at_phone_width(
    phone_page, make_user, tmp_path
):
    from providers.models import NameChangeRequest
    from tests.providers.factories import make_certification

    user = make_user("morgan@example.com", role=roles.PROVIDER, password=PASSWORD)
    make_user("taken@example.com")
    certification = make_certification(
        user=user, first_name="Morgan", last_name="Medic", email="morgan.old@example.com"
    )
    page = phone_page
    sign_in(page, "morgan@example.com", PASSWORD)
    page.goto("/dashboard/")
    page.get_by_role("link", name="My contact details").click()
    page.wait_for_url(re.compile(r"/providers/contact/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "My contact details"
    assert page.get_by_test_id("account-email-offer").is_visible()  # morgan@ vs morgan.old@
    assert_no_axe_violations(page, "the contact page")

    page.locator("#id_email").fill("taken@example.com")
    page.locator("#id_phone").fill("860-555-0101")
    page.get_by_role("button", name="Save contact details").click()
    error = page.locator("#id_email-error")
    assert "already used by another account" in error.inner_text()
    assert page.locator("#id_phone").input_value() == "860-555-0101"
    assert_no_axe_violations(page, "the contact page with an error")

    page.locator("#id_email").fill("morgan.new@example.com")
    page.get_by_role("button", name="Save contact details").click()
    page.get_by_text("Your contact details are saved.").wait_for()
    history = page.get_by_test_id("contact-history")
    assert "Email: morgan.old@example.com → morgan.new@example.com" in history.inner_text()
    assert timezone.localdate().strftime("%B") in history.inner_text()
    certification.provider.refresh_from_db()
    assert certification.provider.email == "morgan.new@example.com"

    proof = tmp_path / "court-order.pdf"
    proof.write_bytes(minimal_pdf())
    page.locator("#id_last_name").fill("Medina")
    page.locator("#id_reason").fill("Court order")
    page.locator("#id_proof").set_input_files(str(proof))
    page.get_by_role("button", name="Request the name change").click()
    page.get_by_test_id("name-change-pending").wait_for()
    assert "Morgan Medina" in page.get_by_test_id("name-changes").inner_text()
    assert page.get_by_test_id("record-name").inner_text() == "Morgan Medic"
    assert NameChangeRequest.objects.get().proof_name == "court-order.pdf"
    assert_no_axe_violations(page, "the contact page with a pending name change")
