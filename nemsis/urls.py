from core.routes import pages

from . import views

urlpatterns = pages(
    {
        "public/scope-of-practice/": views.scope_of_practice,
        "organizations/<int:pk>/nemsis/dem/": views.dem_upload,
        "nemsis/dem/<uuid:pk>/": views.dem_report,
        "nemsis/dem/<uuid:pk>/confirm/": views.dem_confirm,
    }
)
app_name = "nemsis"  # the URL names' namespace: reverse("nemsis:…")
