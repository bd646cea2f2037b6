"""API routes of the rates app, mounted under /api/v1/."""

urlpatterns = []
