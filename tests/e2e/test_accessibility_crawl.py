"""The accessibility crawl: with the demo data loaded, every page each kind of visitor reaches from
the navigation and their dashboard (anonymous, a provider, an organization administrator, a
training institution, a supervisor with the staff pages and a sample of the admin) is opened in
Chromium at phone width (390×844, a mobile device) and at desktop width (1280), and must answer
200 with an <h1>, a real <title>, no sideways scrolling of the page (a wide table scrolls inside
its own box) and no serious or critical axe violation; the help, FAQ, contact and news pages
(STRICT) must have no axe violation of any impact at phone width. A site-wide alert of each
level shows on every page of the crawl. A few forms are also checked sent back
with their errors, and the pages a POST leads to (a payment attempt, a document job, a
reinstatement) are reached by clicking through.

One test seeds the demo once; each page at each width is a subtest, so one run reports every
failing page. The last subtest checks that every page URL name of the portal was crawled or is
listed in NOT_PAGES with the reason it is not a page a visitor lands on: a new page joins the
crawl, or says why not."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from playwright.sync_api import Page

from tests.information.factories import site_alerts_of_each_level

from .conftest import PHONE, assert_accessible, assert_no_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {
    "phone": {"viewport": PHONE, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

# The portal's own page namespaces (allauth's pages are crawled by name below, not guarded).
NAMESPACES = [
    "core",
    "accounts",
    "providers",
    "education",
    "organizations",
    "vehicles",
    "complaints",
    "rates",
    "payments",
    "test_processor",
    "information",
    "documents",
    "nemsis",
    "oversight",
]

NOT_PAGES = {
    "core:healthz": "health probe (JSON)",
    "accounts:api-token-revoke": "POST action",
    "providers:ce-delete": "POST action",
    "providers:renewal-start": "POST action",
    "providers:renewal-document": "POST upload",
    "providers:renewal-action": "POST action",
    "providers:initial-action": "POST action",
    "providers:reinstatement-action": "POST action",
    "providers:credential-renew": "POST action",
    "providers:contact-use-account-email": "POST action",
    "providers:name-change": "POST upload (its errors show on providers:contact)",
    "organizations:ido-list-csv": "CSV download",
    "organizations:contacts-csv": "CSV download",
    "organizations:person-remove": "POST action",
    "organizations:affiliation-decide": "POST action",
    "organizations:my-affiliation-end": "POST action",
    "vehicles:inspection-answer": "POST action",
    "rates:short-form-xlsx": "spreadsheet download",
    "rates:short-form-upload": "POST upload",
    "rates:long-form-attach": "POST upload",
    "rates:allowable-csv": "CSV download",
    "rates:allowable-xlsx": "spreadsheet download",
    "rates:staff-send-reminders": "POST action",
    "payments:receipt-pdf": "PDF download",
    "payments:export": "CSV download",
    "payments:attempt-status": "JSON the processing page polls",
    "payments:webhook": "the payment processor's signed POST",
    "test_processor:release-debits": "POST action",
    "test_processor:open-dispute": "POST action",
    "information:stroke-centers-csv": "CSV download",
    "information:trauma-centers-csv": "CSV download",
    "documents:request": "POST action (crawled through its result page)",
    "documents:job-status": "JSON the job page polls",
    "nemsis:dem-confirm": "POST action (its result is the report page, crawled)",
    "core:file": "file download (checked per object, core.files)",
    "information:alert-dismiss": "POST action (the alert form on every page)",
}

# Pages held to axe with no violation of any impact (every rule, "region" included) at phone
# width; the rest of the crawl is held to no serious or critical violation.
STRICT = {
    "information:help",
    "information:help-topic",
    "information:faq",
    "information:contact",
    "core:news-detail",
}

# The admin sample: the index, then each app's main changelist and its first object's change
# page. The ones chosen also hold the markup Django's admin writes in ways axe flags: split
# date/time (news), tabular inlines and filter_horizontal (organization), list-editable rows
# (award categories); static/js/admin-a11y.js and templates/admin/ repair them.
ADMIN_MODELS = [
    "core.news",
    "accounts.user",
    "providers.renewalapplication",
    "education.course",
    "organizations.organization",
    "vehicles.inspection",
    "complaints.complaint",
    "rates.ratefiling",
    "payments.invoice",
    "information.hospital",
    "documents.documentjob",
    "nemsis.scopeitem",
]
ADMIN_CHANGELISTS_ONLY = ["information.awardcategory"]

# Whether the page scrolls sideways, and which elements stick out (for the failure message).
# Measured against the layout viewport (clientWidth), not window.innerWidth: on a mobile
# viewport Chromium zooms out to fit content wider than the screen, innerWidth grows with it,
# and "scrollWidth <= innerWidth" would always hold.
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width + 1) return null;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest('.table-scroll, .usa-table-container--scrollable'))
      wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} (right ${Math.round(box.right)})`);
  }
  return {scrollWidth: root.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


@dataclass
class After:
    """A page a POST leads to: the walk there runs once (at desktop width) and returns the path
    it landed on, which is then opened at each width."""

    name: str
    walk: Callable[[Page], str]


@dataclass
class Showing:
    """A page in a state no GET reaches (a form sent back with its errors): set up at each width
    and checked as it stands (its status is the form's business: 200 or 400)."""

    name: str
    setup: Callable[[Page], None]


@dataclass
class Visitor:
    name: str
    email: str | None = None
    staff: bool = False
    pages: list[str | After | Showing] = field(default_factory=list)


def _path(name, *args, query=""):
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _admin(label, action, *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{action}", args=args)


def _visitors():  # noqa: C901 — one list of pages per visitor reads best in one place
    from django.apps import apps

    from accounts.models import User
    from core.models import News
    from education.models import Course
    from information.models import AwardCategory, HelpTopic, Publication
    from organizations.models import ApplicationKind, Organization, OrganizationApplication
    from payments.models import Invoice, Payment
    from providers import selectors as provider_selectors
    from providers.models import (
        CertificationStatus,
        InitialApplication,
        RenewalApplication,
        RenewalStep,
    )
    from rates.models import FilingStatus, RateFiling, RateYear
    from vehicles.models import Inspection, Vehicle

    def user(email):
        return User.objects.get(email=email)

    news = News.objects.published().filter(attachments__isnull=False).first()
    help_topics = HelpTopic.objects.published().values_list("slug", flat=True)
    publication = Publication.objects.published().first()
    award = AwardCategory.objects.filter(is_active=True).first()
    course = Course.objects.order_by("pk").first()
    year = RateYear.objects.order_by("-year").first().year

    anonymous = Visitor("anonymous")
    anonymous.pages = [
        _path("core:home"),
        _path("core:news-index"),
        _path("core:news-detail", news.slug),
        _path("core:public-index"),
        _path("providers:verify"),
        _path("providers:verify", query="number=E100001"),
        _path("complaints:file"),
        _path("complaints:filed"),
        _path("organizations:directory"),
        _path("organizations:psa-by-town"),
        _path("organizations:psa-by-organization"),
        _path("organizations:ido-list"),
        _path("rates:allowable-index"),
        _path("rates:allowable-year", year),
        _path("information:stroke-centers"),
        _path("information:trauma-centers"),
        _path("information:awards"),
        _path("information:nominate", award.slug),
        _path("information:nominate-thanks", award.slug),
        _path("information:publications"),
        _path("information:publication-detail", publication.slug),
        _path("information:help"),
        *[_path("information:help-topic", slug) for slug in help_topics],
        _path("information:faq"),
        _path("information:contact"),
        _path("nemsis:scope-of-practice"),
        _path("education:catalogue"),
        _path("education:course", course.pk),
        _path("documents:index"),
        _path("account_login"),
        _path("account_signup"),
        _path("account_reset_password"),
        Showing("sign-in refused", _refused_sign_in),
    ]

    provider = Visitor("provider", "provider@example.com")
    provider.pages = [
        _path("core:home"),  # the signed-in header
        _path("core:dashboard"),
        _path("providers:home"),
        _path("providers:ce"),
        _path("providers:contact"),
        Showing("continuing education form with its errors", _empty_ce_form),
        _path("providers:initial-home"),
        _path("organizations:my-affiliations"),
        _path("organizations:link"),
        _path("payments:mine"),
        _path("documents:index"),
        _path("accounts:api-token"),
        _path("account_email"),
        _path("account_change_password"),
        _path("mfa_index"),
        _path("mfa_activate_totp"),
    ]

    # Providers in the middle of an application (the demo's people at each stage).
    draft = RenewalApplication.objects.get(applicant=user("renewal-draft@example.com"))
    returned = RenewalApplication.objects.get(applicant=user("renewal-returned@example.com"))
    renewing = Visitor("renewing provider", "renewal-draft@example.com")
    renewing.pages = [
        _path("providers:home"),
        _path("providers:renewal-detail", draft.pk),
        *[_path("providers:renewal-step", draft.pk, step) for step in RenewalStep.values],
    ]
    returned_visitor = Visitor("provider with a returned renewal", "renewal-returned@example.com")
    returned_visitor.pages = [_path("providers:renewal-detail", returned.pk)]

    initial = InitialApplication.objects.get(applicant=user("new.draft@example.com"))
    applicant = Visitor("initial applicant", "new.draft@example.com")
    applicant.pages = [
        _path("providers:initial-home"),
        _path("providers:initial-detail", initial.pk),
        _path("providers:initial-edit", initial.pk),
    ]

    lapsed_user = user("lapsed@example.com")
    lapsed_number = next(
        c.number
        for c in provider_selectors.certifications_of(lapsed_user)
        if c.status != CertificationStatus.ACTIVE
    )

    def start_reinstatement(page):
        page.goto(_path("providers:reinstatement-start", lapsed_number))
        page.get_by_role("button", name="Start the reinstatement").click()
        page.wait_for_url(re.compile(r"/providers/reinstatements/\d+/$"))
        return page.url

    lapsed = Visitor("lapsed provider", "lapsed@example.com")
    lapsed.pages = [
        _path("providers:home"),
        _path("providers:reinstatement-start", lapsed_number),
        After("the reinstatement started", start_reinstatement),
    ]

    orgadmin_user = user("orgadmin@example.com")
    organization = Organization.objects.filter(administrators=orgadmin_user).order_by("pk").first()
    filing = RateFiling.objects.filter(
        organization__administrators=orgadmin_user, status=FilingStatus.DRAFT
    ).first()
    open_year = RateYear.objects.get(status="open").year
    applications = OrganizationApplication.objects.filter(applicant=orgadmin_user)
    open_invoices = list(
        Invoice.objects.filter(payer=orgadmin_user, status="open").order_by("created_at")[:2]
    )
    settled = Payment.objects.filter(payer=orgadmin_user, status="settled").first()

    def start_payment(method_index):
        def walk(page):
            page.goto(_path("payments:pay", open_invoices[method_index].pk))
            page.locator(f"label[for=id_method_{method_index}]").click()
            page.get_by_role("button", name="Continue to payment").click()
            page.wait_for_url(re.compile(r"/test-processor/pay/"))  # the hosted page
            return page.url

        return After(f"payment attempt {method_index + 1}", walk)

    def processing(page):
        """Back from the processor's page before its confirmation: "processing"."""
        page.goto(_path("payments:pay", open_invoices[0].pk))
        page.locator("label[for=id_method_0]").click()
        page.get_by_role("button", name="Continue to payment").click()
        page.wait_for_url(re.compile(r"/test-processor/pay/"))
        pending = Payment.objects.filter(payer=orgadmin_user, status="pending").latest("created_at")
        page.goto(_path("payments:attempt", pending.pk))
        return page.url

    def upload_not_a_spreadsheet(page):
        page.goto(_path("rates:short-form", filing.organization_id, open_year))
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "rates.xlsx", "mimeType": "text/plain", "buffer": b"not rates"}]
        )
        page.get_by_role("button", name="Upload the spreadsheet").click()
        page.get_by_test_id("spreadsheet-errors").wait_for()

    def register_nothing(page):
        page.goto(_path("vehicles:register"))
        page.get_by_role("button", name="Register vehicle").click()
        page.locator(".usa-error-message").first.wait_for()

    def request_document(page):
        page.goto(_path("documents:index"))
        page.get_by_role("button", name=re.compile("^Request the PDF")).first.click()
        page.wait_for_url(re.compile(r"/documents/jobs/[0-9a-f-]+/$"))
        return page.url

    def send_dem_file(page):
        from nemsis.sample_dem import sample_for

        page.goto(_path("nemsis:dem-upload", organization.pk))
        page.locator("input[type=file]").set_input_files(
            files=[
                {
                    "name": "dem.xml",
                    "mimeType": "application/xml",
                    "buffer": sample_for(organization).xml(),
                }
            ]
        )
        page.get_by_role("button", name="Send and check").click()
        page.wait_for_url(re.compile(r"/nemsis/dem/[0-9a-f-]+/$"))
        return page.url

    orgadmin = Visitor("organization administrator", "orgadmin@example.com")
    orgadmin.pages = [
        _path("core:dashboard"),
        _path("organizations:manage", organization.pk),
        _path("organizations:edit-contact", organization.pk),
        _path("organizations:person-add", organization.pk),
        _path("organizations:chief-report", organization.pk),
        _path("organizations:transfer", organization.pk),
        _path("organizations:roster", organization.pk),
        _path("organizations:link"),
        _path("organizations:link-confirm", query=f"number={organization.number}"),
        _path("organizations:application-new", ApplicationKind.NEW_ORGANIZATION),
        *[
            _path("organizations:application-new", kind, query=f"organization={organization.pk}")
            for kind in [ApplicationKind.CHANGE_OF_SERVICES, ApplicationKind.RENEWAL]
        ],
        *[
            _path("organizations:application", application.pk)
            for application in applications.filter(status__in=["draft", "returned", "in_review"])
        ],
        _path("providers:link"),
        _path("vehicles:list"),
        _path("vehicles:register"),
        Showing("vehicle registration with its errors", register_nothing),
        _path("vehicles:detail", Vehicle.objects.filter(organization=organization).first().pk),
        _path("rates:my-filings"),
        *[
            _path("rates:filing-detail", f.pk)
            for f in RateFiling.objects.filter(organization__administrators=orgadmin_user)
        ][:3],
        _path("rates:short-form", filing.organization_id, open_year),
        Showing("Short Form upload refused", upload_not_a_spreadsheet),
        _path("rates:long-form", filing.organization_id, open_year),
        _path("rates:non-charging", filing.organization_id, open_year),
        _path("payments:mine"),
        _path("payments:pay", open_invoices[0].pk),
        _path("payments:receipt", settled.pk),
        start_payment(0),
        start_payment(1),
        After("back from the processor's page", processing),
        After("a document requested", request_document),
        _path("nemsis:dem-upload", organization.pk),
        After("a DEM file sent", send_dem_file),
    ]

    training = Visitor("training institution", "training@example.com")
    training.pages = [
        _path("core:dashboard"),
        _path("education:mine"),
        _path("education:apply"),
        _path("education:course", course.pk),
    ]

    supervisor = Visitor("supervisor", "supervisor@example.com", staff=True)
    scheduled = Inspection.objects.filter(status="scheduled").order_by("pk").first()
    supervisor.pages = [
        _path("core:dashboard"),
        _path("oversight:dashboard"),
        _path("rates:staff-dashboard"),
        _path("rates:staff-season", open_year),
        _path("payments:daily-totals"),
        _path("test_processor:dashboard"),
        _path("vehicles:inspector-today"),
        _path("vehicles:scheduled"),
        _path("vehicles:inspection-record", scheduled.pk),
        _path("admin:index"),
    ]
    for label in ADMIN_MODELS:
        supervisor.pages.append(_admin(label, "changelist"))
        obj = apps.get_model(label)._default_manager.order_by("pk").first()
        if obj is not None:
            supervisor.pages.append(_admin(label, "change", obj.pk))
    supervisor.pages += [_admin(label, "changelist") for label in ADMIN_CHANGELISTS_ONLY]

    return [
        anonymous,
        provider,
        renewing,
        returned_visitor,
        applicant,
        lapsed,
        orgadmin,
        training,
        supervisor,
    ]


