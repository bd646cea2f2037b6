"""Pages: the documents a person can ask for and has asked for, request, status, download."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError

from . import constants, selectors, services
from .models import DocumentJob, JobStatus
from .registry import get_spec

OUTCOME_MESSAGES = {
    "reused": "This document is ready: its data has not changed since it was made.",
    "joined": "This document was already being prepared; you are following the same work.",
    "queued": "Your document is queued. This page updates as it is prepared.",
}


@require_GET
def index(request):
    my_requests = (
        selectors.document_requests_of(user=request.user) if request.user.is_authenticated else []
    )
    return render(
        request,
        "documents/index.html",
        {
            "available": selectors.listed_documents_for(user=request.user),
            "my_requests": my_requests,
        },
    )


@require_POST
def request_document(request, kind):
    spec = get_spec(kind)
    if spec is None:
        raise Http404("No such document.")
    raw = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    try:
        params = spec.clean_params(raw)
        if not spec.can_request(request.user, params):
            if not request.user.is_authenticated:
                return redirect_to_login(reverse("documents:index"))
            raise PermissionDenied("You may not request this document.")
        job, outcome = services.document_request(kind=kind, params=params, user=request.user)
    except DomainError as error:
        return render(
            request,
            "documents/request_refused.html",
            {"title": spec.title_for({}), "message": error.message},
            status=400,
        )
    messages.info(request, OUTCOME_MESSAGES[outcome])
    return redirect(job)


def _visible_job(request, pk) -> DocumentJob:
    job = get_object_or_404(DocumentJob, pk=pk)
    if not selectors.job_visible_to(job=job, user=request.user):
        raise Http404("No such document among yours.")  # 404: the id is not confirmed
    return job


def _status_payload(job: DocumentJob) -> dict:
    return {
        "id": str(job.pk),
        "title": job.title,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "message": job.progress_message,
        "error": job.error if job.status == JobStatus.FAILED else "",
        "page_count": job.page_count,
        "download_url": job.download_url,
    }


@never_cache
@require_GET
def job_detail(request, pk):
    job = _visible_job(request, pk)
    return render(
        request,
        "documents/job.html",
        {
            "job": job,
            "payload": _status_payload(job),
            "poll_ms": constants.STATUS_POLL_MS,
        },
    )


@never_cache
@require_GET
def job_status(request, pk):
    """The JSON the status page polls."""
    return JsonResponse(_status_payload(_visible_job(request, pk)))
