"""The Content-Security-Policy in a real browser: the portal's own scripts run, script slipped
into a page does not, and no page or admin screen reports a violation."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_totp_code import current_code

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _collect_violations(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_injected_inline_script_does_not_run_but_the_portal_scripts_do(page):
    violations = _collect_violations(page)
    page.goto("/complaints/file/")
    # USWDS' scripts ran from their files: the bundle announces itself, the loading class is gone
    page.wait_for_load_state("load")
    assert page.evaluate("window.uswdsPresent") is True
    assert page.evaluate("document.documentElement.classList.contains('usa-js-loading')") is False
    assert violations == []
    # markup that smuggles a script into the page, as user content might
    page.evaluate(
        """() => {
            const holder = document.createElement('div');
            holder.innerHTML = '<img src=x onerror="window.pwned = 1">';
            document.body.appendChild(holder);
            const script = document.createElement('script');
            script.textContent = 'window.pwned = 2';
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert violations, "the browser reported no refusal"


def test_the_send_once_script_runs_from_its_file(page):
    violations = _collect_violations(page)
    page.goto("/complaints/file/")
    page.evaluate(
        """() => {
            const form = document.querySelector('form[data-single-submit]');
            form.addEventListener('submit', (event) => event.preventDefault());
            form.requestSubmit();
        }"""
    )
    page.wait_for_timeout(100)
    disabled = page.evaluate(
        "[...document.querySelectorAll('form[data-single-submit] button[type=submit]')]"
        ".every((button) => button.disabled)"
    )
    assert disabled
    assert violations == []


def test_the_admin_works_under_the_policy(page, make_user):
    violations = _collect_violations(page)
    supervisor = make_user(
        "supervisor@example.com", role=roles.SUPERVISOR, password="pw-supervisor-123"
    )
    TOTP.activate(supervisor, DEMO_TOTP_SECRET)
    sign_in(page, "supervisor@example.com", "pw-supervisor-123")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_code())
    page.click("button[type=submit]")
    page.goto("/admin/providers/provider/")
    page.goto("/admin/core/news/add/")
    page.locator("input[name=title]").press_sequentially("Policy news")
    # the admin's prepopulated-slug script runs: it fills the slug from the title
    assert page.input_value("input[name=slug]") == "policy-news"
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert violations == []
