"""API routes of the payments app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("payments/mine/", api.MyPaymentsApi.as_view(), name="api-payments-mine"),
    path("payments/invoices/mine/", api.MyInvoicesApi.as_view(), name="api-invoices-mine"),
    path("payments/<uuid:payment_id>/", api.PaymentDetailApi.as_view(), name="api-payment-detail"),
    path("staff/payments/", api.StaffPaymentsApi.as_view(), name="api-staff-payments"),
]
