"""Verify by number is cached per number (the row, never the status) and every change that
verify shows reaches the next look-up: discipline, a level change, a name change, a new
certification under a number someone already tried, and the passing of the expiration date."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.transitions import save_with_audit
from providers import selectors, services
from providers.rules import Level

from .factories import make_certification

pytestmark = pytest.mark.django_db(transaction=True)  # invalidation runs on commit


@pytest.fixture
def api():
    return APIClient()


def _verify(api, number):
    return api.get(f"/api/v1/verify/{number}/")


def test_a_repeated_look_up_does_not_reach_the_database(api, django_assert_num_queries):
    certification = make_certification(first_name="Ada", last_name="Lovelace")
    with django_assert_num_queries(1):
        first = _verify(api, certification.number).json()
    with django_assert_num_queries(0):
        again = _verify(api, certification.number).json()
    assert again == first
    assert again["name"] == "Ada Lovelace"


def test_an_unknown_number_is_remembered_until_it_is_issued(api, django_assert_num_queries):
    assert _verify(api, "E777777").status_code == 404
    with django_assert_num_queries(0):
        assert _verify(api, "E777777").status_code == 404
    certification = make_certification()
    certification.number = "E777777"
    save_with_audit(certification, actor=None, reason="test: renumbered")
    assert _verify(api, "E777777").json()["number"] == "E777777"


def test_a_suspension_shows_on_the_next_look_up(api, make_user):
    certification = make_certification()
    assert _verify(api, certification.number).json()["status"] == "active"
    services.certification_suspend(
        certification=certification,
        actor=make_user(),
        reason="Complaint outcome",
        effective_from=timezone.localdate(),
    )
    body = _verify(api, certification.number).json()
    assert (body["status"], body["status_display"]) == ("suspended", "Suspended")


def test_a_name_change_shows_on_every_certification_of_the_provider(api):
    certification = make_certification(first_name="Mary", last_name="Smith")
    assert _verify(api, certification.number).json()["name"] == "Mary Smith"
    provider = certification.provider
    provider.last_name = "Jones"
    save_with_audit(provider, actor=None, reason="Name change (marriage certificate)")
    assert _verify(api, certification.number).json()["name"] == "Mary Jones"


def test_a_level_change_points_the_old_number_to_the_new_one(api, make_user):
    emt = make_certification(level=Level.EMT)
    assert _verify(api, emt.number).json()["superseded_by"] is None
    paramedic = make_certification(provider=emt.provider, level=Level.PARAMEDIC)
    services.certification_supersede(certification=emt, by=paramedic, actor=make_user())
    body = _verify(api, emt.number).json()
    assert (body["status"], body["superseded_by"]) == ("superseded", paramedic.number)


def test_the_status_follows_the_calendar_not_the_cache(api, monkeypatch):
    certification = make_certification(expires_in=0)
    assert _verify(api, certification.number).json()["status"] == "active"
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert _verify(api, certification.number).json()["status"] == "in_grace"


def test_the_page_by_number_uses_the_same_record(client, django_assert_num_queries):
    certification = make_certification(first_name="Grace", last_name="Hopper")
    selectors.verify_one(number=certification.number)  # cached
    with django_assert_num_queries(0):
        response = client.get("/verify/", {"number": certification.number})
    assert "Grace Hopper" in response.content.decode()


def _page(client, number):
    return client.get("/verify/", {"number": number}).content.decode()


def test_the_page_shows_every_change_the_api_shows(client, make_user, monkeypatch):
    """The page keeps its rendered content per worker (core.lean), keyed by what it shows:
    a suspension, a name change and the calendar each make a different page."""
    certification = make_certification(first_name="Mary", last_name="Smith", expires_in=0)
    page = _page(client, certification.number)
    assert "Mary Smith" in page and "Active" in page
    assert _page(client, certification.number) == page  # the same record: the same page
    provider = certification.provider
    provider.last_name = "Jones"
    save_with_audit(provider, actor=None, reason="Name change (marriage certificate)")
    assert "Mary Jones" in _page(client, certification.number)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert "in grace period" in _page(client, certification.number)
    services.certification_suspend(
        certification=certification, actor=make_user(), reason="x", effective_from=tomorrow
    )
    assert "Suspended" in _page(client, certification.number)


def test_a_page_rendered_by_one_worker_serves_the_others(client, monkeypatch):
    """A content another worker rendered comes from the shared cache, not a new rendering;
    another release of the templates renders its own."""
    from core import lean

    certification = make_certification(first_name="Grace", last_name="Hopper")
    first = _page(client, certification.number)
    rendered = []
    real_render = lean.render_to_string

    def counting_render(template, *args, **kwargs):
        rendered.append(template)
        return real_render(template, *args, **kwargs)

    monkeypatch.setattr(lean, "render_to_string", counting_render)
    lean._contents.clear()  # another worker: nothing of its own yet
    assert _page(client, certification.number) == first
    assert rendered == []
    lean._contents.clear()
    monkeypatch.setattr(lean, "templates_fingerprint", lambda: "another-release")
    assert _page(client, certification.number) == first
    assert rendered == ["providers/verify.html"]


def test_the_page_keeps_the_signed_in_visitors_frame(client, make_user):
    """Anonymous visitors share one rendered frame; a signed-in one gets their own menu."""
    certification = make_certification(first_name="Grace", last_name="Hopper")
    anonymous = _page(client, certification.number)
    assert "Sign in" in anonymous and "Sign out" not in anonymous
    client.force_login(make_user())
    signed_in = _page(client, certification.number)
    assert "Sign out" in signed_in and "Grace Hopper" in signed_in
    client.logout()
    assert "Sign out" not in _page(client, "E999999")


def test_the_shared_frame_shows_a_new_site_alert_at_once(client):
    """The anonymous frame is kept per worker, but per the alerts showing: one posted after the
    frame was first rendered is on the very next page, and it goes when it is withdrawn."""
    from tests.information.factories import site_alerts_of_each_level

    certification = make_certification(first_name="Grace", last_name="Hopper")
    assert "Storm deployment" not in _page(client, certification.number)
    alerts = site_alerts_of_each_level(title="Storm deployment ({label})")
    page = _page(client, certification.number)
    assert "Storm deployment (Emergency)" in page and "Grace Hopper" in page
    for alert in alerts:
        alert.delete()
    assert "Storm deployment" not in _page(client, certification.number)
