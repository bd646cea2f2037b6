"""The portal's URLs plus one bare view for the benchmarks' baseline. Only the benchmark
settings (benchmarks/settings.py) mount this module; the portal never serves it."""

from django.http import HttpResponse
from django.urls import path

from oems_portal.urls import urlpatterns as portal_urlpatterns


def baseline(request):
    """Through the whole middleware stack, but no database, no template."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


def baseline_sized(request, size):
    """The bare view with a body of ``size`` bytes (HTML): what the bytes of a page cost the
    server and the load generator, apart from the page's own work."""
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("__bench__/baseline/", baseline),
    path("__bench__/baseline/<int:size>/", baseline_sized),
    *portal_urlpatterns,
]
