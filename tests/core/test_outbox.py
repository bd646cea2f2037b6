"""The transactional outbox (core.outbox): work is recorded with the change, relayed after
commit, kept while the broker is down, and an unknown task name fails its row and nothing else."""

import pytest
from celery import shared_task
from django.db import transaction

from core import outbox
from core.models import OutboxMessage, OutboxStatus
from tests.celery_broker import celery_on

pytestmark = pytest.mark.django_db

CALLS = []


@shared_task(name="tests.outbox.record")
def record(value):
    CALLS.append(value)
    return value


@shared_task(name="tests.outbox.explode")
def explode(value):
    raise RuntimeError(f"exploded on {value}")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


@pytest.fixture
def dead_broker():
    """Celery as in production (not eager) but pointed at a port where nothing listens."""
    with celery_on("redis://127.0.0.1:1/0", results=False) as app:
        yield app


def test_a_committed_change_runs_its_task_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(record, 7)
        assert CALLS == []  # not before the commit
    assert CALLS == [7]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at is not None


def test_a_rolled_back_change_leaves_no_work(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValueError),
        transaction.atomic(),
    ):
        outbox.enqueue(record, 1)
        raise ValueError("the change failed")
    assert callbacks == [] and CALLS == []
    assert not OutboxMessage.objects.exists()


def test_an_unknown_task_marks_its_row_failed_and_the_relay_goes_on():
    gone = OutboxMessage.objects.create(task="providers.tasks.renamed_long_ago", args=[1])
    fine = OutboxMessage.objects.create(task="tests.outbox.record", args=[2])
    result = outbox.relay_pending()
    gone.refresh_from_db()
    fine.refresh_from_db()
    assert gone.status == OutboxStatus.FAILED
    assert "providers.tasks.renamed_long_ago" in gone.last_error
    assert "registered" in gone.last_error
    assert fine.status == OutboxStatus.SENT and CALLS == [2]
    assert result["sent"] == 1


def test_an_unknown_task_is_refused_the_same_way_when_a_broker_is_configured(dead_broker):
    gone = OutboxMessage.objects.create(task="no.such.task", args=[])
    assert outbox.relay_one(gone.pk) is False
    gone.refresh_from_db()
    assert gone.status == OutboxStatus.FAILED and "no.such.task" in gone.last_error


def test_a_task_failing_in_process_does_not_break_the_committed_request(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(explode, 3)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "exploded on 3" in message.last_error


def test_with_the_broker_down_the_row_stays_pending_and_is_sent_later(
    dead_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(record, 5)  # the after-commit relay meets the dead broker
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1 and message.last_error
    # The next one in the same moment does not wait on the broker again: beat will send it.
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox.enqueue(record, 6)
    second.refresh_from_db()
    assert second.status == OutboxStatus.PENDING and second.attempts == 0
    assert outbox.relay_pending()["sent"] == 0  # still down: still pending
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 2

    dead_broker.conf.task_always_eager = True  # "the broker is back" (in-process here)
    assert outbox.relay_pending()["sent"] == 2
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and CALLS == [5, 6]
    assert outbox.relay_one(message.pk) is False  # already sent: never twice from the outbox


def test_the_relay_forgets_rows_sent_long_ago(settings):
    from datetime import timedelta

    from django.utils import timezone

    old = OutboxMessage.objects.create(
        task="tests.outbox.record",
        args=[1],
        status=OutboxStatus.SENT,
        sent_at=timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS + 1),
    )
    recent = OutboxMessage.objects.create(
        task="tests.outbox.record", args=[1], status=OutboxStatus.SENT, sent_at=timezone.now()
    )
    assert outbox.relay_pending()["forgotten"] == 1
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=recent.pk).exists()


def test_the_beat_relay_is_scheduled():
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # What migrate did (done again here: a transactional test elsewhere may have flushed it).
    import_module("core.migrations.0003_schedule_relay_outbox").schedule(apps, None)
    task = PeriodicTask.objects.get(task="core.tasks.relay_outbox")
    assert task.enabled and task.interval.period == "seconds"


def plain_function(value):
    CALLS.append(("plain", value))


def test_a_plain_function_such_as_an_email_runs_through_the_call_task(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(plain_function, 9)
    assert (message.task, message.args) == (outbox.CALL_TASK, [f"{__name__}.plain_function", 9])
    assert CALLS == [("plain", 9)]


def test_a_removed_function_marks_its_row_failed_with_the_reason():
    gone = OutboxMessage.objects.create(
        task=outbox.CALL_TASK, args=["complaints.emails.send_removed_long_ago", 1]
    )
    outbox.relay_pending()
    gone.refresh_from_db()
    assert gone.status == OutboxStatus.FAILED
    assert "complaints.emails.send_removed_long_ago" in gone.last_error


def test_staff_see_failed_rows_in_the_admin_and_send_them_again(staff_client, make_user):
    from django.urls import reverse

    failed = OutboxMessage.objects.create(
        task="no.such.task", args=[], status=OutboxStatus.FAILED, last_error="No task named"
    )
    admin = make_user("it@example.com", staff=True, is_superuser=True)
    client = staff_client(user=admin)
    url = reverse("admin:core_outboxmessage_changelist")
    page = client.get(url + "?status__exact=failed")
    assert page.status_code == 200 and "no.such.task" in page.content.decode()
    client.post(url, {"action": "send_again", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.PENDING and failed.last_error == ""
    # A reviewer (no outbox permission) is not shown it.
    reviewer = staff_client(role="licensing reviewer")
    assert reviewer.get(url).status_code == 403
