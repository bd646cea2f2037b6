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
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.enqueue import enqueue_now, enqueue_on_commit
from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition

from . import constants, tables
from .models import ALLOWED_TRANSITIONS, DocumentChunk, DocumentJob, DocumentRequest, JobStatus
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
def job_finish(
    *, job_id, token: uuid.UUID, content: bytes, page_count: int | None
) -> DocumentJob | None:
    job = locked(DocumentJob(pk=job_id))
    if job.status != JobStatus.RUNNING or job.claim_token != token:
        return None  # taken over meanwhile: the other run's result stands
    job.file.save(job.filename, ContentFile(content), save=False)
    transition(
        job,
        allowed=ALLOWED_TRANSITIONS,
        target=JobStatus.DONE,
        actor=None,
        reason=f"Rendered ({page_count} pages)" if page_count else "Rendered",
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


def _guarded(job_id, token: uuid.UUID, work: Callable[[], Any]) -> tuple[bool, Any]:
    """Run one step of a claimed job: ``(True, result)``, or ``(False, None)`` when the job
    failed here (errors a person can act on, DomainError, and unexpected ones) or was taken
    over. Transient errors (database, storage) propagate so the task retries them."""
    try:
        return True, work()
    except DomainError as error:
        job_fail(job_id=job_id, token=token, error=error.message)
    except JobLost:
        logger.info("Document job %s was taken over; this run stops.", job_id)
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        logger.exception("Document job %s failed.", job_id)
        job_fail(
            job_id=job_id,
            token=token,
            error="Something went wrong while preparing this document. Staff have been told; "
            "please try again later.",
            detail=traceback.format_exc()[-5000:],
        )
    return False, None


def _spec_or_fail(job: DocumentJob, token: uuid.UUID) -> DocumentSpec | None:
    spec = get_spec(job.kind)
    if spec is None:
        job_fail(job_id=job.pk, token=token, error="This kind of document is no longer available.")
    return spec


def job_render(*, job_id, token: uuid.UUID) -> DocumentJob | None:
    """Build the context and render the PDF for a claimed job, reporting progress per chunk.
    (A long table, a spec with ``table``, goes through ``job_plan_chunks`` instead.)"""
    job = DocumentJob.objects.get(pk=job_id)
    spec = _spec_or_fail(job, token)
    if spec is None:
        return None

    def on_progress(percent: int, message: str) -> None:
        job_progress(job_id=job_id, token=token, percent=percent, message=message)

    def render():
        on_progress(2, "Collecting the data.")
        if spec.render is not None:
            return spec.render(job.params, on_progress)
        return render_pdf(
            template=spec.template,
            context=spec.build_context(job.params),
            title=job.title,
            chunk_rows=spec.chunked_rows,
            on_progress=on_progress,
        )

    ok, rendered = _guarded(job_id, token, render)
    if not ok:
        return None
    return job_finish(
        job_id=job_id, token=token, content=rendered.content, page_count=rendered.page_count
    )


# Long tables: chunks any worker may render, merged once all are stored ------------------------


def job_is_table(job_id) -> bool:
    kind = DocumentJob.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    spec = get_spec(kind) if kind else None
    return spec is not None and spec.table is not None


def _chunk_rows(spec: DocumentSpec) -> int:
    return spec.chunked_rows or constants.DEFAULT_CHUNK_ROWS


def _rows_of(context: dict) -> Any:
    rows = context.get("rows", [])
    return rows if isinstance(rows, QuerySet | list | tuple) else list(rows)


def _this_plan(job: DocumentJob, spec: DocumentSpec) -> QuerySet:
    return job.chunks.filter(row_total=job.row_total or 0, chunk_rows=_chunk_rows(spec))


def job_plan_chunks(*, job_id, token: uuid.UUID) -> list[int] | None:
    """For a claimed long-table job: count its rows, record how many chunks they make, drop
    chunks stored under another plan, and return the indexes still to render (all of them on
    a first run; only the missing ones when a run resumes a job whose worker died). None when
    the job failed here or was taken over."""
    token = uuid.UUID(str(token))
    job = DocumentJob.objects.get(pk=job_id)
    spec = _spec_or_fail(job, token)
    if spec is None:
        return None

    def plan() -> list[int]:
        job_progress(job_id=job_id, token=token, percent=2, message="Counting the rows.")
        rows = _rows_of(spec.build_context(job.params))
        total = rows.count() if isinstance(rows, QuerySet) else len(rows)
        size = _chunk_rows(spec)
        with transaction.atomic():
            planned = DocumentJob.objects.filter(
                pk=job_id, claim_token=token, status=JobStatus.RUNNING
            ).update(row_total=total, chunk_total=max(1, -(-total // size)))
            if not planned:
                raise JobLost(str(job_id))
            job.refresh_from_db(fields=["row_total", "chunk_total"])
            job.chunks.exclude(pk__in=_this_plan(job, spec)).delete()
            job.chunks.filter(index__gte=job.chunk_total).delete()
            done = set(_this_plan(job, spec).values_list("index", flat=True))
        return [index for index in range(job.chunk_total or 1) if index not in done]

    ok, missing = _guarded(job_id, token, plan)
    return missing if ok else None


def _heading(job: DocumentJob, spec: DocumentSpec, context: dict) -> tables.Heading:
    day = timezone.localtime(job.created_at).strftime("%B %-d, %Y")
    total = job.row_total or 0
    return tables.Heading(
        title=job.title,
        generated_on=day,
        summary=f"Generated {day} · {total:,} entr{'y' if total == 1 else 'ies'}.",
        intro=spec.table.intro(context) if spec.table else "",
    )


def job_render_chunk(*, job_id, token: uuid.UUID, index: int) -> bool:
    """Lay out chunk ``index`` of a planned long-table job and store it under its index
    (idempotent: a chunk already stored for this plan is not laid out again; one laid out again
    replaces itself). Returns True when this call stored the last missing chunk: then the
    caller sends the merge. Storing and counting happen under the job's row lock, so of two
    chunks finishing together exactly one sees the set complete."""
    token = uuid.UUID(str(token))
    job = DocumentJob.objects.get(pk=job_id)
    if job.status != JobStatus.RUNNING or job.claim_token != token:
        return False  # finished, failed or taken over: nothing to do
    spec = _spec_or_fail(job, token)
    if spec is None or spec.table is None:
        return False
    size = _chunk_rows(spec)

    def render() -> bool:
        chunk = None
        if not _this_plan(job, spec).filter(index=index).exists():
            context = spec.build_context(job.params)
            items = _rows_of(context)[index * size : (index + 1) * size]
            table = spec.table
            assert table is not None
            chunk = tables.render_chunk(
                table,
                table.columns_for(context),
                _heading(job, spec, context),
                (cells for item in items for cells in table.cells(item)),
                first=index == 0,
                last=index == (job.chunk_total or 1) - 1,
            )
        with transaction.atomic():
            locked(job)
            if chunk is not None:
                DocumentChunk.objects.update_or_create(
                    job=job,
                    index=index,
                    defaults={
                        "row_total": job.row_total,
                        "chunk_rows": size,
                        "rows": chunk.rows,
                        "content": chunk.content,
                        "layout": chunk.layout,
                    },
                )
            done = _this_plan(job, spec).count()
        job_progress(
            job_id=job_id,
            token=token,
            percent=5 + 85 * done // (job.chunk_total or 1),
            message=f"Laid out part {done} of {job.chunk_total} ({job.row_total:,} rows).",
        )
        return done == job.chunk_total

    ok, complete = _guarded(job_id, token, render)
    return bool(ok and complete)


def job_merge_chunks(*, job_id, token: uuid.UUID) -> DocumentJob | list[int] | None:
    """Merge the stored chunks of a long-table job, each index exactly once and in order, and
    finish the job. Returns the indexes still missing instead (the caller sends them again),
    or None when the job is finished, failed or taken over."""
    token = uuid.UUID(str(token))
    job = DocumentJob.objects.get(pk=job_id)
    if job.status != JobStatus.RUNNING or job.claim_token != token:
        return None
    spec = _spec_or_fail(job, token)
    if spec is None:
        return None
    chunks = {chunk.index: chunk for chunk in _this_plan(job, spec)}
    missing = [index for index in range(job.chunk_total or 1) if index not in chunks]
    if missing:
        return missing

    def merge() -> tables.Merged:
        job_progress(
            job_id=job_id, token=token, percent=92, message=f"Merging {len(chunks)} parts."
        )
        size = _chunk_rows(spec)
        total = job.row_total or 0
        ordered = [chunks[index] for index in range(len(chunks))]
        return tables.merge_chunks(
            [tables.Chunk.from_stored(bytes(chunk.content), chunk.layout) for chunk in ordered],
            title=job.title,
            bookmarks=[
                f"Entries {index * size + 1:,}–{min(total, (index + 1) * size):,}"
                for index in range(len(ordered))
            ],
        )

    ok, merged = _guarded(job_id, token, merge)
    if not ok:
        return None
    finished = job_finish(
        job_id=job_id, token=token, content=merged.content, page_count=merged.page_count
    )
    if finished is not None:
        job.chunks.all().delete()
    return finished


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
