"""A real Celery worker, started against the Redis broker, renders a requested document.

Runs only when REDIS_URL is set (CI sets it); without it tasks run in-process (test_services)."""

import os
import time

import pytest
from django.contrib.auth.models import AnonymousUser

from documents import services
from documents.models import DocumentJob, JobStatus

from .pdf_text import pdf_pages_text

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


@pytest.fixture
def real_worker():
    from celery.contrib.testing.worker import start_worker

    from oems_portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = saved


def _wait_until_finished(job, timeout=90):
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add(job.status)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {timeout} s")


def test_a_real_worker_renders_a_requested_document_through_redis(real_worker, make_organizations):
    make_organizations(12)
    job, outcome = services.document_request(
        kind="organization-directory", params={}, user=AnonymousUser()
    )  # autocommit here: on_commit sends the task to Redis at once
    assert outcome == "queued"
    _wait_until_finished(job)
    assert job.status == JobStatus.DONE, job.error_detail
    assert "Town 011 EMS" in "".join(pdf_pages_text(job.file.read()))

    # The same message delivered twice (acks_late redelivery): the second run does nothing.
    from documents.tasks import render_document

    assert (
        render_document.apply_async([str(job.pk)], ignore_result=False)
        .get(timeout=30)
        .startswith("skipped")
    )
    assert DocumentJob.objects.get(pk=job.pk).attempts == 1


def test_a_real_worker_renders_a_long_table_chunk_by_chunk_and_merges_it(real_worker):
    """The chunks go to the broker as a group; the worker stores each by index; the last one
    sends the merge."""
    from .conftest import registered
    from .test_tables import KIND, _numbers, _spec

    rows = [
        (f"Holder {index:05d}", f"N{index:05d}", "EMT", "Active", "2030-01-01")
        for index in range(95)
    ]
    with registered(KIND, _spec(rows, chunk_rows=30)):  # 4 chunks
        job, outcome = services.document_request(kind=KIND, params={}, user=AnonymousUser())
        assert outcome == "queued"
        _wait_until_finished(job)
    assert job.status == JobStatus.DONE, job.error_detail
    assert job.chunk_total == 4
    assert _numbers(pdf_pages_text(job.file.read())) == [f"N{index:05d}" for index in range(95)]
