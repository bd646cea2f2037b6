"""Staff see what was sent, skipped (and why) or failed, and when; thresholds are data they
edit; the log itself is read-only; the dashboard panel shows a provider only their own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from providers.reminders import emails as reminder_emails
from providers.reminders import services as reminder_services
from providers.reminders.models import ReminderSent, ReminderStatus, ReminderThreshold

from .factories import make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(django_capture_on_commit_callbacks, monkeypatch):
    sent = make_certification(expires_in=30, email="sent@example.com", last_name="Sentwell")
    skipped = make_certification(expires_in=30, email="", last_name="Noemail")
    failing = make_certification(expires_in=30, email="bounce@example.com", last_name="Bounce")
    real = reminder_emails.send_renewal_reminder

    def send(**kwargs):
        if kwargs["to"] == "bounce@example.com":
            raise OSError("connection reset")
        return real(**kwargs)

    monkeypatch.setattr(reminder_emails, "send_renewal_reminder", send)
    with django_capture_on_commit_callbacks(execute=True):
        reminder_services.reminders_dispatch(today=timezone.localdate())
    monkeypatch.setattr(reminder_emails, "send_renewal_reminder", real)
    return sent, skipped, failing


def test_staff_see_sent_skipped_and_failed_reminders_with_filters(staff_client, logged):
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_remindersent_changelist")
    page = client.get(url).content.decode()
    assert "Sentwell" in page and "Noemail" in page and "Bounce" in page
    assert "No email address on file for this provider." in page
    skipped_only = client.get(url, {"status__exact": "skipped"}).content.decode()
    assert "Noemail" in skipped_only and "Sentwell" not in skipped_only
    found = client.get(url, {"q": "bounce"}).content.decode()
    assert "connection reset" in found and "Sentwell" not in found


def test_the_log_is_read_only(staff_client, logged):
    client = staff_client(roles.SUPERVISOR)
    row = ReminderSent.objects.first()
    response = client.post(
        reverse("admin:providers_remindersent_change", args=[row.pk]), {"status": "sent"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:providers_remindersent_add")).status_code == 403


def test_retry_now_sends_the_failed_one(
    staff_client, logged, django_capture_on_commit_callbacks, mailoutbox
):
    client = staff_client(roles.SUPERVISOR)
    failed = ReminderSent.objects.get(status=ReminderStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:providers_remindersent_changelist"),
            {"action": "retry_now", "_selected_action": [failed.pk]},
        )
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.SENT
    assert [m.to for m in mailoutbox] == [["sent@example.com"], ["bounce@example.com"]]


def test_supervisors_edit_thresholds_with_history_and_reviewers_only_read(staff_client):
    threshold = ReminderThreshold.objects.get(days_before=7)
    url = reverse("admin:providers_reminderthreshold_change", args=[threshold.pk])
    reviewer = staff_client(roles.LICENSING_REVIEWER)
    assert reviewer.get(url).status_code == 200
    assert reviewer.post(url, {"days_before": 14, "is_active": "on"}).status_code == 403
    supervisor = staff_client(roles.SUPERVISOR)
    supervisor.post(url, {"days_before": 14, "is_active": "on", "note": "Two weeks"})
    threshold.refresh_from_db()
    assert threshold.days_before == 14
    assert threshold.history.latest().history_user == supervisor.user


def test_the_dashboard_panel_shows_a_provider_only_their_own_reminders(
    client, make_user, django_capture_on_commit_callbacks
):
    mine, theirs = make_user(), make_user()
    own = make_certification(expires_in=30, email="mine@example.com", user=mine)
    other = make_certification(
        expires_in=7, email="theirs@example.com", user=theirs, ssn="222-22-2222"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminder_services.reminders_dispatch(today=timezone.localdate())
    client.force_login(mine)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert own.number in page and "mine@example.com" in page
    assert other.number not in page and "theirs@example.com" not in page
