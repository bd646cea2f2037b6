"""Reads on document jobs: who may see a job, and a person's documents."""

from django.db.models import QuerySet

from .models import DocumentJob, DocumentRequest
from .registry import all_documents, get_spec


def job_visible_to(*, job: DocumentJob, user) -> bool:
    """A job is open to whoever the document kind's own rule lets request it (the spec's
    per-object permission), staff included: a reused document is open to each person entitled
    to it and nobody else (an inspector does not get the provider roster by its job's id)."""
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
