from django.urls import path

from . import api

urlpatterns = [
    path(
        "documents/<slug:kind>/request/",
        api.DocumentRequestApi.as_view(),
        name="api-document-request",
    ),
    path("documents/jobs/<uuid:pk>/", api.DocumentJobDetailApi.as_view(), name="api-document-job"),
]
