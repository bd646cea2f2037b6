"""API routes of the complaints app, mounted under /api/v1/."""

urlpatterns = []
