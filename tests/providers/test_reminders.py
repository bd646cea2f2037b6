"""Renewal reminders: which certifications are due at the edges of each threshold, and each
reminder sent exactly once through re-runs, batches, a crash halfway and a failed send."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.utils import timezone

from providers import rules, services, tasks
from providers.reminders import emails as reminder_emails
from providers.reminders import rules as reminder_rules
from providers.reminders import services as reminder_services
from providers.reminders.models import ReminderSent, ReminderStatus, ReminderThreshold

from .factories import make_certification, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def due(certification, today):
    """The thresholds (days) whose reminder ``certification`` is owed on ``today``."""
    return [
        threshold.days_before
        for threshold in reminder_services.active_thresholds()
        if reminder_services.reminder_candidates(threshold=threshold, today=today)
        .filter(pk=certification.pk)
        .exists()
    ]


def run(today, capture, **kwargs):
    """One daily run, with the batch tasks it enqueues on commit executed (eager Celery)."""
    with capture(execute=True):
        return reminder_services.reminders_dispatch(today=today, **kwargs)


def test_the_migration_loads_the_default_thresholds():
    assert [t.days_before for t in reminder_services.active_thresholds()] == [180, 90, 60, 30, 7]


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (181, []),  # the day before the 180-day threshold is crossed
        (180, [180]),  # the day it is crossed
        (179, [180]),  # the day after: still owed (a missed run catches up)
        (91, [180]),
        (90, [90]),
        (31, [60]),
        (30, [30]),
        (29, [30]),
        (8, [30]),
        (7, [7]),
        (1, [7]),
        (0, [7]),  # the expiration day: still active
        (-1, []),  # expired yesterday (in grace): the before-expiry reminders are over
        (-(rules.GRACE_DAYS + 1), []),  # lapsed
        (-800, []),  # expired for good
    ],
)
def test_selection_at_the_edges_of_each_threshold(today, days_left, expected):
    certification = make_certification(expires_in=days_left)
    assert due(certification, today) == expected


def test_the_window_rule_agrees_with_its_database_filter(today):
    windows = reminder_rules.windows([180, 90, 60, 30, 7])
    for days_left in range(-5, 200):
        certification_due = [days for days, w in windows.items() if w.contains(days_left)]
        assert len(certification_due) <= 1
    certification = make_certification(expires_in=45)
    for days, window in windows.items():
        in_filter = (
            type(certification).objects.filter(window.q(today=today), pk=certification.pk).exists()
        )
        assert in_filter == window.contains(45), days


@pytest.mark.parametrize("discipline", ["suspended", "revoked", "surrendered"])
def test_a_disciplined_certification_gets_no_reminder(make_user, today, discipline):
    certification = make_certification(expires_in=30)
    service = {
        "suspended": services.certification_suspend,
        "revoked": services.certification_revoke,
        "surrendered": services.certification_surrender,
    }[discipline]
    service(
        certification=certification,
        actor=make_user(staff=True),
        reason="Findings",
        effective_from=today,
    )
    assert due(certification, today) == []


def test_a_grace_period_threshold_reminds_after_expiry(today):
    ReminderThreshold.objects.create(days_before=-30)
    in_grace = make_certification(expires_in=-30)
    just_expired = make_certification(expires_in=-1)
    lapsed = make_certification(expires_in=-(rules.GRACE_DAYS + 5))
    assert due(in_grace, today) == [-30]
    assert due(just_expired, today) == [7]  # no reminder between expiry and day 30 of grace...
    assert due(lapsed, today) == []  # ...and none once it is lapsed


def test_a_retired_threshold_is_not_sent_and_its_window_goes_to_the_next(today):
    certification = make_certification(expires_in=25)
    ReminderThreshold.objects.filter(days_before=30).update(is_active=False)
    assert due(certification, today) == [60]


def test_a_run_emails_each_provider_once_and_a_rerun_sends_nothing(
    today, django_capture_on_commit_callbacks, mailoutbox
):
    owed = [
        make_certification(expires_in=days, email=f"p{days}@example.com") for days in (90, 30, 7, 0)
    ]
    make_certification(expires_in=182, email="not-yet@example.com")
    run(today, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(c.provider.email for c in owed)
    assert ReminderSent.objects.filter(status=ReminderStatus.SENT).count() == 4
    seven = next(m for m in mailoutbox if m.to == ["p7@example.com"])
    assert "expires in 7 days" in seven.body and owed[2].number in seven.body
    assert f"/providers/certifications/{owed[2].number}/renew/" in seven.body
    expiring_today = next(m for m in mailoutbox if m.to == ["p0@example.com"])
    assert "expires today" in expiring_today.body

    assert run(today, django_capture_on_commit_callbacks) == 0  # same day: nothing owed
    assert run(today + timedelta(days=1), django_capture_on_commit_callbacks) == 0  # next day
    assert len(mailoutbox) == 4


def test_the_next_threshold_is_sent_when_it_is_crossed(
    today, django_capture_on_commit_callbacks, mailoutbox
):
    certification = make_certification(expires_in=31, email="p@example.com")
    run(today, django_capture_on_commit_callbacks)
    run(today + timedelta(days=1), django_capture_on_commit_callbacks)
    run(today + timedelta(days=2), django_capture_on_commit_callbacks)
    sent = ReminderSent.objects.filter(certification=certification).order_by("claimed_at")
    assert [r.threshold.days_before for r in sent] == [60, 30]
    assert len(mailoutbox) == 2


def test_a_renewal_starts_a_new_cycle_of_reminders(
    today, django_capture_on_commit_callbacks, mailoutbox
):
    certification = make_certification(expires_in=7, email="p@example.com")
    run(today, django_capture_on_commit_callbacks)
    # The state record moves on two years, then that cycle nears its end too.
    certification.expires_on = rules.add_years(certification.expires_on, 2)
    certification.save()
    later = certification.expires_on - timedelta(days=7)
    run(later, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert ReminderSent.objects.filter(certification=certification).count() == 2


def test_work_is_split_into_batches_of_ids(today, django_capture_on_commit_callbacks, mailoutbox):
    for index in range(5):
        make_certification(expires_in=30, email=f"b{index}@example.com")
    assert run(today, django_capture_on_commit_callbacks, batch_size=2) == 3
    assert len(mailoutbox) == 5


def test_batches_are_enqueued_on_commit(today, django_capture_on_commit_callbacks, mailoutbox):
    make_certification(expires_in=30, email="p@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder_services.reminders_dispatch(today=today)
    assert len(callbacks) == 1 and mailoutbox == []


def test_a_provider_without_email_is_skipped_with_the_reason_and_the_batch_goes_on(
    today, django_capture_on_commit_callbacks, mailoutbox
):
    before = make_certification(expires_in=30, email="a@example.com")
    silent = make_certification(expires_in=30, email="")
    after = make_certification(expires_in=30, email="z@example.com")
    run(today, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.com", "z@example.com"]
    skipped = ReminderSent.objects.get(certification=silent)
    assert skipped.status == ReminderStatus.SKIPPED
    assert skipped.reason == reminder_rules.NO_EMAIL_REASON
    assert {before.pk, after.pk} == set(
        ReminderSent.objects.filter(status=ReminderStatus.SENT).values_list(
            "certification", flat=True
        )
    )

    # The provider adds an address while the reminder is still owed: the next run sends it.
    silent.provider.email = "found@example.com"
    silent.provider.save()
    run(today + timedelta(days=1), django_capture_on_commit_callbacks)
    skipped.refresh_from_db()
    assert skipped.status == ReminderStatus.SENT and skipped.email == "found@example.com"
    assert len(mailoutbox) == 3


def test_the_account_email_is_used_when_the_record_has_none(
    make_user, today, django_capture_on_commit_callbacks, mailoutbox
):
    user = make_user("account@example.com")
    make_certification(expires_in=30, email="", user=user)
    run(today, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [["account@example.com"]]


def _failing_on(monkeypatch, call_number, exception):
    real = reminder_emails.send_renewal_reminder
    calls = {"n": 0}

    def send(**kwargs):
        calls["n"] += 1
        if calls["n"] == call_number:
            raise exception
        return real(**kwargs)

    monkeypatch.setattr(reminder_emails, "send_renewal_reminder", send)


def test_a_send_that_raises_is_recorded_and_retried_by_the_next_run_and_none_twice(
    monkeypatch, today, django_capture_on_commit_callbacks, mailoutbox
):
    owed = [make_certification(expires_in=30, email=f"r{i}@example.com") for i in range(5)]
    _failing_on(monkeypatch, 3, SMTPException("421 try again later"))
    run(today, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4
    failed = ReminderSent.objects.get(status=ReminderStatus.FAILED)
    assert "421" in failed.reason and failed.attempts == 1

    run(today + timedelta(days=1), django_capture_on_commit_callbacks)  # the next run
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.SENT and failed.attempts == 2
    recipients = [m.to[0] for m in mailoutbox]
    assert sorted(recipients) == sorted(c.provider.email for c in owed)  # each exactly once


class WorkerKilled(BaseException):
    """Stands for the worker process dying (not an exception any code handles)."""


def test_a_run_killed_halfway_leaves_the_rest_for_the_next_run_and_sends_none_twice(
    monkeypatch, today, django_capture_on_commit_callbacks, mailoutbox
):
    owed = [make_certification(expires_in=30, email=f"k{i}@example.com") for i in range(6)]
    _failing_on(monkeypatch, 3, WorkerKilled())
    with pytest.raises(WorkerKilled):
        run(today, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    in_flight = ReminderSent.objects.get(status=ReminderStatus.CLAIMED)

    # Re-run at once (the redelivered message): the rest are sent; the one in flight is left
    # to its claim, which may still be sending.
    run(today, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 5
    in_flight.refresh_from_db()
    assert in_flight.status == ReminderStatus.CLAIMED

    # The next day the dead run's claim is stale: it is taken over and sent.
    ReminderSent.objects.filter(pk=in_flight.pk).update(
        claimed_at=timezone.now() - reminder_rules.CLAIM_STALE_AFTER - timedelta(minutes=1)
    )
    run(today + timedelta(days=1), django_capture_on_commit_callbacks)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(c.provider.email for c in owed)
    assert ReminderSent.objects.filter(status=ReminderStatus.SENT).count() == 6


def test_a_send_failing_every_time_stops_after_the_attempt_limit(
    monkeypatch, today, django_capture_on_commit_callbacks, mailoutbox
):
    make_certification(expires_in=30, email="bad@example.com")

    def refuse(**kwargs):
        raise SMTPException("550 no such user")

    monkeypatch.setattr(reminder_emails, "send_renewal_reminder", refuse)
    for day in range(reminder_rules.MAX_SEND_ATTEMPTS + 2):
        run(today + timedelta(days=day), django_capture_on_commit_callbacks)
    row = ReminderSent.objects.get()
    assert row.status == ReminderStatus.FAILED
    assert row.attempts == reminder_rules.MAX_SEND_ATTEMPTS


def test_a_claim_already_held_is_not_sent_again_by_a_second_batch(today, mailoutbox):
    certification = make_certification(expires_in=30, email="p@example.com")
    threshold = ReminderThreshold.objects.get(days_before=30)
    first = reminder_services.reminder_claim(certification=certification, threshold=threshold)
    assert first is not None
    assert (
        reminder_services.reminder_claim(certification=certification, threshold=threshold) is None
    )
    result = reminder_services.reminder_batch_send(
        threshold_id=threshold.pk, certification_ids=[certification.pk], today=today
    )
    assert result.not_claimed == 1 and mailoutbox == []


def test_the_beat_task_is_registered_and_staff_can_edit_it():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="providers.tasks.send_renewal_reminders")
    assert task.enabled and task.crontab is not None


def test_the_task_entry_points_run_the_same_services(
    today, django_capture_on_commit_callbacks, mailoutbox
):
    make_certification(expires_in=60, email="t@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_renewal_reminders.apply(kwargs={"today": today.isoformat()}).get() == 1
    assert len(mailoutbox) == 1


def test_providers_see_only_their_own_reminders(
    make_user, today, django_capture_on_commit_callbacks
):
    from providers.reminders.selectors import reminders_of

    mine = make_user()
    theirs = make_user()
    make_certification(expires_in=30, email="m@example.com", user=mine)
    make_certification(expires_in=30, email="t@example.com", user=theirs, ssn="222-22-2222")
    run(today, django_capture_on_commit_callbacks)
    assert [r.email for r in reminders_of(mine)] == ["m@example.com"]


def test_make_provider_helper_keeps_email_blank_when_asked():
    assert make_provider(email="").email == ""
