"""Public and signed-in pages of the rates app."""

app_name = "rates"

urlpatterns = []
