"""Payer pages (pay, card and bank entry, receipts, my payments) and the staff pages (daily
totals, CSV export for finance). Thin: the services decide, the views show."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.exports import csv_writer

from . import documents, fees, selectors, services
from .forms import AchForm, CardForm, DateRangeForm, PayForm
from .gateway import TestModeGateway, get_gateway
from .models import Invoice, Payment, PaymentMethod, PaymentStatus

SUCCESS = (
    PaymentStatus.AUTHORIZED,
    PaymentStatus.SETTLED,
    PaymentStatus.RETURNED,
    PaymentStatus.REFUNDED,
)
ENTRY_URL = {PaymentMethod.CARD: "payments:card-entry", PaymentMethod.ACH: "payments:ach-entry"}


def _gateway_context() -> dict:
    gateway = get_gateway()
    return {
        "test_mode": gateway.test_mode,
        "test_mode_label": gateway.label,
        "test_gateway": gateway if isinstance(gateway, TestModeGateway) else None,
    }


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
            f"Your bank payment of ${payment.total} was submitted (ending {payment.ach_last4}). "
            "A receipt is on its way to your email.",
        )
    else:
        messages.success(
            request,
            f"Payment of ${payment.total} received ({payment.card_brand} ending "
            f"{payment.card_last4}). A receipt is on its way to your email.",
        )
    return redirect(_after_success_url(payment))


def _own_invoice(request, invoice_id) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("subject_type"), pk=invoice_id, payer=request.user
    )


def _own_attempt(request, payment_id, method) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("invoice"),
        pk=payment_id,
        payer=request.user,
        method=method,
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
            return _to_attempt(request, existing)
    payable = invoice.status in services.PAYABLE and balance > 0
    card_fee = fees.card_convenience_fee(balance) if payable else None
    amounts = {
        PaymentMethod.CARD: f"${balance + (card_fee or 0)} (includes ${card_fee} card fee)",
        PaymentMethod.ACH: f"${balance} (no fee)",
    }
    form = PayForm(request.POST or None, amounts=amounts)
    if request.method == "POST" and payable and form.is_valid():
        try:
            payment = services.payment_start(
                invoice=invoice,
                payer=request.user,
                method=form.cleaned_data["method"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
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
    if payment.status in SUCCESS:
        return _success(request, payment)
    return redirect(ENTRY_URL[payment.method], payment_id=payment.pk)


def _entry(request, payment_id, *, method, form_class, template, submit):
    payment = _own_attempt(request, payment_id, method)
    if payment.status in SUCCESS:
        return _success(request, payment)
    if payment.status == PaymentStatus.FAILED:
        if request.method == "POST":
            # A second click on a declined form: same result as the first, nothing charged.
            form = form_class(request.POST)
            form.is_valid()
            return _render_failure(request, payment, form, template)
        return _next_attempt_or_invoice(request, payment)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = submit(payment, form)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            if payment.status in SUCCESS:
                return _success(request, payment)
            return _render_failure(request, payment, form, template)
    return _render_entry(request, payment, form, template)


def _render_entry(request, payment, form, template, *, failed=None, status=200):
    return render(
        request,
        template,
        {
            "payment": payment,
            "invoice": payment.invoice,
            "form": form,
            "failed": failed,
            **_gateway_context(),
        },
        status=status,
    )


def _render_failure(request, failed: Payment, form, template):
    """Show the processor's answer beside the card (or account) and offer the next attempt;
    what was typed stays, except the numbers themselves."""
    try:
        retry = services.payment_retry(payment=failed)
    except DomainError as error:
        messages.error(request, f"{failed.failure_message} {error.message}")
        return redirect("payments:pay", invoice_id=failed.invoice_id)
    if retry.status in SUCCESS:
        return _success(request, retry)
    if retry.status == PaymentStatus.FAILED:  # the retry failed too: go one further
        return _render_failure(request, retry, form, template)
    field = "number" if retry.method == PaymentMethod.CARD else "account_number"
    if "expired" in failed.failure_message.lower() and retry.method == PaymentMethod.CARD:
        field = "expiry"
    if "error" in failed.failure_message.lower():
        field = None
    form.add_error(field, failed.failure_message)
    return _render_entry(request, retry, form, template, failed=failed)


def _next_attempt_or_invoice(request, failed):
    try:
        retry = services.payment_retry(payment=failed)
    except DomainError:
        return redirect("payments:pay", invoice_id=failed.invoice_id)
    if retry.status in SUCCESS:
        return _success(request, retry)
    return redirect(ENTRY_URL[retry.method], payment_id=retry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def card_entry(request, payment_id):
    """The hosted card field: card data posted here goes to the gateway and nowhere else."""
    return _entry(
        request,
        payment_id,
        method=PaymentMethod.CARD,
        form_class=CardForm,
        template="payments/card_entry.html",
        submit=lambda payment, form: services.payment_pay_by_card(
            payment=payment, card=form.card(), actor=request.user
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ach_entry(request, payment_id):
    return _entry(
        request,
        payment_id,
        method=PaymentMethod.ACH,
        form_class=AchForm,
        template="payments/ach_entry.html",
        submit=lambda payment, form: services.payment_pay_by_ach(
            payment=payment, account=form.account(), actor=request.user
        ),
    )


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
                p.return_code,
                p.returned_at.isoformat() if p.returned_at else "",
                p.refunded_at.isoformat() if p.refunded_at else "",
                p.payer.email,
                p.invoice_id,
                p.invoice.fee_code,
                p.invoice.description,
            ]
        )
