"""API routes of the education app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("courses/", api.CourseCatalogueApi.as_view(), name="education-courses"),
]
