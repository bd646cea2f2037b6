"""API routes of the education app, mounted under /api/v1/."""

from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "courses/": named("education-courses", api.CourseCatalogueApi),
    }
)
