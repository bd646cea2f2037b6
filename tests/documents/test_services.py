"""The job-status flow: queue, claim, progress, finish; reuse, join, take over, retry, refuse."""

import dataclasses
import threading
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.utils import timezone

from core.errors import DomainError
from core.transitions import status_timeline
from documents import constants, services, tasks
from documents.models import DocumentJob, DocumentRequest, JobStatus
from documents.registry import get_spec

from .conftest import RESTRICTED_SPEC, registered
from .pdf_text import pdf_pages_text

pytestmark = pytest.mark.django_db

KIND = "organization-directory"


def request(user=None, kind=KIND, params=None):
    from django.contrib.auth.models import AnonymousUser

    return services.document_request(kind=kind, params=params or {}, user=user or AnonymousUser())


def test_a_request_is_queued_on_commit_and_runs_to_done(
    make_organizations, make_user, django_capture_on_commit_callbacks
):
    make_organizations(5)
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job, outcome = request(user)
    assert outcome == "queued"
    assert len(callbacks) == 1

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.page_count == 1
    assert job.requested_by == user
    text = pdf_pages_text(job.file.read())[0]
    assert "EMS organization directory" in text and "Town 004 EMS" in text
    assert [entry.new for entry in status_timeline(job)] == ["queued", "running", "done"]
    assert DocumentRequest.objects.filter(job=job, user=user).count() == 1


