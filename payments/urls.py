"""Public and signed-in pages of the payments app."""

app_name = "payments"

urlpatterns = []
