"""Public and signed-in pages of the payments app, and its staff pages under /staff/."""

from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "payments/": named("mine", views.my_payments),
        "payments/invoices/<uuid:invoice_id>/pay/": views.pay,
        "payments/attempts/<uuid:payment_id>/": views.attempt,
        "payments/attempts/<uuid:payment_id>/status/": views.attempt_status,
        "payments/webhook/": views.webhook,
        "payments/receipts/<uuid:payment_id>/": views.receipt,
        "payments/receipts/<uuid:payment_id>/pdf/": views.receipt_pdf,
        "staff/payments/daily-totals/": views.daily_totals,
        "staff/payments/export.csv": named("export", views.export_csv),
    }
)
app_name = "payments"  # the URL names' namespace: reverse("payments:…")
