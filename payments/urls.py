"""Public and signed-in pages of the payments app, and its staff pages under /staff/."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/", views.my_payments, name="mine"),
    path("payments/invoices/<uuid:invoice_id>/pay/", views.pay, name="pay"),
    path("payments/attempts/<uuid:payment_id>/", views.attempt, name="attempt"),
    path(
        "payments/attempts/<uuid:payment_id>/status/", views.attempt_status, name="attempt-status"
    ),
    path("payments/webhook/", views.webhook, name="webhook"),
    path("payments/receipts/<uuid:payment_id>/", views.receipt, name="receipt"),
    path("payments/receipts/<uuid:payment_id>/pdf/", views.receipt_pdf, name="receipt-pdf"),
    path("staff/payments/daily-totals/", views.daily_totals, name="daily-totals"),
    path("staff/payments/export.csv", views.export_csv, name="export"),
]
