"""API routes of the payments app, mounted under /api/v1/."""

from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "payments/mine/": named("api-payments-mine", api.MyPaymentsApi),
        "payments/invoices/mine/": named("api-invoices-mine", api.MyInvoicesApi),
        "payments/<uuid:payment_id>/": named("api-payment-detail", api.PaymentDetailApi),
        "staff/payments/": named("api-staff-payments", api.StaffPaymentsApi),
    }
)
