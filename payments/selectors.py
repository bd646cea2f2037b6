"""Reads on invoices, payments and the ledger, with the joins their pages need."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from .fees import to_cents
from .models import (
    MONEY_IN,
    EntryKind,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a queryset that carries annotations

    class _Balance(TypedDict):
        balance: Decimal


ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=11, decimal_places=2))


def invoice_for(*, subject, fee_code: str | None = None) -> Invoice | None:
    """The live (not void) invoice of a subject, optionally for one fee."""
    invoices = Invoice.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).exclude(status=InvoiceStatus.VOID)
    if fee_code:
        invoices = invoices.filter(fee_code=fee_code)
    return invoices.order_by("-created_at").first()


def invoices_for_subjects(*, subjects, fee_code: str | None = None) -> dict[str, Invoice]:
    """The live invoice of each subject (all of one model), keyed by the subject's pk as a
    string, each with its ``balance`` annotated. One query however many subjects: for lists
    and dashboards that show what is due on each row."""
    subjects = list(subjects)
    if not subjects:
        return {}
    invoices = (
        invoices_with_balance()
        .filter(
            subject_type=ContentType.objects.get_for_model(subjects[0]),
            subject_id__in=[str(subject.pk) for subject in subjects],
        )
        .exclude(status=InvoiceStatus.VOID)
    )
    if fee_code:
        invoices = invoices.filter(fee_code=fee_code)
    found: dict[str, Invoice] = {}
    for invoice in invoices.order_by("created_at"):
        invoice.balance = to_cents(invoice.balance)
        found[invoice.subject_id] = invoice  # the newest wins
    return found


@dataclass(frozen=True)
class Hold:
    """Why an invoice is on hold, for the page of the thing it pays for."""

    payment: Payment | None  # the payment that came back
    returned_fee: Decimal  # the returned-payment fee it added
    balance: Decimal  # what to pay now to take the subject off hold


def invoice_hold(invoice: Invoice | None) -> Hold | None:
    """The newest returned payment of an invoice on hold, its fee and the balance due."""
    if invoice is None or invoice.status != InvoiceStatus.ON_HOLD:
        return None
    payment = (
        invoice.payments.filter(status=PaymentStatus.RETURNED).order_by("-returned_at").first()
    )
    if payment is None:  # put on hold by hand, without a payment coming back
        return Hold(payment=None, returned_fee=Decimal("0.00"), balance=invoice_balance(invoice))
    fee = LedgerEntry.objects.filter(
        payment=payment, kind=EntryKind.RETURNED_PAYMENT_FEE
    ).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    return Hold(payment=payment, returned_fee=to_cents(fee), balance=invoice_balance(invoice))


def invoice_balance(invoice: Invoice) -> Decimal:
    """What is still due on the invoice: its ledger lines summed (fee + returned-payment fees
    - payments received + payments returned + refunds)."""
    total = LedgerEntry.objects.filter(invoice=invoice).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )
    return to_cents(total["total"])


def account_balance(*, user) -> Decimal:
    """The payer's whole account: positive is owed to the office."""
    total = LedgerEntry.objects.filter(account=user).aggregate(total=Coalesce(Sum("amount"), ZERO))
    return to_cents(total["total"])


def invoices_with_balance() -> "QuerySet[WithAnnotations[Invoice, _Balance]]":
    return Invoice.objects.select_related("payer", "subject_type").annotate(
        balance=Coalesce(Sum("ledger_entries__amount"), ZERO)
    )


def invoices_of(*, user) -> QuerySet[Invoice]:
    return invoices_with_balance().filter(payer=user).order_by("-created_at")


def payments_of(*, user) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(payer=user)
        .exclude(status=PaymentStatus.PENDING)
        .select_related("invoice")
        .order_by("-created_at")
    )


def ledger_of(*, user) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(account=user).select_related("invoice", "payment")


def payments_for_staff() -> QuerySet[Payment]:
    return Payment.objects.select_related("invoice", "payer").order_by("-created_at")


def can_see_payment(*, user, payment: Payment) -> bool:
    """The payer, or staff allowed to view payments."""
    if not user.is_authenticated:
        return False
    return payment.payer_id == user.pk or (user.is_staff and user.has_perm("payments.view_payment"))


def daily_totals(*, start: date, end: date) -> list[dict]:
    """Per day and method: payments received (card approved, ACH accepted), their amounts and
    card fees, and how many of them have since come back or been refunded."""
    rows = (
        Payment.objects.filter(
            completed_at__date__gte=start,
            completed_at__date__lte=end,
            status__in=[*MONEY_IN, PaymentStatus.RETURNED, PaymentStatus.REFUNDED],
        )
        .annotate(day=TruncDate("completed_at"))
        .values("day", "method")
        .annotate(
            count=Count("id"),
            amount=Coalesce(Sum("amount"), ZERO),
            fees=Coalesce(Sum("convenience_fee"), ZERO),
            reversed=Count(
                "id", filter=Q(status__in=[PaymentStatus.RETURNED, PaymentStatus.REFUNDED])
            ),
        )
        .order_by("-day", "method")
    )
    # SQLite sums decimals without their scale; every figure leaves here in cents.
    return [
        {
            **row,
            "amount": to_cents(row["amount"]),
            "fees": to_cents(row["fees"]),
            "total": to_cents(row["amount"] + row["fees"]),
        }
        for row in rows
    ]
