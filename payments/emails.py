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
    _send(
        payment,
        template="receipt",
        subject=f"Payment receipt {payment.reference}",
        attach_receipt=True,
    )


def send_payment_returned(payment_id) -> None:
    payment = Payment.objects.select_related("invoice", "payer").get(pk=payment_id)
    _send(payment, template="returned", subject="Your payment was returned: action needed")


def send_refund(payment_id) -> None:
    payment = Payment.objects.select_related("invoice", "payer").get(pk=payment_id)
    _send(payment, template="refund", subject="Refund issued")


def send_reconciliation(run_id) -> int:
    """The day's mismatches to everyone in the finance role; returns how many were emailed."""
    from django.contrib.auth import get_user_model

    from accounts.roles import FINANCE

    from .models import ReconciliationRun

    run = ReconciliationRun.objects.get(pk=run_id)
    recipients = sorted(
        get_user_model()
        .objects.filter(groups__name=FINANCE, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    body = render_to_string(
        "payments/email/reconciliation.txt",
        {
            "run": run,
            "mismatches": run.mismatches.select_related("payment"),
            "admin_url": settings.SITE_URL
            + reverse("admin:payments_reconciliationrun_change", args=[run.pk]),
        },
    )
    EmailMessage(
        subject=f"[OEMS Portal] Payment reconciliation {run.day}: "
        f"{run.mismatches.count()} mismatch(es)",
        body=body,
        to=recipients,
    ).send()
    return len(recipients)