def _refused_sign_in(page):
    page.goto(_path("account_login"))
    page.fill("input[name=login]", "nobody@example.com")
    page.fill("input[name=password]", "not the password")
    # By name: the site alerts' "Dismiss" buttons on this crawl's pages are submit buttons too.
    page.get_by_role("button", name="Sign In").click()
    page.locator(".usa-alert--error, .usa-error-message, .errorlist").first.wait_for()


def _empty_ce_form(page):
    page.goto(_path("providers:ce"))
    page.get_by_role("button", name="Record course").click()
    page.locator(".usa-error-message").first.wait_for()


def _sign_in(browser, base_url, visitor):
    """A desktop and a phone context sharing one signed-in session."""
    from accounts.demo import DEMO_PASSWORD
    from accounts.management.commands.demo_totp_code import current_code

    desktop = browser.new_context(base_url=base_url, **WIDTHS["desktop"])
    if visitor.email:
        page = desktop.new_page()
        page.set_default_timeout(15_000)
        sign_in(
            page,
            visitor.email,
            DEMO_PASSWORD,
            totp_code=current_code() if visitor.staff else None,
        )
        page.wait_for_url(lambda url: "/accounts/" not in url)
        page.close()
    phone = browser.new_context(
        base_url=base_url, storage_state=desktop.storage_state(), **WIDTHS["phone"]
    )
    return {"desktop": desktop, "phone": phone}


