"""Who may download a generated document (core.files): whoever the document kind's own rule
lets request it, once the job is done (documents.selectors.job_visible_to)."""

from core.files import FileRule

from .models import JobStatus
from .selectors import job_visible_to

FILE_RULES = {
    "generated-document": FileRule(
        can_download=lambda user, job: (
            job.status == JobStatus.DONE and job_visible_to(job=job, user=user)
        ),
        filename=lambda job: job.filename,
    ),
}
