"""API routes of the nemsis app, mounted under /api/v1/nemsis/."""

from django.urls import path

from . import api

urlpatterns = [
    path("state-dataset/", api.StateDataSetApi.as_view(), name="nemsis-state-dataset"),
]
