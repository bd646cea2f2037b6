"""Public and signed-in pages of the organizations app."""

app_name = "organizations"

urlpatterns = []
