"""Workers SIGKILLed part-way: a reminder run and a roster (document) job finish after a new
worker starts. Real worker processes (``celery worker`` in their own process group), this test's
own Redis (6392) as broker, and a real SMTP server counting what it accepted per recipient.

The times are the settings a deployment tunes (docs/reliability.md), shortened here:
CELERY_VISIBILITY_TIMEOUT (the killed worker's message goes back to the queue),
REMINDER_CLAIM_STALE_SECONDS (its in-flight reminder is taken over) and DOCUMENT_STALE_SECONDS
(its job is taken over)."""

from datetime import date

import pytest

from accounts import roles
from core.outbox import enqueue
from documents.models import DocumentJob, JobStatus
from providers import tasks
from providers.reminders.models import ReminderSent, ReminderStatus, ReminderThreshold
from tests.providers.factories import make_certification

from .conftest import celery_on, needs_postgresql_and_redis, wait_for

pytestmark = [
    pytest.mark.faults,
    needs_postgresql_and_redis,
    # serialized_rollback: start from the migrated data (fees, towns, thresholds) even after
    # other transactional tests flushed it
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PORT = 6392
FAST_TAKEOVER = {
    "CELERY_VISIBILITY_TIMEOUT": 3,
    "REMINDER_CLAIM_STALE_SECONDS": 2,
    "DOCUMENT_STALE_SECONDS": 3,
}


def _sent():
    return ReminderSent.objects.filter(status=ReminderStatus.SENT).count()


def test_a_reminder_run_killed_part_way_is_finished_by_the_next_worker(
    extra_redis, workers, smtp_server
):
    redis = extra_redis(PORT)
    redis.start()
    smtp = smtp_server(delay=0.05)  # each message takes a while: the kill lands mid-batch
    ReminderThreshold.objects.get_or_create(days_before=30)
    certifications = [
        make_certification(
            expires_in=20, email=f"r{index:03d}@example.com", ssn=f"{index:03d}-11-0000"
        )
        for index in range(60)
    ]
    env = {"REDIS_URL": redis.url, "EMAIL_URL": smtp.url, **FAST_TAKEOVER}
    first = workers(**env)
    with celery_on(redis.url):
        enqueue(tasks.send_renewal_reminders, date.today().isoformat())  # autocommit: sent now

    wait_for(lambda: _sent() >= 10, timeout=240, what="the first worker to send some reminders")
    first.kill()
    at_kill = _sent()
    assert at_kill < len(certifications), "the run finished before the kill; nothing was tested"

    workers(**env)  # a new worker: the batch comes back after the visibility timeout
    wait_for(lambda: _sent() == len(certifications), timeout=240, what="every reminder sent")

    recipients = [f"r{index:03d}@example.com" for index in range(len(certifications))]
    missing = [r for r in recipients if smtp.received[r] == 0]
    duplicates = {r: n for r, n in smtp.received.items() if n > 1}
    assert missing == []
    # Only the reminder in flight at the kill can be sent twice (accepted by SMTP, not yet
    # marked): the documented window.
    assert len(duplicates) <= 1, duplicates
    assert set(ReminderSent.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_a_roster_job_killed_part_way_is_finished_by_the_next_worker(
    extra_redis, workers, make_user
):
    """The roster is a long table: one task per chunk of 1,000 rows, each stored by its index.
    The first worker is killed after it stored some chunks and before the merge; the next one
    lays out the chunks still missing (the killed one's message comes back after the visibility
    timeout) and merges each index once."""
    from documents import services
    from documents.models import DocumentChunk
    from tests.documents.pdf_text import pdf_pages_text
    from tests.providers.test_roster_document import _bulk_providers

    redis = extra_redis(PORT - 1)  # 6391; the benchmark uses 6393 and 6394
    redis.start()
    _bulk_providers(6000)  # 6 chunks
    staff = make_user("roster@example.com", role=roles.LICENSING_REVIEWER)
    # A chunk takes seconds on a loaded machine: a 3 s visibility timeout would hand every
    # reserved chunk message out again while it waits (harmless, chunks are idempotent, but the
    # queue then grows faster than one solo worker drains it).
    env = {"REDIS_URL": redis.url, **FAST_TAKEOVER, "CELERY_VISIBILITY_TIMEOUT": 30}
    first = workers(**env)
    with celery_on(redis.url):
        job, outcome = services.document_request(kind="provider-roster", params={}, user=staff)
    assert outcome == "queued"

    wait_for(
        lambda: DocumentChunk.objects.filter(job=job).exists(),
        timeout=240,
        what="the first worker to store a chunk",
    )
    first.kill()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # killed mid-roster: no file, no failure recorded
    assert not job.file
    stored_before = set(DocumentChunk.objects.filter(job=job).values_list("index", "created_at"))
    assert 0 < len(stored_before) < 6

    workers(**env)

    def finished():
        job.refresh_from_db()
        return job.status in (JobStatus.DONE, JobStatus.FAILED)

    wait_for(finished, timeout=300, what="the roster to be finished by the second worker")
    assert job.status == JobStatus.DONE, job.error
    # The chunks left in the queue and the one the killed worker held (redelivered) finish the
    # job under its claim; a takeover (beat's sweep) is only needed when no message is left.
    assert job.chunk_total == 6
    assert DocumentJob.objects.filter(kind="provider-roster").count() == 1
    text = "\n".join(pdf_pages_text(job.file.read()))
    numbers = [line.split()[2] for line in text.splitlines() if line.startswith("Roster")]
    assert numbers == [f"E{900000 + index:06d}" for index in range(6000)]  # once each, in order
