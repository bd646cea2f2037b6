"""The site frame: home with the office's news, the signed-in landing page, the public index,
and the health check."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.staff_access import staff_access_refusal
from information.selectors import news_and_publications, processing_weeks
from providers.dashboard_selectors import dashboard_for

from . import files, health
from .models import News


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "news": news_and_publications(limit=5),
            "processing_weeks": processing_weeks(),
        },
    )


def news_index(request):
    return render(request, "core/news_index.html", {"news": news_and_publications()})


def news_detail(request, slug):
    post = get_object_or_404(News.objects.published().prefetch_related("attachments"), slug=slug)
    return render(request, "core/news_detail.html", {"post": post})


def public_index(request):
    return render(request, "core/public_index.html")


@login_required
def dashboard(request):
    """Where a signed-in person lands: their next steps first (the providers' dashboard
    selector), then each domain's panel."""
    user = request.user
    next_steps = None if user.is_staff else dashboard_for(user=user)
    return render(request, "core/dashboard.html", {"dashboard": next_steps})


@never_cache
def healthz(request):
    ok, checks = health.health_report()
    if not request.user.is_staff:
        # Error texts name hosts, ports and versions: only staff (second factor used, as on every
        # staff path) read them; everyone else learns ok or failing per component.
        checks = {name: {"ok": check["ok"]} for name, check in checks.items()}
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )


@never_cache
@require_GET
def file_download(request, kind, pk):
    """Every stored file: the kind's per-object rule decides; anyone else gets 404."""
    # Staff reach files only with the second factor used this session, within the staff limits
    # (the one rule, accounts.staff_access); otherwise they are answered as anyone else (404).
    user = request.user
    if user.is_authenticated and user.is_staff and staff_access_refusal(request, user):
        raise Http404
    return files.download_response(request, kind=kind, pk=pk)
