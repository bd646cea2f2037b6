"""The portal's URLs plus one bare view for the benchmarks' baseline. Only the benchmark
settings (benchmarks/settings.py) mount this module; the portal never serves it."""

from django.http import HttpResponse
from django.urls import path

from oems_portal.urls import urlpatterns as portal_urlpatterns


def baseline(request):
    """Through the whole middleware stack, but no database, no template."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("__bench__/baseline/", baseline), *portal_urlpatterns]
