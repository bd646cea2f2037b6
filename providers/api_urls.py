"""API routes of the providers app, mounted under /api/v1/."""

from django.urls import path

from . import api
from .contact import api as contact_api

urlpatterns = [
    # Before "verify/<number>/", which would take "batch" for a number.
    path("verify/batch/", api.VerifyBatchApi.as_view(), name="providers-verify-batch"),
    path("verify/<str:number>/", api.VerifyApi.as_view(), name="providers-verify"),
    path(
        "providers/me/certifications/",
        api.MyCertificationsApi.as_view(),
        name="providers-my-certifications",
    ),
    path("providers/me/contact/", contact_api.MyContactApi.as_view(), name="providers-my-contact"),
    path("providers/me/ce/", api.MyCERecordsApi.as_view(), name="providers-my-ce"),
    path(
        "providers/me/applications/",
        api.MyApplicationsApi.as_view(),
        name="providers-my-applications",
    ),
    path(
        "providers/me/applications/<int:pk>/",
        api.MyApplicationDetailApi.as_view(),
        name="providers-my-application",
    ),
    path(
        "providers/me/initial-applications/",
        api.MyInitialApplicationsApi.as_view(),
        name="providers-my-initial-applications",
    ),
    path(
        "providers/me/initial-applications/<int:pk>/",
        api.MyInitialApplicationDetailApi.as_view(),
        name="providers-my-initial-application",
    ),
    path(
        "providers/me/reinstatements/",
        api.MyReinstatementsApi.as_view(),
        name="providers-my-reinstatements",
    ),
    path(
        "providers/me/reinstatements/<int:pk>/",
        api.MyReinstatementDetailApi.as_view(),
        name="providers-my-reinstatement",
    ),
    path(
        "staff/renewals/",
        api.StaffRenewalQueueApi.as_view(),
        name="providers-staff-renewals",
    ),
]
