"""API routes of the organizations app, mounted under /api/v1/."""

urlpatterns = []
