from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.index, name="index"),
    path("documents/<slug:kind>/request/", views.request_document, name="request"),
    path("documents/jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("documents/jobs/<uuid:pk>/status/", views.job_status, name="job-status"),
    # The PDF itself downloads through core.files (documents/files.py): job.download_url.
]