def test_a_finished_document_is_reused_until_its_data_changes(
    make_organizations, django_capture_on_commit_callbacks
):
    organizations = make_organizations(3)
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = request()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again, outcome = request()
    assert (again, outcome) == (first, "reused")
    assert callbacks == []

    organizations[0].legal_name = "Renamed EMS"
    organizations[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        fresh, outcome = request()
    assert outcome == "queued" and fresh != first
    fresh.refresh_from_db()
    assert "Renamed EMS" in "".join(pdf_pages_text(fresh.file.read()))

    organizations[1].delete()
    _, outcome = request()
    assert outcome == "queued"


def test_two_requests_for_the_same_document_run_it_once(
    make_organizations, make_user, django_capture_on_commit_callbacks
):
    make_organizations(2)
    alice, bob = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first, first_outcome = request(alice)
        second, second_outcome = request(bob)
    assert (first_outcome, second_outcome) == ("queued", "joined")
    assert first == second
    assert len(callbacks) == 1  # one task enqueued
    assert DocumentJob.objects.count() == 1
    assert set(DocumentRequest.objects.values_list("user", flat=True)) == {alice.pk, bob.pk}

    callbacks[0]()
    assert tasks.render_document.apply(args=[str(first.pk)]).get().startswith("skipped")
    first.refresh_from_db()
    assert first.status == JobStatus.DONE and first.attempts == 1


def test_the_database_allows_only_one_live_job_per_document(make_organizations):
    from django.db import IntegrityError, transaction

    make_organizations(1)
    job, _ = request()
    duplicate = DocumentJob(
        kind=job.kind, title=job.title, params_key=job.params_key, fingerprint=job.fingerprint
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_second_worker_claiming_the_same_job_does_nothing(make_organizations):
    make_organizations(1)
    job, _ = request()
    token = services.job_claim(job_id=job.pk)
    assert token is not None
    assert services.job_claim(job_id=job.pk) is None
    assert tasks.render_document.apply(args=[str(job.pk)]).get().startswith("skipped")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.claim_token == token and job.attempts == 1


def test_a_job_left_running_by_a_dead_worker_is_taken_over_and_the_dead_run_cannot_write(
    make_organizations,
):
    make_organizations(3)
    job, _ = request()
    dead_token = services.job_claim(job_id=job.pk)
    # The worker was killed: no more progress. Before STALE_AFTER nobody may take over.
    assert services.job_claim(job_id=job.pk) is None
    DocumentJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - constants.STALE_AFTER - timedelta(seconds=1)
    )

    assert tasks.render_document.apply(args=[str(job.pk)]).get() == "done"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert job.history.filter(history_change_reason__startswith="Taken over").count() == 1
    # The old run waking up changes nothing.
    with pytest.raises(services.JobLost):
        services.job_progress(job_id=job.pk, token=dead_token, percent=50, message="late")
    assert services.job_finish(job_id=job.pk, token=dead_token, content=b"x", page_count=1) is None
    job.refresh_from_db()
    assert job.progress == 100 and job.file.read().startswith(b"%PDF")


def test_a_request_for_a_stale_job_sends_it_again(
    make_organizations, django_capture_on_commit_callbacks
):
    make_organizations(1)
    job, _ = request()
    services.job_claim(job_id=job.pk)
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        joined, outcome = request()
    assert (joined, outcome) == (job, "joined") and len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_the_periodic_sweep_resends_stale_jobs_only(make_organizations):
    make_organizations(1)
    stale, _ = request()
    services.job_claim(job_id=stale.pk)
    DocumentJob.objects.filter(pk=stale.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert tasks.requeue_stale_jobs.apply().get() == 1
    stale.refresh_from_db()
    assert stale.status == JobStatus.DONE
    assert tasks.requeue_stale_jobs.apply().get() == 0


def test_progress_is_recorded_per_chunk_where_the_person_waits(make_organizations, monkeypatch):
    make_organizations(30)
    seen = []
    real_progress = services.job_progress

    def spy(**kwargs):
        real_progress(**kwargs)
        job = DocumentJob.objects.get(pk=kwargs["job_id"])
        seen.append((job.status, job.progress, job.progress_message))

    monkeypatch.setattr(services, "job_progress", spy)
    small_chunks = dataclasses.replace(get_spec(KIND), chunked_rows=10)
    with registered("test-directory-in-tens", small_chunks):
        job, _ = request(kind="test-directory-in-tens")
        tasks.render_document.apply(args=[str(job.pk)]).get()
    chunk_messages = [message for _, _, message in seen if "part" in message]
    assert len(chunk_messages) == 3
    assert "part 3 of 3" in chunk_messages[-1]
    assert all(status == JobStatus.RUNNING for status, _, _ in seen)
    assert [percent for _, percent, _ in seen] == sorted(percent for _, percent, _ in seen)


def test_a_transient_error_is_retried_and_the_job_still_finishes(make_organizations):
    make_organizations(2)
    job, _ = request()
    real_render = services.render_pdf
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_render(**kwargs)

    with mock.patch.object(services, "render_pdf", flaky):
        with pytest.raises(Retry) as retry:
            tasks.render_document.apply(args=[str(job.pk)])
        assert retry.value.when == constants.RETRY_BACKOFF_SECONDS
        job.refresh_from_db()
        assert (
            job.status == JobStatus.QUEUED and "trying again in 10 seconds" in job.progress_message
        )
        # The retry is delivered later and claims the job again.
        assert tasks.render_document.apply(args=[str(job.pk)], retries=1).get() == "done"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    reasons = [entry.reason for entry in status_timeline(job)]
    assert any(reason.startswith("Temporary error, retrying in 10 s") for reason in reasons)


def test_a_job_that_keeps_failing_transiently_fails_after_the_last_retry(make_organizations):
    make_organizations(1)
    job, _ = request()
    with mock.patch.object(services, "render_pdf", side_effect=OSError("disk full")):
        result = tasks.render_document.apply(args=[str(job.pk)], retries=constants.MAX_RETRIES)
    assert result.get() == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "several attempts" in job.error


def test_a_domain_error_fails_the_job_with_its_message(make_organizations):
    make_organizations(1)
    job, _ = request()
    with mock.patch(
        "documents.documents.organization_directory_rows",
        side_effect=DomainError("No approved rates for 2031."),
    ):
        tasks.render_document.apply(args=[str(job.pk)]).get()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "No approved rates for 2031."
    assert not job.file


def test_an_unexpected_error_fails_the_job_with_a_plain_message_and_keeps_the_detail_for_staff(
    make_organizations,
):
    make_organizations(1)
    job, _ = request()
    with mock.patch.object(services, "render_pdf", side_effect=ValueError("bad template value")):
        tasks.render_document.apply(args=[str(job.pk)]).get()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Something went wrong" in job.error and "bad template value" not in job.error
    assert "bad template value" in job.error_detail
    # A new request after a failure starts a new job.
    again, outcome = request()
    assert outcome == "queued" and again != job


def test_a_refused_permission_raises_and_creates_nothing(make_organizations, make_user):
    organization = make_organizations(1)[0]
    stranger = make_user()
    with registered("test-organization-roster", RESTRICTED_SPEC), pytest.raises(PermissionDenied):
        request(stranger, kind="test-organization-roster", params={"organization": organization.pk})
    assert DocumentJob.objects.count() == 0


def test_an_unknown_kind_is_a_domain_error(db):
    with pytest.raises(DomainError):
        request(kind="no-such-document")


def test_staff_retry_requeues_a_failed_job_and_refuses_finished_or_busy_ones(
    make_organizations, make_user, django_capture_on_commit_callbacks
):
    make_organizations(1)
    supervisor = make_user(staff=True)
    job, _ = request()
    token = services.job_claim(job_id=job.pk)
    with pytest.raises(DomainError, match="being prepared"):
        services.job_retry(job=job, actor=supervisor)
    services.job_fail(job_id=job.pk, token=token, error="Storage full.")
    with django_capture_on_commit_callbacks(execute=True):
        services.job_retry(job=job, actor=supervisor)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert any(
        e.reason == "Retried by staff" and e.actor == supervisor for e in status_timeline(job)
    )
    with pytest.raises(DomainError, match="finished"):
        services.job_retry(job=job, actor=supervisor)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_two_concurrent_requests_create_one_job(make_organizations, monkeypatch):
    make_organizations(2)
    # Patched once, outside the threads: two threads patching and restoring would race.
    monkeypatch.setattr(services, "_enqueue", lambda job_id: None)
    barrier = threading.Barrier(2)
    results = []

    def ask():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(request())
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert DocumentJob.objects.count() == 1
    assert sorted(outcome for _, outcome in results) == ["joined", "queued"]


def test_beat_resends_stale_jobs_every_five_minutes_by_default(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="documents.tasks.requeue_stale_jobs")
    assert task.enabled and task.interval.every == 5 and task.interval.period == "minutes"