def _check(page, path, width):
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path} answered {response and response.status}"
    )
    strict = width == "phone" and resolve(path.split("?")[0]).view_name in STRICT
    _check_as_it_stands(page, path, width, strict=strict)


def _check_as_it_stands(page, path, width, *, strict=False):
    overflow = page.evaluate(OVERFLOW)
    assert overflow is None, f"the page scrolls sideways at {width} width: {overflow}"
    assert page.locator("h1").count() >= 1, "no <h1>"
    title = page.title().strip()
    assert title and not title.startswith("|"), f"no page title: {title!r}"
    check = assert_no_violations if strict else assert_accessible
    check(page, context=f"{path} at {width} width")


def _portal_page_names():
    names = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace in NAMESPACES and entry.name:
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_page_of_every_visitor_at_phone_and_desktop_width(browser, live_server, subtests):
    call_command("seed_demo", stdout=io.StringIO())
    site_alerts_of_each_level(title="{label}: a notice from the office", lasting=timedelta(hours=6))
    crawled = set()
    for visitor in _visitors():
        contexts = _sign_in(browser, live_server.url, visitor)
        pages = {width: context.new_page() for width, context in contexts.items()}
        for page in pages.values():
            page.set_default_timeout(15_000)
        for entry in visitor.pages:
            if isinstance(entry, Showing):
                for width, page in pages.items():
                    with subtests.test(msg=f"{visitor.name} at {width} width: {entry.name}"):
                        entry.setup(page)
                        _check_as_it_stands(page, entry.name, width)
                continue
            if isinstance(entry, After):
                with subtests.test(msg=f"{visitor.name}: {entry.name}"):
                    entry = entry.walk(pages["desktop"]).removeprefix(live_server.url)
                if not isinstance(entry, str):  # the walk failed: reported above
                    continue
            crawled.add(resolve(entry.split("?")[0]).view_name)
            for width, page in pages.items():
                with subtests.test(msg=f"{visitor.name} at {width} width: {entry}"):
                    _check(page, entry, width)
        for context in contexts.values():
            context.close()

    with subtests.test(msg="every page of the portal is crawled or listed in NOT_PAGES"):
        names = _portal_page_names()
        missing = names - crawled - set(NOT_PAGES)
        assert not missing, f"pages no visitor of the crawl opens: {sorted(missing)}"
        stale = set(NOT_PAGES) - names
        assert not stale, f"NOT_PAGES names no URL of the portal: {sorted(stale)}"
