"""Pages: the public scope of practice, and an organization's DEM files (send, report,
confirm). Thin: selectors decide who sees what (another organization's file is a 404), services
do the work, DomainError lands beside its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, refusal_as_message
from organizations.models import Organization

from . import selectors, services
from .forms import DemUploadForm
from .models import DemUploadStatus


@require_GET
def scope_of_practice(request):
    return render(
        request,
        "nemsis/scope_of_practice.html",
        {"levels": selectors.scope_by_level(), "is_demo": selectors.scope_has_demo_items()},
    )


def _organization_for_dem(request, pk) -> Organization:
    organization = get_object_or_404(Organization, pk=pk)
    if not selectors.user_may_send_dem(user=request.user, organization=organization):
        raise Http404("No such organization.")
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def dem_upload(request, pk):
    organization = _organization_for_dem(request, pk)
    form = DemUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.dem_upload_create(
                organization=organization,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(upload)
    return render(
        request,
        "nemsis/dem_upload.html",
        {
            "organization": organization,
            "form": form,
            "uploads": selectors.dem_uploads_of(organization=organization)[:10],
        },
    )


def _visible_upload(request, pk):
    return get_object_or_404(selectors.dem_uploads_visible_to(user=request.user), pk=pk)


@require_GET
def dem_report(request, pk):
    upload = _visible_upload(request, pk)
    sections = {"agency": [], "personnel": [], "vehicles": []}
    for row in upload.report:
        sections.setdefault(row["section"], []).append(row)
    return render(
        request,
        "nemsis/dem_report.html",
        {
            "upload": upload,
            "sections": sections,
            "labels": services.OUTCOME_LABELS,
            "summary": [
                (services.OUTCOME_LABELS[key], count) for key, count in upload.summary.items()
            ],
            "can_confirm": upload.status == DemUploadStatus.CHECKED,
        },
    )


@require_POST
def dem_confirm(request, pk):
    upload = _visible_upload(request, pk)
    with refusal_as_message(request):
        services.dem_upload_confirm(upload=upload, actor=request.user)
        messages.success(request, "Confirmed: the roster is updated from the file.")
    return redirect(upload)
