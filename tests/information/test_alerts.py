"""The site-wide alert: shown on every page inside its window, dismissed for the session with a
plain form, announced at once only for an emergency; an end before the start is refused beside
the field."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from information import selectors
from information.models import AlertLevel, SiteAlert

pytestmark = pytest.mark.django_db


def make_alert(*, starts_in=timedelta(hours=-1), ends_in=timedelta(hours=1), **fields):
    now = timezone.now()
    fields = {"title": "Storm deployment", "message": "Do **not** self-deploy.", **fields}
    return SiteAlert.objects.create(starts_at=now + starts_in, ends_at=now + ends_in, **fields)


def shown(client, url="/") -> list[str]:
    return re.findall(r'data-site-alert="(\w+)"', client.get(url).content.decode())


@pytest.mark.parametrize(
    ("starts_in", "ends_in", "showing"),
    [
        (timedelta(minutes=5), timedelta(hours=2), False),  # before the start
        (timedelta(minutes=-5), timedelta(hours=2), True),  # during
        (timedelta(hours=-2), timedelta(minutes=-1), False),  # after the end
    ],
)
def test_an_alert_shows_only_inside_its_window(client, starts_in, ends_in, showing):
    make_alert(starts_in=starts_in, ends_in=ends_in)
    for url in ["/", "/help/", "/verify/", "/accounts/login/"]:
        assert shown(client, url) == (["info"] if showing else [])


def test_the_window_is_applied_to_the_cached_list_so_an_alert_starts_on_time():
    alert = make_alert(starts_in=timedelta(minutes=10), ends_in=timedelta(hours=1))
    now = timezone.now()
    assert selectors.site_alerts(now=now) == []  # cached: the alert is known, not yet showing
    assert selectors.site_alerts(now=now + timedelta(minutes=11)) == [alert]
    assert selectors.site_alerts(now=now + timedelta(hours=2)) == []


def test_dismissed_for_the_session_without_javascript(client):
    alert = make_alert()
    other = make_alert(title="Outage", level=AlertLevel.WARNING)
    response = client.post(f"/alerts/{alert.pk}/dismiss/", {"next": "/help/?page=1"})
    assert response.status_code == 302 and response.url == "/help/?page=1"
    assert shown(client, "/help/") == ["warning"]  # only the other one
    assert shown(client, "/") == ["warning"]
    # A new session (another browser, or after signing in again) sees it again.
    client.cookies.clear()
    assert sorted(shown(client)) == ["info", "warning"]
    assert other.pk != alert.pk


def test_dismiss_never_redirects_off_the_site(client):
    alert = make_alert()
    response = client.post(f"/alerts/{alert.pk}/dismiss/", {"next": "https://evil.example/"})
    assert response.url == "/"
    assert client.get(f"/alerts/{alert.pk}/dismiss/").status_code == 405


def test_only_an_emergency_is_announced_at_once_others_are_regions_with_a_heading(client):
    make_alert(level=AlertLevel.EMERGENCY, title="Evacuate")
    make_alert(level=AlertLevel.INFO, title="Maintenance")
    page = client.get("/").content.decode()
    regions = re.findall(
        r'<section class="site-alert" aria-labelledby="([^"]+)" data-site-alert="(\w+)">\s*'
        r'<div class="usa-alert usa-alert--\w+ margin-0"( role="alert")?>',
        page,
    )
    assert [(level, bool(role)) for _, level, role in regions] == [
        ("emergency", True),  # emergencies first
        ("info", False),
    ]
    for heading_id, _, _ in regions:
        assert f'<h2 class="usa-alert__heading" id="{heading_id}">' in page
    assert "Emergency: Evacuate" in page and "Do <strong>not</strong> self-deploy." in page


def test_the_message_is_sanitised_markdown(client):
    make_alert(message="<img src=x onerror=alert(1)> [more](javascript:alert(1))")
    page = client.get("/").content.decode()
    alert = page[
        page.index('<section class="site-alert"') : page.index(
            "</section>", page.index('<section class="site-alert"')
        )
    ]
    assert "&lt;img src=x onerror=alert(1)&gt;" in alert
    assert "<img" not in alert and 'href="javascript:' not in alert


def test_an_alert_staff_save_shows_at_once(staff_client, django_capture_on_commit_callbacks):
    client = staff_client(roles.SUPERVISOR)
    assert shown(client) == []  # cached empty
    now = timezone.localtime()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/information/sitealert/add/", _form(now, now + timedelta(hours=3))
        )
    assert response.status_code == 302
    assert shown(client) == ["warning"]
    alert = SiteAlert.objects.get()
    assert alert.history.get().history_user == client.user


def _form(starts, ends, **extra):
    return {
        "level": "warning",
        "title": "Licensing system outage",
        "message": "Payments are paused until 5 p.m.",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        **extra,
    }


def test_an_end_before_the_start_is_refused_beside_the_field(staff_client):
    client = staff_client(roles.SUPERVISOR)
    now = timezone.localtime()
    response = client.post(
        "/admin/information/sitealert/add/", _form(now, now - timedelta(hours=1))
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "ends_at": ["The end must be after the start."]
    }
    assert not SiteAlert.objects.exists()


def test_the_database_refuses_an_end_before_the_start_too():
    from django.db import IntegrityError, transaction

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteAlert.objects.create(title="x", message="x", starts_at=now, ends_at=now)


def test_roles_without_the_alert_permission_cannot_set_one(staff_client):
    assert staff_client(roles.INVESTIGATOR).get("/admin/information/sitealert/").status_code == 403


def test_made_up_dismissals_cannot_grow_the_session_without_bound(client):
    from information.constants import DISMISSED_ALERTS, DISMISSED_ALERTS_KEPT

    alert = make_alert()
    client.post(f"/alerts/{alert.pk}/dismiss/")
    for made_up in range(10_000, 10_000 + DISMISSED_ALERTS_KEPT * 3):
        client.post(f"/alerts/{made_up}/dismiss/")
    kept = client.session[DISMISSED_ALERTS]
    assert len(kept) == DISMISSED_ALERTS_KEPT
    assert kept[-1] == 10_000 + DISMISSED_ALERTS_KEPT * 3 - 1  # the newest are the ones kept
