"""A new provider renews with the keyboard alone at 320 px: from the home page's sign-in link to
a submitted application, by Tab, Enter, Space and typing (no mouse, no `fill`, no `goto` after
the home page). On every page it passes: the focused element is visibly marked, nothing
scrolls sideways, and axe finds no violation of any impact (every rule, "region" included)."""

import re

import pytest

from accounts import roles
from providers.models import RenewalApplication, RenewalStatus

from .conftest import NARROW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
TAB_LIMIT = 120  # presses before giving up: a page that needs more has a focus-order problem


def assert_page_is_usable(page, context):
    """No sideways scroll at 320 px, and axe with every rule finds nothing of any impact."""
    from axe_playwright_python.sync_playwright import Axe

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{context}: the page scrolls sideways ({width}px)"
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )
    assert not violations, f"axe found violations on {context}:\n{details}"


_FOCUS_IS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  // USWDS draws checkboxes and radios on their label (::before); the input itself is hidden.
  const drawn = (el.type === 'checkbox' || el.type === 'radio') && el.labels.length;
  const style = drawn ? getComputedStyle(el.labels[0], '::before') : getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadowed = style.boxShadow && style.boxShadow !== 'none';
  const box = (drawn ? el.labels[0] : el).getBoundingClientRect();
  return (outlined || shadowed) && box.width > 0 && box.height > 0;
}"""


def tab_to(page, locator, *, what):
    """Press Tab (only) until ``locator`` has the focus; it must show that it has it."""
    target = locator.element_handle()
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", target):
            assert page.evaluate(_FOCUS_IS_VISIBLE), f"no visible focus on {what}"
            return
    pytest.fail(f"{what} is not reachable with Tab on {page.url}")


def type_into(page, locator, text, *, what):
    tab_to(page, locator, what=what)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, locator, key="Enter", *, what):
    tab_to(page, locator, what=what)
    page.keyboard.press(key)


def test_a_new_provider_renews_with_the_keyboard_alone_at_320_px(narrow_page, make_user):
    from tests.providers.factories import complete_ce, make_certification

    page = narrow_page
    user = make_user("keys@example.com", role=roles.PROVIDER, password=PASSWORD)
    certification = make_certification(
        user=user, expires_in=30, first_name="Kay", last_name="Board"
    )
    complete_ce(certification)

    # The home page; the sign-in link sits behind the menu button at this width.
    page.goto("/")
    assert_page_is_usable(page, "home page")
    press(page, page.get_by_role("button", name="Menu"), what="the menu button")
    press(page, page.get_by_role("link", name="Sign in"), what="the sign-in link")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert_page_is_usable(page, "sign-in page")
    type_into(page, page.locator("input[name=login]"), user.email, what="email")
    type_into(page, page.locator("input[name=password]"), PASSWORD, what="password")
    page.keyboard.press("Enter")

    # The dashboard leads with the renewal: the date to renew by and one button.
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_test_id("renew-by").is_visible()
    assert_page_is_usable(page, "dashboard")
    press(
        page,
        page.get_by_role("button", name=f"Renew {certification.number}"),
        what="the renew button",
    )

    # Step A: the NREMT number and the attestation checkbox (Space ticks it).
    page.wait_for_url(re.compile(r"/step/nremt/$"))
    assert_page_is_usable(page, "step A")
    type_into(page, page.locator("input[name=nremt_number]"), "M0042424", what="NREMT number")
    press(page, page.locator("input[name=nremt_attest]"), "Space", what="the Step A attestation")
    assert page.locator("input[name=nremt_attest]").is_checked()
    save = page.get_by_role("button", name="Save and continue")
    press(page, save, what="save and continue")

    page.wait_for_url(re.compile(r"/step/details/$"))
    assert_page_is_usable(page, "details step")
    press(page, page.get_by_role("button", name="Save and continue"), what="save and continue")

    page.wait_for_url(re.compile(r"/step/ce/$"))
    assert_page_is_usable(page, "CE step")
    press(page, page.locator("input[name=ce]"), "Space", what="the CE confirmation")
    press(page, page.get_by_role("button", name="Save and continue"), what="save and continue")

    page.wait_for_url(re.compile(r"/step/attest/$"))
    assert_page_is_usable(page, "attestation step")
    type_into(page, page.locator("input[name=attestation_name]"), "Kay Board", what="signature")
    press(page, page.get_by_role("button", name="Sign the application"), what="sign")

    # The overview: on to the fee, paid by card on the (test) processor's page.
    page.wait_for_url(re.compile(r"/providers/renewals/\d+/$"))
    assert_page_is_usable(page, "application overview")
    press(page, page.get_by_role("button", name="Continue to the fee"), what="continue to fee")
    page.get_by_test_id("fee-due").wait_for()
    assert_page_is_usable(page, "fee due")
    press(page, page.get_by_role("link", name="Pay the $125.00 fee"), what="the pay link")
    page.wait_for_url(re.compile(r"/payments/invoices/.+/pay/$"))
    assert_page_is_usable(page, "pay page")
    press(
        page,
        page.get_by_role("radio", name=re.compile("Credit or debit card")),
        "Space",
        what="the card method",
    )
    press(page, page.get_by_role("button", name="Continue to payment"), what="continue to pay")
    page.wait_for_url(re.compile(r"/test-processor/pay/"))
    assert_page_is_usable(page, "card page")
    for label, text in [
        ("Name on card", "Kay Board"),
        ("Card number", "4242424242424242"),
        ("Expiration date", "12/39"),
        ("Security code (CVC)", "123"),
        ("Billing ZIP code", "06106"),
    ]:
        type_into(page, page.get_by_label(label), text, what=label)
    press(page, page.get_by_role("button", name=re.compile(r"^Pay \$")), what="pay")

    # Back on the application, paid: submit it.
    page.wait_for_url(re.compile(r"/providers/renewals/\d+/$"))
    assert page.get_by_test_id("application-status").inner_text() == "Paid — ready to submit"
    assert_page_is_usable(page, "paid, ready to submit")
    press(page, page.get_by_role("button", name="Submit the application"), what="submit")
    # A locator, not wait_for_function: the portal's CSP forbids the eval that one needs.
    page.get_by_test_id("application-status").filter(has_text="Submitted").wait_for()
    assert_page_is_usable(page, "submitted application")
    application = RenewalApplication.objects.get(certification=certification)
    assert application.status == RenewalStatus.SUBMITTED

    # The dashboard now shows it in progress with its clock, and no renew button.
    press(page, page.get_by_role("button", name="Menu"), what="the menu button")
    press(page, page.get_by_role("link", name="My dashboard"), what="my dashboard")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_text("Expect a decision between", exact=False).is_visible()
    assert page.get_by_role("button", name=f"Renew {certification.number}").count() == 0
    assert_page_is_usable(page, "dashboard after submitting")
