from core.routes import pages

from . import views

urlpatterns = pages(
    {
        "api-token/": views.api_token,
        "api-token/<str:token_key>/revoke/": views.api_token_revoke,
    }
)
app_name = "accounts"  # the URL names' namespace: reverse("accounts:…")
