"""Document jobs: one row per PDF being (or having been) rendered, with its progress."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.files import PrivateFileField
from core.models import Timestamped, TokenClaim, acting_account

from .registry import get_spec


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


LIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)

# queued -> running when a worker claims it; running -> queued when a transient error sends it
# back for a retry; failed -> queued when staff retry it. A stale "running" job (its worker died)
# is taken over in place (running -> running, a new claim token), see services.job_claim.
ALLOWED_TRANSITIONS = {
    JobStatus.QUEUED: {JobStatus.RUNNING, JobStatus.FAILED},
    JobStatus.RUNNING: {JobStatus.DONE, JobStatus.FAILED, JobStatus.QUEUED},
    JobStatus.FAILED: {JobStatus.QUEUED},
    JobStatus.DONE: set(),
}


class DocumentJobQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


# Kept for the migrations that created the field; new files go to a random name (core.files).
def document_upload_to(job: "DocumentJob", filename: str) -> str:
    return f"documents/{job.created_at:%Y/%m}/{job.kind}-{job.pk}.{job.file_extension}"


class DocumentJob(Timestamped, TokenClaim):
    """One document being (or having been) rendered. A worker claims the job (``TokenClaim``):
    progress writes and the final save only count while its token still matches, so a worker
    whose job was taken over stops instead of overwriting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80, help_text="The registered document kind (slug).")
    title = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    # sha256 of the canonical params JSON: a short, indexable key for "the same document".
    params_key = models.CharField(max_length=64)
    fingerprint = models.CharField(
        max_length=255, help_text="What the data looked like when requested; reuse key."
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=300, blank=True)
    # Downloaded as ``filename`` (documents/files.py); stored under a random name like every file.
    file = PrivateFileField(
        kind="generated-document",
        upload_to="files/documents/generated",
        blank=True,
        generated_types=("xml",),  # the NEMSIS State Dataset (documents written by the portal)
    )
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # A long table (a spec with ``table``) is laid out in chunks, one Celery task each; set when
    # a run plans them: how many rows and chunks this run's data has (documents.services).
    row_total = models.PositiveIntegerField(null=True, blank=True)
    chunk_total = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="What the person waiting is told.")
    error_detail = models.TextField(blank=True, help_text="For staff: the exception, if any.")
    requested_by = acting_account(related_name="document_jobs")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentJobQuerySet.as_manager()
    # Status changes are recorded here (who, when, why); progress ticks are not (see services).
    history = HistoricalRecords(
        excluded_fields=["progress", "progress_message", "heartbeat_at", "row_total", "chunk_total"]
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two requests for the same document while one is queued or running: one job.
            models.UniqueConstraint(
                fields=["kind", "params_key", "fingerprint"],
                condition=models.Q(status__in=["queued", "running"]),
                name="documents_one_live_job_per_document",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="documents_progress_at_most_100"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "params_key", "fingerprint", "status"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("documents:job", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def file_extension(self) -> str:
        spec = get_spec(self.kind)
        return spec.file_extension if spec else "pdf"

    @property
    def content_type(self) -> str:
        spec = get_spec(self.kind)
        return spec.content_type if spec else "application/pdf"

    @property
    def download_url(self) -> str | None:
        """The checked download (core.files) once the PDF exists."""
        return self.file.url if self.status == JobStatus.DONE and self.file else None

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.created_at:%Y-%m-%d}.{self.file_extension}"


class DocumentRequest(models.Model):
    """Who asked for which job, and when: a reused or joined job still shows up in each
    requester's "My documents"."""

    job = models.ForeignKey(DocumentJob, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "user"], name="documents_one_request_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.job}"


class DocumentChunk(models.Model):
    """One laid-out chunk of a long table, stored by its index so any worker on any machine can
    render it and the merge takes each index once: a chunk rendered twice (a redelivered task, a
    run that resumes after a worker died) replaces itself, it never adds pages. ``row_total``
    and ``chunk_rows`` say which plan it belongs to; chunks of another plan (the data changed
    between runs) are dropped when a run plans again. Deleted once the document is merged."""

    job = models.ForeignKey(DocumentJob, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    row_total = models.PositiveIntegerField()
    chunk_rows = models.PositiveIntegerField()
    rows = models.PositiveIntegerField(help_text="Table rows laid out in this chunk.")
    content = models.BinaryField(help_text="The chunk's pages (a PDF without embedded fonts).")
    layout = models.JSONField(help_text="Per page: its tagged content (documents.tables.Chunk).")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="documents_one_chunk_per_index")
        ]

    def __str__(self):
        return f"{self.job_id} part {self.index}"
