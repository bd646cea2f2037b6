"""Tasks of the site frame."""

from celery import shared_task


@shared_task
def ping() -> str:
    """Answers 'pong': lets an operator (and the test suite) see a real worker run a task."""
    return "pong"


@shared_task
def relay_outbox() -> dict:
    """Periodic (beat, every OUTBOX_RELAY_SECONDS): send the outbox rows the after-commit relay
    could not (the broker was down, or the process died right after its commit)."""
    from . import outbox

    return outbox.relay_pending()


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),  # the mail server down or refusing: SMTP errors are OSErrors
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def call(path: str, *args):
    """Run a module-level function recorded by ``core.outbox.enqueue`` (an app's email)."""
    from .outbox import resolve_function

    return resolve_function(path)(*args)
