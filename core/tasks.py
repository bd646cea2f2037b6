"""Tasks of the site frame."""

from celery import shared_task


@shared_task
def ping() -> str:
    """Answers 'pong': lets an operator (and the test suite) see a real worker run a task."""
    return "pong"
