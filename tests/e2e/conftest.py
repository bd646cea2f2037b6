"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against the live
server pytest-django starts. Nothing is downloaded: the browser is the system one, launched
with the network-quietening flags this offline machine needs."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(browser, live_server):
    yield from _page(browser, live_server)


@pytest.fixture
def phone_page(browser, live_server):
    yield from _page(browser, live_server, viewport=PHONE, is_mobile=True)


@pytest.fixture
def narrow_page(browser, live_server):
    """The narrowest phone the portal must work on (320 px)."""
    yield from _page(browser, live_server, viewport=NARROW, is_mobile=True)


# "region" (content outside landmarks) is only ever a moderate violation, which is not asserted,
# and it is axe's slowest rule on long pages: leaving it out changes no result.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"region": {"enabled": False}}}


def assert_accessible(page, *, context=""):
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )
    assert not bad, f"axe found serious violations on {context or page.url}:\n{details}"


def assert_no_violations(page, *, context=""):
    """axe with every rule ("region" included) and every impact, minor and moderate too."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )
    assert not violations, f"axe found violations on {context or page.url}:\n{details}"


def sign_in(page, email, password, *, totp_code=None):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    # The sign-in form's own button: a site alert's "Dismiss" is a submit button too.
    page.click("form:has(input[name=login]) button[type=submit]")
    if totp_code is not None:
        page.fill("input[name=code]", totp_code)
        page.click("form:has(input[name=code]) button[type=submit]")
