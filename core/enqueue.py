"""How a service starts background work: ``enqueue_on_commit("rates.tasks.send_filing_status",
filing.pk, filing.status)`` sends the task once the transaction commits (at once outside one).

The import direction is views/admin/api/tasks → services → models: a task imports its services
at the top. A service therefore names its task by dotted path instead of importing its app's
``tasks`` module, which would be an import cycle; the module is imported when the work is sent.
"""

from importlib import import_module

from django.db import transaction


def enqueue_now(task: str, *args) -> None:
    """``<module>.<task>.delay(*args)`` at once: for work that waits on no transaction of its
    own (a sweep re-sending what is already committed)."""
    module_name, task_name = task.rsplit(".", 1)
    getattr(import_module(module_name), task_name).delay(*args)


def enqueue_on_commit(task: str, *args, robust: bool = False) -> None:
    """``<module>.<task>.delay(*args)`` on commit. ``robust``: a broker that is down is logged,
    not raised (the caller has a sweep that sends the work later)."""
    transaction.on_commit(lambda: enqueue_now(task, *args), robust=robust)
