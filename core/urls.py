from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "": views.home,
        "news/": views.news_index,
        "news/<slug:slug>/": views.news_detail,
        "public/": views.public_index,
        "dashboard/": views.dashboard,
        "healthz": views.healthz,
        "files/<slug:kind>/<str:pk>/": named("file", views.file_download),
    }
)
app_name = "core"  # the URL names' namespace: reverse("core:…")
