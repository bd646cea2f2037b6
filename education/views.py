"""Education pages: the public course catalogue, and the training institution's course
applications. Thin: forms in, services out, DomainError beside its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import refusal_on_form

from . import forms, selectors, services
from .models import Course


def catalogue(request):
    form = forms.CatalogueSearchForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "query": form.cleaned_data["q"].strip(),
            "on": form.cleaned_data["on"],
            "delivery": form.cleaned_data["delivery"],
        }
    courses = list(selectors.course_catalogue(**filters)[: selectors.CATALOGUE_LIMIT])
    return render(
        request,
        "education/catalogue.html",
        {"form": form, "courses": courses, "limit": selectors.CATALOGUE_LIMIT},
    )


def course(request, pk):
    """An approved course is public; a pending or denied one only to the institution."""
    course = get_object_or_404(Course.objects.prefetch_related("instructors__provider"), pk=pk)
    if course.status != "approved" and course.institution_id != request.user.pk:
        raise PermissionDenied
    return render(request, "education/course.html", {"course": course})


def _require_institution(request):
    if not selectors.is_training_institution(request.user):
        raise PermissionDenied("Only a training institution's account applies for courses.")


@login_required
def my_courses(request):
    _require_institution(request)
    return render(
        request, "education/my_courses.html", {"courses": selectors.courses_of(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_apply(request):
    _require_institution(request)
    form = forms.CourseApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with refusal_on_form(form):
            course = services.course_submit(
                institution=request.user,
                instructor_numbers=data.pop("instructors"),
                **data,
            )
            messages.success(request, f"“{course.title}” is submitted for approval.")
            return redirect("education:mine")
    return render(request, "education/apply.html", {"form": form})
