"""Reads on document jobs: who may see a job, and a person's documents."""

from django.db.models import QuerySet

from .models import DocumentJob, DocumentRequest
from .registry import all_documents, get_spec


def job_visible_to(*, job: DocumentJob, user) -> bool:
    """Staff see every job; anyone else sees a job they may request (the spec's per-object
    permission), so a reused document is open to each person entitled to it and nobody else."""
    if user.is_authenticated and user.is_staff:
        return True
    spec = get_spec(job.kind)
    if spec is None:
        return user.is_authenticated and job.requested_by_id == user.pk
    return bool(spec.can_request(user, job.params))


def document_requests_of(*, user, limit: int = 50) -> QuerySet[DocumentRequest]:
    return (
        DocumentRequest.objects.filter(user=user)
        .select_related("job")
        .order_by("-requested_at")[:limit]
    )


def listed_documents_for(*, user) -> list[tuple[str, object]]:
    """The documents a person can ask for with one click (no parameters)."""
    return [
        (kind, spec)
        for kind, spec in sorted(all_documents().items(), key=lambda item: item[1].title_for({}))
        if spec.listed and spec.can_request(user, {})
    ]
