"""Recipients see their notices: a panel on the dashboard, a page listing them, each notice
(404 for a notice not sent to them)."""

import pytest
from django.urls import reverse

from accounts import roles
from notices import services
from notices.rules import Audience
from tests.organizations.factories import OrganizationFactory

from .factories import active_providers, make_notice

pytestmark = pytest.mark.django_db


def _send(notice, actor, capture):
    with capture(execute=True):
        services.notice_send(notice=notice, actor=actor)


def test_a_provider_sees_past_notices_on_the_dashboard_and_their_page(
    client, make_user, supervisor, django_capture_on_commit_callbacks
):
    (provider,) = active_providers(1)
    provider.user = make_user("me@example.com", role=roles.PROVIDER)
    provider.save()
    notice = make_notice(subject="Protocol update 2026")
    _send(notice, supervisor, django_capture_on_commit_callbacks)
    not_mine = make_notice(subject="For institutions", audience=Audience.TRAINING_INSTITUTIONS)
    make_user(role=roles.TRAINING_INSTITUTION)
    _send(not_mine, supervisor, django_capture_on_commit_callbacks)
    client.force_login(provider.user)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Notices from the office" in dashboard
    assert "Protocol update 2026" in dashboard
    assert "For institutions" not in dashboard
    listing = client.get(reverse("notices:list")).content.decode()
    assert "Protocol update 2026" in listing and "p000@example.com" in listing
    detail = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "<p>The statewide protocols change on July 1.</p>" in detail
    assert client.get(reverse("notices:detail", args=[not_mine.pk])).status_code == 404


def test_an_organization_administrator_sees_the_notice_sent_to_their_account(
    client, org_admin, supervisor, django_capture_on_commit_callbacks
):
    OrganizationFactory().administrators.add(org_admin)
    notice = make_notice(
        subject="Rates filing opens", audience=Audience.ORGANIZATION_ADMINISTRATORS
    )
    _send(notice, supervisor, django_capture_on_commit_callbacks)
    client.force_login(org_admin)
    assert "Rates filing opens" in client.get(reverse("core:dashboard")).content.decode()
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 200


def test_no_panel_without_notices_and_the_pages_need_sign_in(client, make_user):
    client.force_login(make_user(role=roles.PROVIDER))
    assert "Notices from the office" not in client.get(reverse("core:dashboard")).content.decode()
    assert (
        "No notice has been emailed to you yet."
        in client.get(reverse("notices:list")).content.decode()
    )
    client.logout()
    assert client.get(reverse("notices:list")).status_code == 302
