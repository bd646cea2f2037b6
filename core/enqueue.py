"""How a service starts background work: ``enqueue_on_commit("rates.tasks.send_filing_status",
filing.pk, filing.status)`` records the task in the transactional outbox (``core.outbox``), in
the service's own transaction, and it is sent to Celery once that commits (at once outside one);
a broker that is down loses nothing (the beat relay sends it later, docs/reliability.md).

The import direction is views/admin/api/tasks → services → models: a task imports its services
at the top. A service therefore names its task by dotted path (its registered Celery name)
instead of importing its app's ``tasks`` module, which would be an import cycle.
"""

from importlib import import_module

from .outbox import enqueue


def enqueue_now(task: str, *args) -> None:
    """``<module>.<task>.delay(*args)`` at once: for work that waits on no transaction of its
    own (a sweep in a worker re-sending what is already committed)."""
    module_name, task_name = task.rsplit(".", 1)
    getattr(import_module(module_name), task_name).delay(*args)


def enqueue_on_commit(task: str, *args, robust: bool = True) -> None:
    """Record ``task(*args)`` in the outbox; it is relayed to Celery after commit. ``robust`` is
    kept for the callers that say so: every outbox row survives a broker outage."""
    enqueue(task, *args)
