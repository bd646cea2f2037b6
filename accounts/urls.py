from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("api-token/", views.api_token, name="api-token"),
    path("api-token/<str:token_key>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
