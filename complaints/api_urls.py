"""API routes of the complaints app, mounted under /api/v1/ (staff only)."""

from django.urls import path

from . import api

urlpatterns = [
    path("complaints/", api.ComplaintListApi.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", api.ComplaintDetailApi.as_view(), name="api-complaint"),
    path(
        "complaints/<int:pk>/triage/",
        api.ComplaintTriageApi.as_view(),
        name="api-complaint-triage",
    ),
    path(
        "complaints/<int:pk>/assign/",
        api.ComplaintAssignApi.as_view(),
        name="api-complaint-assign",
    ),
    path("complaints/<int:pk>/start/", api.ComplaintStartApi.as_view(), name="api-complaint-start"),
    path("complaints/<int:pk>/refer/", api.ComplaintReferApi.as_view(), name="api-complaint-refer"),
    path("complaints/<int:pk>/close/", api.ComplaintCloseApi.as_view(), name="api-complaint-close"),
    path(
        "complaints/<int:pk>/notice/",
        api.ComplaintNoticeApi.as_view(),
        name="api-complaint-notice",
    ),
    path("complaints/<int:pk>/lift/", api.ComplaintLiftApi.as_view(), name="api-complaint-lift"),
    path("complaints/<int:pk>/notes/", api.ComplaintNoteApi.as_view(), name="api-complaint-notes"),
]
