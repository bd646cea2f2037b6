from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "documents/": views.index,
        "documents/<slug:kind>/request/": named("request", views.request_document),
        "documents/jobs/<uuid:pk>/": named("job", views.job_detail),
        "documents/jobs/<uuid:pk>/status/": views.job_status,
        # The PDF itself downloads through core.files (documents/files.py): job.download_url.
    }
)
app_name = "documents"  # the URL names' namespace: reverse("documents:…")
