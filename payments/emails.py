"""One function per payments email; each is called on commit (directly or from a task)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from . import documents, selectors
from .models import Payment


def _context(payment: Payment) -> dict:
    return {
        "payment": payment,
        "invoice": payment.invoice,
        "balance": selectors.invoice_balance(payment.invoice),
        "receipt_url": settings.SITE_URL + reverse("payments:receipt", args=[payment.pk]),
        "pay_url": settings.SITE_URL + reverse("payments:pay", args=[payment.invoice_id]),
        **documents.receipt_context(payment),
    }


def _send(payment: Payment, *, template: str, subject: str, attach_receipt=False) -> None:
    context = _context(payment)
    message = EmailMessage(
        subject=("[TEST MODE] " if payment.test_mode else "") + f"[OEMS Portal] {subject}",
        body=render_to_string(f"payments/email/{template}.txt", context),
        to=[payment.payer.email],
    )
    if attach_receipt:
        message.attach(
            documents.receipt_filename(payment), documents.receipt_pdf(payment), "application/pdf"
        )
    message.send()


def send_receipt(payment_id) -> None:
    payment = Payment.objects.select_related("invoice", "payer").get(pk=payment_id)
    _send(payment, template="receipt", subject="Payment receipt", attach_receipt=True)


def send_payment_returned(payment_id) -> None:
    payment = Payment.objects.select_related("invoice", "payer").get(pk=payment_id)
    _send(payment, template="returned", subject="Your payment was returned: action needed")


def send_refund(payment_id) -> None:
    payment = Payment.objects.select_related("invoice", "payer").get(pk=payment_id)
    _send(payment, template="refund", subject="Refund issued")
