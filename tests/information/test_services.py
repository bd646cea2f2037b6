"""Attestation expiry warnings (date edges, once per threshold) and nominations (period, receipt,
review transitions with their audit record)."""

import uuid
from datetime import date, timedelta

import pytest

from accounts import roles
from core.errors import DomainError
from core.transitions import status_timeline
from information import services
from information.constants import ATTESTATION_WARNING_DAYS
from information.models import AttestationWarning, Nomination, NominationStatus

from .factories import (
    NominationFactory,
    NominationPeriodFactory,
    StrokeCertificationFactory,
    category,
)

pytestmark = pytest.mark.django_db

EXPIRES = date(2026, 9, 30)


@pytest.fixture
def supervisor(make_user):
    return make_user("sam.supervisor@example.com", role=roles.SUPERVISOR)


@pytest.fixture
def certification():
    return StrokeCertificationFactory(
        attestation_expires=EXPIRES, certified_from=EXPIRES - timedelta(days=730)
    )


def run_warnings(today, capture):
    with capture(execute=True):
        return services.attestation_warnings_claim(today=today)


# --- Attestation warnings -----------------------------------------------------------------------


def test_thresholds_are_ninety_and_thirty_days():
    assert sorted(ATTESTATION_WARNING_DAYS) == [30, 90]


