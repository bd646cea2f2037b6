"""The fake processor's pages, under their own prefix: they stand for another company's site."""

from django.urls import path

from . import views

app_name = "test_processor"

urlpatterns = [
    path("test-processor/", views.dashboard, name="dashboard"),
    path("test-processor/pay/<str:checkout_id>/", views.checkout, name="checkout"),
    path("test-processor/debits/release/", views.release_debits, name="release-debits"),
    path("test-processor/pay/<str:checkout_id>/dispute/", views.open_dispute, name="open-dispute"),
]
