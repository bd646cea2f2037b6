"""API routes of the payments app, mounted under /api/v1/."""

urlpatterns = []