@pytest.mark.parametrize("days_before", ATTESTATION_WARNING_DAYS)
def test_no_warning_the_day_before_a_threshold_is_reached(
    days_before, certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    claimed = run_warnings(
        EXPIRES - timedelta(days=days_before + 1), django_capture_on_commit_callbacks
    )
    assert days_before not in [warning.days_before for warning in claimed]
    assert not any(f"{days_before} days" in message.body for message in mailoutbox)


@pytest.mark.parametrize("days_before", ATTESTATION_WARNING_DAYS)
def test_warning_on_the_day_of_the_threshold_emails_supervisors_once(
    days_before,
    certification,
    supervisor,
    make_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER)
    today = EXPIRES - timedelta(days=days_before)
    run_warnings(today, django_capture_on_commit_callbacks)
    run_warnings(today, django_capture_on_commit_callbacks)  # the task runs twice

    warning = AttestationWarning.objects.get(certification=certification)
    assert (warning.days_before, warning.expires_on) == (days_before, EXPIRES)
    assert warning.sent_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam.supervisor@example.com"]
    assert certification.hospital.name in mailoutbox[0].subject
    assert "September 30, 2026" in mailoutbox[0].body
    assert f"/admin/information/strokecertification/{certification.pk}/" in mailoutbox[0].body


@pytest.mark.parametrize("days_before", ATTESTATION_WARNING_DAYS)
def test_a_missed_day_is_caught_up_the_day_after_and_still_sent_once(
    days_before, certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    today = EXPIRES - timedelta(days=days_before - 1)
    run_warnings(today, django_capture_on_commit_callbacks)
    run_warnings(today + timedelta(days=1), django_capture_on_commit_callbacks)
    assert list(
        AttestationWarning.objects.filter(certification=certification).values_list(
            "days_before", flat=True
        )
    ) == [days_before]
    assert len(mailoutbox) == 1


def test_each_threshold_sends_its_own_warning_over_the_months(
    certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    for days_left in range(100, -5, -1):  # the daily task, every day until after expiry
        run_warnings(EXPIRES - timedelta(days=days_left), django_capture_on_commit_callbacks)
    assert sorted(
        AttestationWarning.objects.filter(certification=certification).values_list(
            "days_before", flat=True
        )
    ) == [30, 90]
    assert len(mailoutbox) == 2


def test_an_attestation_recorded_late_gets_only_the_nearest_warning(
    certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    run_warnings(EXPIRES - timedelta(days=20), django_capture_on_commit_callbacks)
    assert [w.days_before for w in AttestationWarning.objects.all()] == [30]


def test_no_warning_after_the_attestation_has_lapsed(
    certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    assert run_warnings(EXPIRES + timedelta(days=1), django_capture_on_commit_callbacks) == []
    assert mailoutbox == []


def test_a_renewed_attestation_is_warned_about_again(
    certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    run_warnings(EXPIRES - timedelta(days=30), django_capture_on_commit_callbacks)
    certification.attestation_expires = EXPIRES + timedelta(days=365)
    certification.save()
    run_warnings(
        certification.attestation_expires - timedelta(days=90), django_capture_on_commit_callbacks
    )
    assert AttestationWarning.objects.filter(certification=certification).count() == 2
    assert len(mailoutbox) == 2


def test_a_failed_send_leaves_the_warning_unsent_for_the_retry(
    certification, supervisor, monkeypatch, mailoutbox
):
    warning = AttestationWarning.objects.create(
        certification=certification, days_before=30, expires_on=EXPIRES
    )

    def broken(_warning):
        raise OSError("mail server down")

    monkeypatch.setattr(services.emails, "send_attestation_warning", broken)
    with pytest.raises(OSError):
        services.attestation_warning_send(warning_id=warning.pk)
    warning.refresh_from_db()
    assert warning.sent_at is None

    monkeypatch.undo()
    assert services.attestation_warning_send(warning_id=warning.pk) is True
    assert services.attestation_warning_send(warning_id=warning.pk) is False
    assert len(mailoutbox) == 1


def test_the_daily_task_is_scheduled_by_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="information.tasks.warn_expiring_attestations")
    assert task.enabled and task.crontab is not None


# --- Nominations --------------------------------------------------------------------------------


def submit(**overrides):
    data = {
        "category": category("educator"),
        "nominee_name": "Ed Educator",
        "nominator_name": "Nora Nominator",
        "nominator_email": "nora@example.com",
        "narrative": "Trained hundreds of EMTs.",
    }
    data.update(overrides)
    return services.nomination_submit(**data)


def test_a_nomination_before_the_period_opens_is_refused_naming_the_dates():
    NominationPeriodFactory(year=2026, opens=date(2026, 4, 1), closes=date(2026, 6, 30))
    with pytest.raises(DomainError) as refused:
        submit(today=date(2026, 3, 31))
    assert refused.value.message == (
        "Nominations for the 2026 EMS Council Awards are not open yet: "
        "they open on April 1, 2026 and close on June 30, 2026."
    )
    assert not Nomination.objects.exists()


def test_a_nomination_after_the_period_closed_is_refused_naming_the_dates():
    NominationPeriodFactory(year=2026, opens=date(2026, 4, 1), closes=date(2026, 6, 30))
    with pytest.raises(DomainError) as refused:
        submit(today=date(2026, 7, 1))
    assert "closed: they were accepted from April 1, 2026 to June 30, 2026" in (
        refused.value.message
    )


def test_a_nomination_with_no_period_announced_is_refused():
    with pytest.raises(DomainError, match="no nomination period has been announced"):
        submit(today=date(2026, 5, 1))


@pytest.mark.parametrize("day", [date(2026, 4, 1), date(2026, 6, 30)])
def test_a_nomination_on_the_first_and_last_day_is_saved_and_receipted(
    day, mailoutbox, django_capture_on_commit_callbacks
):
    period = NominationPeriodFactory(year=2026, opens=date(2026, 4, 1), closes=date(2026, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        nomination = submit(today=day)
    assert (nomination.period, nomination.status) == (period, NominationStatus.RECEIVED)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nora@example.com"]
    assert "2026 EMS Council Awards" in mailoutbox[0].subject
    assert f"N-{nomination.pk}" in mailoutbox[0].body


def test_the_same_submission_twice_records_one_nomination_and_one_receipt(
    mailoutbox, django_capture_on_commit_callbacks
):
    NominationPeriodFactory()
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(submission_token=token)
        second = submit(submission_token=token)
    assert first.pk == second.pk
    assert Nomination.objects.count() == 1
    assert len(mailoutbox) == 1


def test_an_inactive_category_takes_no_nominations():
    NominationPeriodFactory()
    retired = category("dispatcher")
    retired.is_active = False
    retired.save()
    with pytest.raises(DomainError, match="takes no nominations"):
        submit(category=retired)


# --- Review transitions -------------------------------------------------------------------------


def test_shortlist_then_recipient_is_audited(supervisor):
    nomination = NominationFactory()
    services.nomination_shortlist(nomination=nomination, actor=supervisor, note="Strong letters")
    services.nomination_select_recipient(nomination=nomination, actor=supervisor, note="Council")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RECIPIENT
    assert nomination.decided_at is not None
    last = nomination.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.history_change_reason) == (supervisor, "Council")
    assert [entry.new for entry in status_timeline(nomination)] == [
        "received",
        "shortlisted",
        "recipient",
    ]


@pytest.mark.parametrize("start", [NominationStatus.RECEIVED, NominationStatus.SHORTLISTED])
def test_not_selected_from_received_or_shortlisted(start, supervisor):
    nomination = NominationFactory(status=start)
    services.nomination_not_select(nomination=nomination, actor=supervisor)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOT_SELECTED


def test_repeating_a_decision_changes_nothing(supervisor):
    nomination = NominationFactory(status=NominationStatus.SHORTLISTED)
    services.nomination_shortlist(nomination=nomination, actor=supervisor)
    assert nomination.history.count() == 1


@pytest.mark.parametrize(
    ("start", "service"),
    [
        (NominationStatus.RECEIVED, services.nomination_select_recipient),
        (NominationStatus.RECIPIENT, services.nomination_not_select),
        (NominationStatus.RECIPIENT, services.nomination_shortlist),
        (NominationStatus.NOT_SELECTED, services.nomination_select_recipient),
        (NominationStatus.NOT_SELECTED, services.nomination_shortlist),
    ],
)
def test_refused_transitions(start, service, supervisor):
    nomination = NominationFactory(status=start)
    with pytest.raises(DomainError, match="cannot move"):
        service(nomination=nomination, actor=supervisor)
    nomination.refresh_from_db()
    assert nomination.status == start


def test_only_reviewers_with_the_permission_decide(make_user):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    nomination = NominationFactory()
    with pytest.raises(DomainError, match="Only award reviewers"):
        services.nomination_shortlist(nomination=nomination, actor=reviewer)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RECEIVED
