"""The notices admin: the count before sending, the send button, progress and the delivery
report, and who may open and send."""

import csv
import io

import pytest
from django.urls import reverse

from accounts import roles
from notices.models import Notice
from notices.rules import Audience, NoticeStatus
from providers.rules import Level

from .factories import active_providers, make_notice

pytestmark = pytest.mark.django_db


def _change_url(notice):
    return reverse("admin:notices_notice_change", args=[notice.pk])


def test_the_change_page_previews_the_count_and_sends(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    active_providers(3)
    notice = make_notice()
    client = staff_client(roles.LICENSING_REVIEWER)
    page = client.get(_change_url(notice)).content.decode()
    assert "reaches <strong>3</strong> people" in page
    assert "Send to 3 people" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notices_notice_send", args=[notice.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 3
    page = client.get(_change_url(notice)).content.decode()
    assert "<strong>3</strong> sent, 0 skipped (no email), 0 failed, 0 being sent — 3 of 3" in page
    report = client.get(reverse("admin:notices_notice_report", args=[notice.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == ["recipient", "email", "status", "reason", "attempts", "sent at"]
    assert sorted(row[1] for row in rows[1:]) == [f"p{i:03d}@example.com" for i in range(3)]
    assert {row[2] for row in rows[1:]} == {"sent"}


def test_a_notice_to_nobody_offers_no_send_button_and_the_send_is_refused(staff_client):
    active_providers(1, level=Level.EMT)
    notice = make_notice(audience=Audience.LEVEL, level=Level.PARAMEDIC)
    client = staff_client(roles.SUPERVISOR)
    page = client.get(_change_url(notice)).content.decode()
    assert "reaches <strong>0</strong> people" in page
    assert "Send to" not in page
    response = client.post(reverse("admin:notices_notice_send", args=[notice.pk]), follow=True)
    assert "reaches nobody" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_the_preview_action_reports_each_count(staff_client):
    active_providers(2)
    notice = make_notice()
    client = staff_client(roles.SUPERVISOR)
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "preview_count", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert "reaches 2 people today" in response.content.decode()


def test_composing_records_the_author_and_a_sent_notice_cannot_be_edited(
    staff_client, django_capture_on_commit_callbacks
):
    active_providers(1)
    client = staff_client(roles.LICENSING_REVIEWER)
    response = client.post(
        reverse("admin:notices_notice_add"),
        {"subject": "Storm deployment", "body": "Report to staging.", "audience": "level"},
    )
    assert "Pick the level this notice goes to." in response.content.decode()
    client.post(
        reverse("admin:notices_notice_add"),
        {"subject": "Storm", "body": "Report.", "audience": Audience.ACTIVE_PROVIDERS},
    )
    notice = Notice.objects.get(subject="Storm")
    assert notice.created_by == client.user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:notices_notice_send", args=[notice.pk]))
    client.post(_change_url(notice), {"subject": "Changed", "body": "x", "audience": "level"})
    notice.refresh_from_db()
    assert notice.subject == "Storm"


@pytest.mark.parametrize("role", [roles.INVESTIGATOR, roles.VEHICLE_INSPECTOR, roles.FINANCE])
def test_other_staff_roles_cannot_open_or_send_notices(staff_client, role):
    active_providers(1)
    notice = make_notice()
    client = staff_client(role)
    assert client.get(_change_url(notice)).status_code == 403
    assert client.post(reverse("admin:notices_notice_send", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_people_outside_the_staff_are_sent_to_sign_in(client, make_user):
    notice = make_notice()
    client.force_login(make_user(role=roles.PROVIDER))
    response = client.post(reverse("admin:notices_notice_send", args=[notice.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
