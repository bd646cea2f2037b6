"""The transactional outbox: the one way a committed change hands work to Celery.

``enqueue(task, *args)`` writes an ``OutboxMessage`` row in the caller's transaction, so the
work is recorded exactly when the change is: a rolled-back change leaves no row, a committed one
always has its row, whether or not the broker answers. After commit the row is relayed to Celery
at once (``relay_one``); if the broker is down the row stays ``pending`` and the beat task
``core.tasks.relay_outbox`` (every ``OUTBOX_RELAY_SECONDS``) sends it when the broker is back.

A row can reach the broker twice (the relay published, then died before marking it sent): every
task behind it is idempotent (claims, conditional updates), so the second delivery does nothing.

Without ``REDIS_URL`` Celery runs tasks eagerly, so the relay runs the task in this process right
after commit, as the portal always did. A failure of that in-process run is logged and recorded on
the row (``failed``) instead of breaking the request that already committed.

Publishing never hangs a request: the broker connection timeouts are short (settings) and the
publish retries only briefly; the beat relay does the long retrying.
"""

import logging
import time
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from importlib import import_module

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# A publish that cannot reach the broker gives up after about a second and leaves the row pending.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}


# A plain function (an email of an app's emails.py) runs through this one task.
CALL_TASK = "core.tasks.call"


def function_path(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def resolve_function(path: str):
    """The module-level function ``path`` names, or LookupError saying why not."""
    module_name, _, name = path.rpartition(".")
    try:
        function = getattr(import_module(module_name), name)
    except (ImportError, AttributeError, ValueError) as error:
        raise LookupError(f"No function named {path!r} (renamed or removed).") from error
    if not callable(function):
        raise LookupError(f"{path!r} is not a function.")
    return function


def enqueue(task, *args) -> OutboxMessage:
    """Record ``task(*args)`` in the current transaction; it runs after commit, in a worker.

    ``task`` is a Celery task, a task's registered name, or a plain module-level function (an
    email: ``enqueue(emails.send_receipt, complaint.pk)``, run by ``core.tasks.call``). ``args``
    must be JSON values (ids, dates as ISO strings). Write it where you would have written
    ``transaction.on_commit(lambda: task.delay(*args))`` or ``on_commit(lambda: f(*args))``."""
    values: list = list(args)
    if isinstance(task, str):
        name = task
    elif hasattr(task, "apply_async"):
        name = task.name
    else:
        name, values = CALL_TASK, [function_path(task), *values]
    message = OutboxMessage.objects.create(task=name, args=values)
    transaction.on_commit(partial(relay_one, message.pk))
    return message


def unknown_reason(message: OutboxMessage) -> str | None:
    """Why this row can never run (its task or function is gone), or None."""
    if message.task not in _celery_app().tasks:
        return f"No task named {message.task!r} is registered (renamed or removed)."
    if message.task == CALL_TASK:
        try:
            resolve_function(message.args[0] if message.args else "")
        except LookupError as error:
            return str(error)
    return None


_tasks_imported = False


def _celery_app():
    """The Celery app, with every app's tasks.py imported: the relay looks tasks up by name, and
    a web process has imported only the ones its code touched (workers import them all)."""
    global _tasks_imported
    from oems_portal.celery import app

    if not _tasks_imported:
        app.loader.import_default_modules()  # runs autodiscover_tasks()
        _tasks_imported = True
    return app


def _publish(message: OutboxMessage) -> bool:
    """Hand one row to Celery and record the outcome on it (the caller holds its lock). False
    when no task has that name any more: the row is marked failed with the reason."""
    reason = unknown_reason(message)
    if reason:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED, attempts=F("attempts") + 1, last_error=reason
        )
        logger.error("Outbox %s: %s Marked failed.", message.pk, reason)
        return False
    _celery_app().tasks[message.task].apply_async(
        args=message.args,
        ignore_result=True,  # nobody waits for these; keeps the result store out of the request
        retry=True,
        retry_policy=PUBLISH_RETRY_POLICY,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def _record_failure(pk: int, error: BaseException, *, status=OutboxStatus.PENDING) -> None:
    OutboxMessage.objects.filter(pk=pk).update(
        status=status, attempts=F("attempts") + 1, last_error=repr(error)[:1000]
    )


def _run_eagerly(pk: int) -> bool:
    """In-process mode: claim the row (one conditional update), then run the task here."""
    claimed = OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=pk)
    reason = unknown_reason(message)
    if reason:
        OutboxMessage.objects.filter(pk=pk).update(status=OutboxStatus.FAILED, last_error=reason)
        logger.error("Outbox %s: %s Marked failed.", pk, reason)
        return False
    try:
        _celery_app().tasks[message.task].apply(args=message.args, throw=True)
    except Exception as error:  # the change is committed; its follow-up must not undo the request
        logger.exception("Outbox %s: %s failed in-process.", pk, message.task)
        _record_failure(pk, error, status=OutboxStatus.FAILED)
        return False
    return True


# After the broker refused a publish, this process leaves new rows to the beat relay for this
# long instead of trying again: a request that enqueues several things pays the timeout once.
BROKER_DOWN_PAUSE_SECONDS = 5.0
_broker_down_until = 0.0


def relay_one(pk: int) -> bool:
    """Send one row now (called after commit). False when it was not sent: the broker did not
    answer (the row stays pending for the beat relay), another relay had it, or it failed."""
    global _broker_down_until
    if _celery_app().conf.task_always_eager:
        return _run_eagerly(pk)
    if time.monotonic() < _broker_down_until:
        return False  # the broker refused moments ago: beat's relay sends it
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=OutboxStatus.PENDING)
                .first()
            )
            if message is None:
                return False  # sent already, or the beat relay is sending it right now
            try:
                return _publish(message)
            except Exception as error:  # broker down: kombu/redis raise several types
                logger.warning(
                    "Outbox %s: broker refused %s (%r); left pending.", pk, message.task, error
                )
                _record_failure(pk, error)
                _broker_down_until = time.monotonic() + BROKER_DOWN_PAUSE_SECONDS
                return False
    except DatabaseError as error:  # the database went away after the commit: beat relays it
        logger.warning("Outbox %s: not relayed now (%r); the beat relay will.", pk, error)
        return False


def relay_pending(*, limit: int = 500) -> dict[str, int]:
    """The beat relay: send pending rows, oldest first, until the broker refuses one (then stop:
    the rest wait for the next run) or ``limit`` rows are done. Also forgets rows sent more than
    ``OUTBOX_KEEP_DAYS`` ago. Safe to run on several workers at once (skip-locked rows)."""
    if _celery_app().conf.task_always_eager:
        ids = list(
            OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        sent = sum(_run_eagerly(pk) for pk in ids)
        return {"sent": sent, "left": len(ids) - sent, "forgotten": _forget_old()}
    sent = 0
    refused = False
    with transaction.atomic():
        batch: Iterable[OutboxMessage] = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING)
            .order_by("pk")[:limit]
        )
        for message in batch:
            try:
                published = _publish(message)
            except Exception as error:
                logger.warning("Outbox relay: broker refused (%r); retrying next run.", error)
                _record_failure(message.pk, error)
                refused = True
                break
            sent += published
    left = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() if refused else 0
    return {"sent": sent, "left": left, "forgotten": _forget_old()}


def _forget_old() -> int:
    keep = timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboxMessage.objects.filter(
        status=OutboxStatus.SENT, sent_at__lt=timezone.now() - keep
    ).delete()
    return deleted
