"""The fake processor's pages, under their own prefix: they stand for another company's site."""

from core.routes import pages

from . import views

urlpatterns = pages(
    {
        "": views.dashboard,
        "pay/<str:checkout_id>/": views.checkout,
        "debits/release/": views.release_debits,
        "pay/<str:checkout_id>/dispute/": views.open_dispute,
    },
    prefix="test-processor/",
)
app_name = "test_processor"  # the URL names' namespace: reverse("test_processor:…")
