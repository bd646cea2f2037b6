"""Navigation that reaches everything: the public finds the course catalogue, awards, reports,
help and "Start a new EMS organization" from the home page; each staff role follows every link
its header and dashboard show and never lands on a 403 or a 404."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from accounts import roles

pytestmark = pytest.mark.django_db

# The staff role fixtures of tests/conftest.py (and the finance office, staff too).
STAFF_ROLE_FIXTURES = ["reviewer", "supervisor", "investigator", "analyst", "inspector"]


class _Links(HTMLParser):
    """The hrefs inside the header navigation and the main content of a page."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <nav> or <main>
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("nav", "main"):
            self.depth += 1
        href = dict(attrs).get("href")
        if tag == "a" and self.depth and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("nav", "main"):
            self.depth -= 1


def own_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, tel:, #fragment
        if parts.path not in found:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def staff_navigation(client) -> list[str]:
    links = []
    for page in ["/", "/dashboard/", "/admin/"]:
        response = client.get(page)
        assert response.status_code == 200, page
        links += [link for link in own_links(response.content.decode()) if link not in links]
    return links


@pytest.mark.parametrize("fixture", STAFF_ROLE_FIXTURES + ["finance"])
def test_every_staff_link_a_role_sees_opens(request, fixture, staff_client, make_user):
    if fixture == "finance":
        user = make_user("finance@example.com", role=roles.FINANCE)
    else:
        user = request.getfixturevalue(fixture)
    client = staff_client(user=user)
    links = staff_navigation(client)
    assert "/admin/" in links and "/help/" in links
    dead = {}
    for link in links:
        if link.startswith("/accounts/logout"):
            continue
        status = client.get(link).status_code
        if status in (403, 404):
            dead[link] = status
    assert not dead, f"{user.email} ({fixture}) sees links it cannot open: {dead}"


def test_the_public_reaches_courses_awards_reports_help_and_a_new_organization(client):
    home = client.get("/").content.decode()
    for url in [
        "/courses/",
        "/awards/",
        "/publications/",
        "/help/",
        "/contact/",
        "/organizations/applications/new/new_organization/",
    ]:
        assert f'href="{url}"' in home, url
        if "applications" not in url:
            assert client.get(url).status_code == 200, url


def test_signed_out_visitors_starting_an_organization_sign_in_and_come_back(client, make_user):
    start = "/organizations/applications/new/new_organization/"
    response = client.get(start)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={start}"
    user = make_user("founder@example.com", password="correct-horse-battery")
    signed_in = client.post(
        response.url, {"login": user.email, "password": "correct-horse-battery"}
    )
    assert signed_in.status_code == 302 and signed_in.url == start


def test_a_signed_in_person_who_administers_nothing_can_start_an_organization(client, make_user):
    client.force_login(make_user("nobody@example.com"))
    home = client.get("/").content.decode()
    assert 'href="/organizations/applications/new/new_organization/"' in home
    response = client.get("/organizations/applications/new/new_organization/")
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
