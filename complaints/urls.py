"""Public and signed-in pages of the complaints app."""

app_name = "complaints"

urlpatterns = []
