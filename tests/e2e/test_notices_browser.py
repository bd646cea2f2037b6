"""In Chromium at phone width: a provider finds a notice on the dashboard, opens it, and lists
their notices; every page passes axe."""

import pytest

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_provider_reads_a_notice_from_the_dashboard_at_phone_width(phone_page, make_user):
    from accounts import roles
    from notices import services

    from ..notices.factories import active_providers, make_notice

    (provider,) = active_providers(1)
    provider.user = make_user("reader@example.com", password="a-long-reader-passphrase")
    provider.save()
    notice = make_notice(subject="Storm deployment: staging at Bradley")
    # outside a transaction the outbox runs the dispatch and the batch at once (eager Celery)
    services.notice_send(notice=notice, actor=make_user(role=roles.SUPERVISOR))

    sign_in(phone_page, "reader@example.com", "a-long-reader-passphrase")
    phone_page.goto("/dashboard/")
    panel = phone_page.get_by_role("region", name="Notices from the office")
    assert_accessible(phone_page, context="dashboard with the notices panel")
    panel.get_by_role("link", name="Storm deployment: staging at Bradley").click()
    assert "The statewide protocols change on July 1." in phone_page.locator("main").inner_text()
    assert_accessible(phone_page, context="one notice")
    phone_page.get_by_role("link", name="All my notices").click()
    assert "p000@example.com" in phone_page.locator("main").inner_text()
    assert_accessible(phone_page, context="my notices")
