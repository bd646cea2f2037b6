"""The staff oversight dashboard (under /staff/, so the second-factor middleware guards it)."""

from core.routes import pages

from . import views

urlpatterns = pages(
    {
        "staff/dashboard/": views.dashboard,
    }
)
app_name = "oversight"  # the URL names' namespace: reverse("oversight:…")
