"""The fake processor's pages, under their own prefix: they stand for another company's site."""

from core.routes import pages

from . import views

urlpatterns = pages(
    {
        "test-processor/": views.dashboard,
        "test-processor/pay/<str:checkout_id>/": views.checkout,
        "test-processor/debits/release/": views.release_debits,
        "test-processor/pay/<str:checkout_id>/dispute/": views.open_dispute,
    }
)
app_name = "test_processor"  # the URL names' namespace: reverse("test_processor:…")
