"""Public and staff pages of the complaints app."""

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("complaints/file/", views.complaint_file, name="file"),
    path("complaints/filed/", views.complaint_filed, name="filed"),
    path(
        "staff/complaints/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("staff/complaints/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
]
