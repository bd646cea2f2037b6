"""API routes of the nemsis app, mounted under /api/v1/nemsis/."""

from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "state-dataset/": named("nemsis-state-dataset", api.StateDataSetApi),
    }
)
