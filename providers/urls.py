"""Public and signed-in pages of the providers app."""

app_name = "providers"

urlpatterns = []
