"""Public and staff pages of the complaints app."""

from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "complaints/file/": named("file", views.complaint_file),
        "complaints/filed/": named("filed", views.complaint_filed),
        # Attachments and evidence download through core.files (complaints/files.py).
    }
)
app_name = "complaints"  # the URL names' namespace: reverse("complaints:…")
