"""The PDF receipt: the receipt page's template rendered for print by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from .gateway import get_gateway


def receipt_context(payment) -> dict:
    gateway = get_gateway()
    return {
        "payment": payment,
        "invoice": payment.invoice,
        # The label of the gateway that took this payment: test-mode payments say so forever.
        "test_mode": payment.test_mode,
        "test_mode_label": gateway.label if payment.test_mode else "",
        "office_name": "Office of Emergency Medical Services",
    }


def receipt_pdf(payment) -> bytes:
    html = render_to_string("payments/receipt_pdf.html", receipt_context(payment))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def receipt_filename(payment) -> str:
    return f"oems-receipt-{payment.reference}.pdf"
