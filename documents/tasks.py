"""Celery entry points for documents: ids in, services do the work, safe to run twice.

``acks_late`` (on for every task in settings) means a worker killed mid-render leaves the message
to be redelivered; the redelivered run finds the job "running" under the dead worker's claim and
takes it over once that run has gone quiet for ``STALE_AFTER`` (``requeue_stale_jobs``, run by
beat, sends such jobs again). Two deliveries at once: the conditional claim lets one through.

A long table (a spec with ``table``) is one task per chunk, sent as a Celery group: any worker
on any machine takes any chunk, stores it under its index, and the one that stores the last
missing chunk sends the merge. A run that takes over a job whose worker died sends only the
chunks not stored yet.
"""

import logging

from celery import group, shared_task

from . import constants, services

logger = logging.getLogger(__name__)


def _retry_or_fail(task, job_id: str, token, error: Exception, *, release: bool = False) -> str:
    """A transient error (database, storage): retry with backoff (``release``: the job goes back
    to "queued" meanwhile), or fail the job after MAX_RETRIES."""
    retries = task.request.retries
    if retries >= task.max_retries:
        services.job_fail(
            job_id=job_id,
            token=token,
            error="The document could not be prepared after several attempts; please try again later.",
            detail=repr(error),
        )
        return "failed"
    countdown = min(
        constants.RETRY_BACKOFF_SECONDS * 2**retries, constants.RETRY_BACKOFF_MAX_SECONDS
    )
    logger.warning("Document job %s: transient %r; retry in %s s.", job_id, error, countdown)
    if release:
        services.job_release_for_retry(
            job_id=job_id, token=token, error=repr(error), countdown=countdown
        )
    raise task.retry(exc=error, countdown=countdown) from error


def send_chunks(job_id: str, token, indexes: list[int]) -> None:
    """The chunks still to render as one group, or the merge when none is missing."""
    if indexes:
        group(
            render_document_chunk.si(job_id, str(token), index) for index in indexes
        ).apply_async()
    else:
        merge_document.delay(job_id, str(token))


@shared_task(bind=True, acks_late=True, max_retries=constants.MAX_RETRIES)
def render_document(self, job_id: str) -> str:
    token = services.job_claim(job_id=job_id)
    if token is None:
        return "skipped: another run has it, or it is finished"
    try:
        if services.job_is_table(job_id):
            missing = services.job_plan_chunks(job_id=job_id, token=token)
            if missing is None:
                return "stopped"
            send_chunks(job_id, token, missing)
            return f"sent {len(missing)} parts"
        job = services.job_render(job_id=job_id, token=token)
    except services.TRANSIENT_ERRORS as error:
        return _retry_or_fail(self, job_id, token, error, release=True)
    return job.status if job is not None else "stopped: taken over"


@shared_task(bind=True, acks_late=True, max_retries=constants.MAX_RETRIES)
def render_document_chunk(self, job_id: str, token: str, index: int) -> str:
    """One chunk of a long table; the task that stores the last one sends the merge."""
    try:
        complete = services.job_render_chunk(job_id=job_id, token=token, index=index)
    except services.TRANSIENT_ERRORS as error:
        return _retry_or_fail(self, job_id, token, error)
    if complete:
        merge_document.delay(job_id, token)
    return f"part {index} stored"


@shared_task(bind=True, acks_late=True, max_retries=constants.MAX_RETRIES)
def merge_document(self, job_id: str, token: str) -> str:
    try:
        result = services.job_merge_chunks(job_id=job_id, token=token)
    except services.TRANSIENT_ERRORS as error:
        return _retry_or_fail(self, job_id, token, error)
    if isinstance(result, list):  # a chunk went missing: send it again, it merges after
        send_chunks(job_id, token, result)
        return f"sent {len(result)} part(s) again"
    return result.status if result is not None else "stopped"


@shared_task
def requeue_stale_jobs() -> int:
    """Periodic (beat): re-send jobs whose worker died or whose message never left."""
    return services.jobs_requeue_stale()


@shared_task
def refresh_public_documents() -> dict:
    """Periodic (beat, nightly): prepare the public lists so the first reader finds them done."""
    return services.documents_refresh_nightly()
