"""The oversight dashboard page and its CSV downloads. Staff only: every staff role sees every
section (the figures are counts, with no personal data); the links under them open only the
admin lists the person's role may open. The second-factor middleware guards /staff/."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.exports import csv_response

from . import snapshot
from .sections import Context, build_sections, find_table


def user_may_view_dashboard(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@login_required
@require_GET
def dashboard(request):
    if not user_may_view_dashboard(request.user):
        raise PermissionDenied("The oversight dashboard is for OEMS staff.")
    today = timezone.localdate()
    figures = snapshot.current(today=today)
    sections = build_sections(Context(today=today, user=request.user, figures=figures))
    if request.GET.get("format") == "csv":
        table = find_table(sections, request.GET.get("table", ""))
        if table is None:
            raise Http404("No such table on the dashboard.")
        return _csv(table, today=today)
    return render(
        request,
        "oversight/dashboard.html",
        {"sections": sections, "today": today, "as_of": figures.taken_at},
    )


def _csv(table, *, today) -> HttpResponse:
    return csv_response(
        f"oems-{table.key}-{today.isoformat()}.csv",
        ([cell.value for cell in row] for row in table.rows),
        header=table.columns,
    )
