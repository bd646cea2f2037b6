"""API routes of the vehicles app, mounted under /api/v1/."""

urlpatterns = []
