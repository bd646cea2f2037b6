"""Request a registered document the way a page does and read the finished PDF back."""

from django.contrib.auth.models import AnonymousUser

from documents import services
from documents.models import DocumentJob

from .pdf_text import pdf_pages_text


def render_document(capture, kind, params=None, user=None) -> tuple[DocumentJob, list[str]]:
    """The job (rendered in-process on commit, as without REDIS_URL) and its pages' text."""
    with capture(execute=True):
        job, _ = services.document_request(
            kind=kind, params=params or {}, user=user or AnonymousUser()
        )
    job.refresh_from_db()
    assert job.status == "done", (job.error, job.error_detail)
    return job, pdf_pages_text(job.file.read())
