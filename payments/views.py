"""Payer pages (pay, the return from the processor's page, receipts, my payments), the
processor's webhook endpoint, and the staff pages (daily totals, CSV export for finance). Thin:
the services decide, the views show."""

import logging
import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, refusal_on_form
from core.exports import csv_writer

from . import documents, fees, selectors, services
from .forms import DateRangeForm, PayForm
from .gateway import InvalidWebhook, get_gateway
from .models import Invoice, Payment, PaymentMethod, PaymentStatus

logger = logging.getLogger(__name__)

SUCCESS = (
    PaymentStatus.AUTHORIZED,
    PaymentStatus.SETTLED,
    PaymentStatus.RETURNED,
    PaymentStatus.REFUNDED,
)


def _gateway_context() -> dict:
    gateway = get_gateway()
    return {"test_mode": gateway.test_mode, "test_mode_label": gateway.label}


def _subject_url(invoice: Invoice) -> str | None:
    """The page of the thing paid for (a renewal application, ...), when it has one."""
    subject = invoice.subject
    if subject is not None and hasattr(subject, "get_absolute_url"):
        return subject.get_absolute_url()
    return None


def _after_success_url(payment: Payment) -> str:
    """Back to the thing paid for when it has a page, else the receipt."""
    return _subject_url(payment.invoice) or reverse("payments:receipt", args=[payment.pk])


def _success(request, payment: Payment):
    if payment.method == PaymentMethod.ACH:
        messages.success(
            request,
            f"Your bank payment of ${payment.total} was submitted ({payment.instrument}). "
            "A receipt is on its way to your email.",
        )
    else:
        messages.success(
            request,
            f"Payment of ${payment.total} received ({payment.instrument}). "
            "A receipt is on its way to your email.",
        )
    return redirect(_after_success_url(payment))


def _own_invoice(request, invoice_id) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("subject_type"), pk=invoice_id, payer=request.user
    )


