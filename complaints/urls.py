"""Public and staff pages of the complaints app."""

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("complaints/file/", views.complaint_file, name="file"),
    path("complaints/filed/", views.complaint_filed, name="filed"),
    # Attachments and evidence download through core.files (complaints/files.py).
]
