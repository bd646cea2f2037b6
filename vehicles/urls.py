"""Public and signed-in pages of the vehicles app."""

app_name = "vehicles"

urlpatterns = []