def _own_attempt(request, payment_id) -> Payment:
    """Someone else's attempt is a 404: the return URL shows nothing to anyone else."""
    return get_object_or_404(
        Payment.objects.select_related("invoice"), pk=payment_id, payer=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def pay(request, invoice_id):
    invoice = _own_invoice(request, invoice_id)
    balance = selectors.invoice_balance(invoice)
    if request.method == "POST":
        # A replayed POST of an attempt already started goes where that attempt stands,
        # even once the invoice is paid and the form would no longer render.
        key = request.POST.get("idempotency_key", "")
        existing = (
            Payment.objects.filter(idempotency_key=key, invoice=invoice).first()
            if _is_uuid(key)
            else None
        )
        if existing is not None:
            try:
                return _to_attempt(request, existing)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("payments:pay", invoice_id=invoice.pk)
    payable = invoice.status in services.PAYABLE and balance > 0
    card_fee = fees.card_convenience_fee(balance) if payable else None
    amounts = {
        PaymentMethod.CARD: f"${balance + (card_fee or 0)} (includes ${card_fee} card fee)",
        PaymentMethod.ACH: f"${balance} (no fee)",
    }
    form = PayForm(request.POST or None, amounts=amounts)
    if request.method == "POST" and payable and form.is_valid():
        with refusal_on_form(form):
            payment = services.payment_start(
                invoice=invoice, payer=request.user, **form.cleaned_data
            )
            return _to_attempt(request, payment)
    return render(
        request,
        "payments/pay.html",
        {
            "invoice": invoice,
            "balance": balance,
            "payable": payable,
            "card_fee": card_fee,
            "card_total": balance + card_fee if payable else None,
            "card_rate_percent": fees.CARD_CONVENIENCE_RATE * 100,
            "returned_payment_fee": fees.current_fee("returned_payment"),
            "form": form,
            "subject_url": _subject_url(invoice),
            "payments": invoice.payments.exclude(status=PaymentStatus.PENDING).order_by(
                "-created_at"
            ),
            **_gateway_context(),
        },
    )


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _to_attempt(request, payment: Payment):
    """To the processor's page while the attempt is open, else to where it stands. Raises
    DomainError when the processor cannot open its page (nothing was charged)."""
    if payment.status == PaymentStatus.PENDING:
        url = services.payment_checkout(
            payment=payment,
            return_url=request.build_absolute_uri(reverse("payments:attempt", args=[payment.pk])),
            cancel_url=request.build_absolute_uri(
                reverse("payments:pay", args=[payment.invoice_id])
            ),
        )
        if url:
            return redirect(url)
    return redirect("payments:attempt", payment_id=payment.pk)


@login_required
@require_GET
def attempt(request, payment_id):
    """Where the processor sends the payer back. The payment counts only once the processor's
    signed confirmation has arrived; until then this page says "processing"."""
    payment = _own_attempt(request, payment_id)
    if payment.status in SUCCESS:
        return _success(request, payment)
    if payment.status == PaymentStatus.FAILED:
        messages.error(request, f"{payment.failure_message} You can pay again below.")
        return redirect("payments:pay", invoice_id=payment.invoice_id)
    return render(
        request,
        "payments/processing.html",
        {"payment": payment, "invoice": payment.invoice, **_gateway_context()},
    )


@login_required
@require_GET
def attempt_status(request, payment_id):
    """For the processing page's script: has the confirmation arrived?"""
    payment = _own_attempt(request, payment_id)
    return JsonResponse({"decided": payment.status != PaymentStatus.PENDING})


@csrf_exempt
@require_POST
def webhook(request):
    """The processor's signed webhook. Verified and stored here; acted on by a task after
    this answer, so the processor is never kept waiting. Refused (400, nothing changes): a bad
    signature, an old timestamp, an unknown event type."""
    try:
        services.webhook_receive(
            payload=request.body,
            signature_header=request.headers.get("Stripe-Signature", ""),
        )
    except InvalidWebhook:
        return HttpResponseBadRequest("Invalid webhook.")
    return HttpResponse("OK")


def _visible_payment(request, payment_id) -> Payment:
    payment = get_object_or_404(
        Payment.objects.select_related("invoice", "payer"), pk=payment_id, status__in=SUCCESS
    )
    if not selectors.can_see_payment(user=request.user, payment=payment):
        raise Http404("No such receipt.")
    return payment


@login_required
def receipt(request, payment_id):
    payment = _visible_payment(request, payment_id)
    return render(
        request,
        "payments/receipt.html",
        {
            **documents.receipt_context(payment),
            "balance": selectors.invoice_balance(payment.invoice),
        },
    )


@login_required
def receipt_pdf(request, payment_id):
    payment = _visible_payment(request, payment_id)
    response = HttpResponse(documents.receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.receipt_filename(payment)}"'
    return response


@login_required
def my_payments(request):
    return render(
        request,
        "payments/my_payments.html",
        {
            "invoices": selectors.invoices_of(user=request.user),
            "payments": selectors.payments_of(user=request.user),
            "balance": selectors.account_balance(user=request.user),
            "ledger": selectors.ledger_of(user=request.user),
            "payable_statuses": services.PAYABLE,
        },
    )


# --- staff -----------------------------------------------------------------------------------


@permission_required("payments.view_payment", raise_exception=True)
def daily_totals(request):
    today = timezone.localdate()
    form = DateRangeForm(request.GET or {"start": today - timedelta(days=13), "end": today})
    rows = selectors.daily_totals(**form.cleaned_data) if form.is_valid() else []
    return render(
        request,
        "payments/staff/daily_totals.html",
        {"form": form, "rows": rows, **_gateway_context()},
    )


EXPORT_COLUMNS = [
    "payment_id",
    "created_at",
    "completed_at",
    "status",
    "method",
    "amount",
    "convenience_fee",
    "total",
    "gateway",
    "test_mode",
    "gateway_reference",
    "last4",
    "card_brand",
    "check_or_money_order_number",
    "return_code",
    "returned_at",
    "refunded_at",
    "payer_email",
    "invoice_id",
    "fee_code",
    "description",
]


@permission_required("payments.view_payment", raise_exception=True)
def export_csv(request):
    """Every payment in a date range (by start date), for the finance office."""
    today = timezone.localdate()
    form = DateRangeForm(request.GET or {"start": today - timedelta(days=30), "end": today})
    if not form.is_valid():
        return HttpResponse("Give a valid start and end date.", status=400)
    payments = (
        selectors.payments_for_staff()
        .filter(
            created_at__date__gte=form.cleaned_data["start"],
            created_at__date__lte=form.cleaned_data["end"],
        )
        .exclude(status=PaymentStatus.PENDING)
    )
    if request.GET.get("method") in PaymentMethod.values:
        payments = payments.filter(method=request.GET["method"])
    if request.GET.get("status") in PaymentStatus.values:
        payments = payments.filter(status=request.GET["status"])
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="payments-{form.cleaned_data["start"]}-{form.cleaned_data["end"]}.csv"'
    )
    write_payments_csv(response, payments)
    return response


def write_payments_csv(stream, payments) -> None:
    writer = csv_writer(stream)  # cells made inert (core.exports)
    writer.writerow(EXPORT_COLUMNS)
    for p in payments.iterator(chunk_size=2000):
        writer.writerow(
            [
                p.pk,
                p.created_at.isoformat(),
                p.completed_at.isoformat() if p.completed_at else "",
                p.status,
                p.method,
                p.amount,
                p.convenience_fee,
                p.total,
                p.gateway,
                "yes" if p.test_mode else "no",
                p.gateway_reference,
                p.account_last4,
                p.card_brand,
                p.instrument_number,
                p.return_code,
                p.returned_at.isoformat() if p.returned_at else "",
                p.refunded_at.isoformat() if p.refunded_at else "",
                p.payer.email,
                p.invoice_id,
                p.invoice.fee_code,
                p.invoice.description,
            ]
        )
