"""Celery entry points for documents: ids in, services do the work, safe to run twice.

``acks_late`` (on for every task in settings) means a worker killed mid-render leaves the message
to be redelivered; the redelivered run finds the job "running" under the dead worker's claim and
takes it over once that run has gone quiet for ``STALE_AFTER`` (``requeue_stale_jobs``, run by
beat, sends such jobs again). Two deliveries at once: the conditional claim lets one through.
"""

import logging

from celery import shared_task

from . import constants, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=constants.MAX_RETRIES)
def render_document(self, job_id: str) -> str:
    token = services.job_claim(job_id=job_id)
    if token is None:
        return "skipped: another run has it, or it is finished"
    try:
        job = services.job_render(job_id=job_id, token=token)
    except services.TRANSIENT_ERRORS as error:
        retries = self.request.retries
        if retries >= self.max_retries:
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
        services.job_release_for_retry(
            job_id=job_id, token=token, error=repr(error), countdown=countdown
        )
        raise self.retry(exc=error, countdown=countdown) from error
    return job.status if job is not None else "stopped: taken over"


@shared_task
def requeue_stale_jobs() -> int:
    """Periodic (beat): re-send jobs whose worker died or whose message never left."""
    return services.jobs_requeue_stale()


@shared_task
def refresh_public_documents() -> dict:
    """Periodic (beat, nightly): prepare the public lists so the first reader finds them done."""
    return services.documents_refresh_nightly()
