"""Writes on document jobs: request (reuse / join / queue), claim, progress, finish, fail, retry.

Exactly one run per document: a unique constraint allows one queued-or-running job per
(kind, params, fingerprint), and a worker starts work only after a conditional update moved the
job to "running" under its own claim token. Every later write of that run (progress, the file,
the failure) is conditioned on the token, so a worker whose job was taken over after it went
quiet stops instead of overwriting the new run.
"""

import hashlib
import json
import logging
import traceback
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.enqueue import enqueue_now, enqueue_on_commit
from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition

from . import constants
from .models import ALLOWED_TRANSITIONS, DocumentJob, DocumentRequest, JobStatus
from .registry import DocumentSpec, all_documents, get_spec
from .rendering import render_pdf

logger = logging.getLogger(__name__)


class JobLost(Exception):
    """This run no longer owns its job (it was taken over); stop without writing."""


def params_key_for(params: Mapping[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def spec_for(kind: str) -> DocumentSpec:
    spec = get_spec(kind)
    if spec is None:
        raise DomainError(f"There is no document called {kind!r}.", code="unknown_kind")
    return spec


def job_is_stale(job: DocumentJob, *, now=None) -> bool:
    now = now or timezone.now()
    if job.status == JobStatus.RUNNING:
        return job.heartbeat_at is None or job.heartbeat_at < now - constants.STALE_AFTER
    if job.status == JobStatus.QUEUED:
        # A queued job nobody picked up (the broker was down when it was enqueued).
        return job.created_at < now - constants.STALE_AFTER
    return False


def _enqueue(job_id) -> None:
    # robust: if the broker is down the request still succeeds; requeue_stale_jobs sends it later.
    enqueue_on_commit("documents.tasks.render_document", str(job_id), robust=True)


def _record_request(job: DocumentJob, user) -> None:
    if getattr(user, "is_authenticated", False):
        DocumentRequest.objects.update_or_create(
            job=job, user=user, defaults={"requested_at": timezone.now()}
        )


@transaction.atomic
def document_request(*, kind: str, params: Mapping[str, Any], user) -> tuple[DocumentJob, str]:
    """Ask for a document. Returns the job and what happened: "reused" (a finished document
    of the same data), "joined" (the same document is already queued or running) or "queued".

    Raises PermissionDenied when the spec's ``can_request`` refuses this user and params."""
    spec = spec_for(kind)
    params = dict(params)
    if not spec.can_request(user, params):
        raise PermissionDenied("You may not request this document.")
    key = params_key_for(params)
    fingerprint = spec.fingerprint(params)[:255]
    same = DocumentJob.objects.filter(kind=kind, params_key=key, fingerprint=fingerprint)

    done = same.filter(status=JobStatus.DONE).exclude(file="").order_by("-finished_at").first()
    if done is not None:
        _record_request(done, user)
        return done, "reused"

    live = same.live().first()
    if live is None:
        job = DocumentJob(
            kind=kind,
            title=spec.title_for(params)[:300],
            params=params,
            params_key=key,
            fingerprint=fingerprint,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            progress_message="Waiting for a worker.",
        )
        try:
            with transaction.atomic():  # a savepoint: losing the race must not end our transaction
                save_with_audit(job, actor=user, reason="Requested")
        except IntegrityError:
            # Another request created the live job between our read and our insert.
            live = same.live().get()
        else:
            _record_request(job, user)
            _enqueue(job.pk)
            return job, "queued"

    if job_is_stale(live):
        _enqueue(live.pk)  # its worker died or its message was lost: a new run takes it over
    _record_request(live, user)
    return live, "joined"


@transaction.atomic
def job_claim(*, job_id) -> uuid.UUID | None:
    """Claim a queued job, or take over a running one whose worker went quiet, with one
    conditional update. Returns this run's claim token, or None when another worker has it
    (or it is finished): then do nothing."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(
        status=JobStatus.RUNNING, heartbeat_at__lt=now - constants.STALE_AFTER
    )
    previous = DocumentJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    token = uuid.uuid4()
    claimed = DocumentJob.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING,
        claim_token=token,
        heartbeat_at=now,
        started_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        progress_message="Started.",
        error="",
        error_detail="",
        updated_at=now,
    )
    if not claimed:
        return None
    # The conditional update bypasses model saves; this save writes the history row.
    job = DocumentJob.objects.get(pk=job_id)
    reason = (
        "Taken over: the previous run stopped reporting progress"
        if previous == JobStatus.RUNNING
        else f"Claimed by a worker (attempt {job.attempts})"
    )
    save_with_audit(job, actor=None, reason=reason, update_fields=["status"])
    return token


def job_progress(*, job_id, token: uuid.UUID, percent: int, message: str) -> None:
    """Record progress where the person waiting can see it. Not in the history: these are
    ticks, not decisions. Raises JobLost if this run no longer owns the job."""
    updated = DocumentJob.objects.filter(
        pk=job_id, claim_token=token, status=JobStatus.RUNNING
    ).update(
        progress=max(0, min(99, percent)),
        progress_message=message[:300],
        heartbeat_at=timezone.now(),
    )
    if not updated:
        raise JobLost(str(job_id))


@transaction.atomic
def job_finish(*, job_id, token: uuid.UUID, content: bytes, page_count: int) -> DocumentJob | None:
    job = locked(DocumentJob(pk=job_id))
    if job.status != JobStatus.RUNNING or job.claim_token != token:
        return None  # taken over meanwhile: the other run's result stands
    job.file.save(job.filename, ContentFile(content), save=False)
    transition(
        job,
        allowed=ALLOWED_TRANSITIONS,
        target=JobStatus.DONE,
        actor=None,
        reason=f"Rendered ({page_count} pages)",
        changes={
            "file": job.file.name,
            "page_count": page_count,
            "progress": 100,
            "progress_message": "Ready to download.",
            "finished_at": timezone.now(),
            "claim_token": None,
        },
    )
    return job


@transaction.atomic
def job_fail(
    *, job_id, token: uuid.UUID | None, error: str, detail: str = ""
) -> DocumentJob | None:
    job = locked(DocumentJob(pk=job_id))
    if job.status not in (JobStatus.RUNNING, JobStatus.QUEUED) or (
        token is not None and job.claim_token != token
    ):
        return None
    transition(
        job,
        allowed=ALLOWED_TRANSITIONS,
        target=JobStatus.FAILED,
        actor=None,
        reason=error[:200],
        changes={
            "error": error,
            "error_detail": detail,
            "finished_at": timezone.now(),
            "claim_token": None,
            "progress_message": "Stopped.",
        },
    )
    return job


@transaction.atomic
def job_release_for_retry(*, job_id, token: uuid.UUID, error: str, countdown: int) -> bool:
    """A transient failure: back to "queued" so the retry (or any worker) can claim it."""
    job = locked(DocumentJob(pk=job_id))
    if job.status != JobStatus.RUNNING or job.claim_token != token:
        return False
    transition(
        job,
        allowed=ALLOWED_TRANSITIONS,
        target=JobStatus.QUEUED,
        actor=None,
        reason=f"Temporary error, retrying in {countdown} s: {error}"[:500],
        changes={
            "claim_token": None,
            "progress": 0,
            "progress_message": f"A temporary problem interrupted the work; trying again in {countdown} seconds.",
        },
    )
    return True


def job_render(*, job_id, token: uuid.UUID) -> DocumentJob | None:
    """Build the context and render the PDF for a claimed job, reporting progress per chunk.

    Errors a person can act on (DomainError) and unexpected ones fail the job; transient ones
    (database, storage) propagate so the task retries them."""
    job = DocumentJob.objects.get(pk=job_id)
    spec = get_spec(job.kind)
    if spec is None:
        return job_fail(
            job_id=job_id, token=token, error="This kind of document is no longer available."
        )

    def on_progress(percent: int, message: str) -> None:
        job_progress(job_id=job_id, token=token, percent=percent, message=message)

    try:
        on_progress(2, "Collecting the data.")
        context = spec.build_context(job.params)
        rendered = render_pdf(
            template=spec.template,
            context=context,
            title=job.title,
            chunk_rows=spec.chunked_rows,
            on_progress=on_progress,
        )
    except DomainError as error:
        return job_fail(job_id=job_id, token=token, error=error.message)
    except JobLost:
        logger.info("Document job %s was taken over; this run stops.", job_id)
        return None
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        logger.exception("Document job %s failed.", job_id)
        return job_fail(
            job_id=job_id,
            token=token,
            error="Something went wrong while preparing this document. Staff have been told; "
            "please try again later.",
            detail=traceback.format_exc()[-5000:],
        )
    return job_finish(
        job_id=job_id, token=token, content=rendered.content, page_count=rendered.page_count
    )


@transaction.atomic
def job_retry(*, job: DocumentJob, actor) -> DocumentJob:
    """Staff's "retry": a failed job, or a live one whose worker went quiet, is queued again."""
    job = locked(job)
    if job.status == JobStatus.DONE:
        raise DomainError("This document is finished; there is nothing to retry.")
    if job.is_live:
        if not job_is_stale(job):
            raise DomainError("This document is being prepared right now.")
        _enqueue(job.pk)
        return job
    try:
        with transaction.atomic():
            transition(
                job,
                allowed=ALLOWED_TRANSITIONS,
                target=JobStatus.QUEUED,
                actor=actor,
                reason="Retried by staff",
                changes={
                    "progress": 0,
                    "progress_message": "Waiting for a worker.",
                    "error": "",
                    "finished_at": None,
                },
            )
    except IntegrityError as error:
        raise DomainError(
            "A newer request for this same document is already queued or running."
        ) from error
    _enqueue(job.pk)
    return job


def jobs_requeue_stale(*, now=None) -> int:
    """Send again the jobs whose worker died or whose message was lost; the claim decides."""
    now = now or timezone.now()
    cutoff = now - constants.STALE_AFTER
    stale = DocumentJob.objects.filter(
        Q(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
        | Q(status=JobStatus.QUEUED, created_at__lt=cutoff, updated_at__lt=cutoff)
    ).values_list("pk", flat=True)
    count = 0
    for job_id in stale:
        enqueue_now("documents.tasks.render_document", str(job_id))
        count += 1
    return count


# Errors a retry can cure (the database or the disk was away for a moment).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)


def documents_refresh_nightly() -> dict[str, int]:
    """Beat's nightly run: request every public document a spec lists in ``nightly`` as the
    anonymous public. Unchanged data reuses the finished document (nothing is rendered); a
    document someone already asked for is joined. Returns how many were reused/joined/queued."""

    anonymous = AnonymousUser()
    outcomes = {"reused": 0, "joined": 0, "queued": 0, "refused": 0}
    for kind, spec in all_documents().items():
        if spec.nightly is None:
            continue
        for params in spec.nightly():
            try:
                _, outcome = document_request(kind=kind, params=params, user=anonymous)
            except (PermissionDenied, DomainError) as error:
                # A spec that is not public (or whose data vanished) is reported, not fatal.
                logger.warning("Nightly %s %s refused: %s", kind, params, error)
                outcome = "refused"
            outcomes[outcome] += 1
    return outcomes
