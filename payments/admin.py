"""Staff's tool for fees, invoices and payments. Decided fields are read-only; every change of a
payment goes through a service (return, refund, settle), which writes the audit record."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import (
    ListedInline,
    ReadOnlyAdmin,
    RowActions,
    ServiceWrittenAdmin,
    admin_page,
    admin_url,
)
from core.errors import DomainError, put_on_form

from . import selectors, services
from .forms import OfflinePaymentForm, RefundForm, ReturnForm, SettlementImportForm
from .gateway import GatewayError, get_gateway
from .models import (
    FeeSchedule,
    Invoice,
    LedgerEntry,
    Payment,
    ReconciliationMismatch,
    ReconciliationRun,
    WebhookEvent,
)
from .settlement import parse_settlement_csv
from .views import write_payments_csv

TEST_MODE_NOTICE = "admin/payments/payment/_test_mode.html"


def _test_mode_context() -> dict:
    gateway = get_gateway()
    return {"test_mode": gateway.test_mode, "test_mode_label": gateway.label}


def _form_page_context() -> dict:
    """An action's form page shows the test-mode notice while the gateway is in test mode."""
    return {**_test_mode_context(), "notice_template": TEST_MODE_NOTICE}


# The rows each admin acts on (core.admin_actions.RowActions).
_payments = RowActions(
    "payment",
    describe=lambda payment: f"{payment} — {payment.payer} — {payment.invoice.description}",
    extra_context=_form_page_context,
)


@admin.register(FeeSchedule)
class FeeScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "amount", "effective_from", "note"]
    list_filter = ["code"]
    search_fields = ["note"]

    def get_readonly_fields(self, request, obj=None):
        # A fee in force has been charged at that amount: change it by adding a future row.
        if obj is not None and obj.effective_from <= timezone.localdate():
            return ["code", "amount", "effective_from"]
        return []


class LedgerInline(ListedInline):
    model = LedgerEntry
    fields = ["created_at", "kind", "amount", "payment", "memo", "created_by"]


class PaymentInline(ListedInline):
    model = Payment
    show_change_link = True
    fields = ["created_at", "method", "amount", "convenience_fee", "status", "account_last4"]


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    list_display = ["description", "payer", "fee_code", "amount", "status", "created_at"]
    list_filter = ["status", "fee_code", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["description", "payer__email", "payer__full_name", "subject_id"]
    list_select_related = ["payer"]
    readonly_fields = [
        "id",
        "payer",
        "fee_code",
        "amount",
        "status",
        "subject_type",
        "subject_id",
        "created_at",
        "paid_at",
        "updated_at",
        "balance",
    ]
    fields = readonly_fields[:-3] + ["description", "balance"]
    inlines = [PaymentInline, LedgerInline]

    @admin.display(description="Balance due")
    def balance(self, obj):
        return f"${selectors.invoice_balance(obj)}"

    def has_add_permission(self, request):
        return False  # invoices are opened by the flows that charge a fee

    change_form_template = "admin/payments/invoice/change_form.html"

    def get_urls(self):
        return [
            admin_url(
                self,
                "<path:object_id>/record-payment/",
                self.record_payment_view,
                "payments_invoice_record_payment",
            ),
            *super().get_urls(),
        ]

    def record_payment_view(self, request, object_id):
        """A check or money order received by mail or at the counter, against this invoice."""
        if not request.user.has_perm("payments.record_offline_payment"):
            raise PermissionDenied
        invoice = self.get_object(request, object_id)
        if invoice is None:
            raise Http404("No such invoice.")
        balance = selectors.invoice_balance(invoice)
        form = OfflinePaymentForm(request.POST or None, initial={"amount": balance})
        if request.method == "POST" and form.is_valid():
            try:
                payment, message = services.payment_record_offline(
                    invoice=invoice, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                put_on_form(form, error)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect(reverse("admin:payments_invoice_change", args=[invoice.pk]))
        return admin_page(
            self,
            request,
            "admin/payments/invoice/record_payment.html",
            title="Record a check or money order",
            form=form,
            invoice=invoice,
            balance=balance,
            original=invoice,
        )


@admin.register(Payment)
class PaymentAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
    change_list_template = "admin/payments/payment/change_list.html"
    change_form_template = "admin/payments/payment/change_form.html"
    list_display = [
        "created_at",
        "reference",
        "payer",
        "invoice",
        "method",
        "status",
        "amount",
        "convenience_fee",
        "account_last4",
        "mode",
    ]
    list_filter = [
        "method",
        "status",
        ("completed_at", admin.DateFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        "test_mode",
        "return_code",
    ]
    search_fields = [
        "=reference",
        "payer__email",
        "gateway_reference",
        "invoice__description",
        "id",
    ]
    list_select_related = ["payer", "invoice"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Payment._meta.concrete_fields] + ["mode"]
    actions = ["record_return", "refund", "mark_settled", "export_csv"]

    @admin.display(description="Gateway mode")
    def mode(self, obj):
        return "TEST MODE" if obj.test_mode else "live"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), **_test_mode_context()})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(
            request, object_id, form_url, {**(extra_context or {}), **_test_mode_context()}
        )

    def get_urls(self):
        return [
            admin_url(
                self,
                "import-settlement/",
                self.import_settlement_view,
                "payments_payment_import_settlement",
            ),
            *super().get_urls(),
        ]

    # --- actions ---------------------------------------------------------------------------

    def has_record_return_permission(self, request):
        return request.user.has_perm("payments.record_return")

    def has_refund_permission(self, request):
        return request.user.has_perm("payments.refund_payment")

    record_return = _payments.ask(
        "Record a returned payment (adds the returned-payment fee)",
        services.payment_return,
        ReturnForm,
        "Record returned payment",
        "{count} payment(s) recorded as returned; the payers were emailed.",
        permissions=["record_return"],
    )
    refund = _payments.ask(
        "Refund (with a reason)",
        services.payment_refund,
        RefundForm,
        "Refund payments",
        "{count} payment(s) refunded.",
        permissions=["refund"],
    )

    mark_settled = _payments.run(
        "Mark settled",
        services.payment_settle,
        "{count} payment(s) settled.",
        fixed={"reason": "Marked settled by staff"},
    )

    @admin.action(description="Export selected as CSV for finance", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="payments.csv"'
        write_payments_csv(response, queryset.select_related("payer", "invoice"))
        return response

    def import_settlement_view(self, request):
        if not request.user.has_perm("payments.import_settlement"):
            raise PermissionDenied
        form = SettlementImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                entries = parse_settlement_csv(form.cleaned_data["file"].read())
                counts = services.settlement_apply(entries=entries, actor=request.user)
            except DomainError as error:
                put_on_form(form, error)
            else:
                self.message_user(request, _counts_message(counts), messages.SUCCESS)
                return redirect(reverse("admin:payments_payment_changelist"))
        return admin_page(
            self,
            request,
            "admin/payments/payment/import_settlement.html",
            **_test_mode_context(),
            title="Import a settlement file",
            form=form,
        )


def _counts_message(counts: dict[str, int]) -> str:
    return (
        f"Settlement applied: {counts['settled']} settled, {counts['returned']} returned, "
        f"{counts['unchanged']} unchanged, {counts['unknown']} unknown reference(s)."
    )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Written by the services only."""

    list_display = ["created_at", "account", "kind", "amount", "invoice", "payment"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["account__email", "memo"]
    list_select_related = ["account", "invoice", "payment"]
    readonly_fields = [f.name for f in LedgerEntry._meta.concrete_fields]


class MismatchInline(ListedInline):
    model = ReconciliationMismatch
    fields = ["kind", "reference", "payment", "processor_amount", "ledger_amount"]


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The daily comparison with the processor; each run lists its mismatches."""

    list_display = [
        "day",
        "gateway",
        "mismatch_count",
        "processor_count",
        "processor_total",
        "ledger_count",
        "ledger_total",
        "ran_at",
    ]
    list_filter = ["gateway", ("day", admin.DateFieldListFilter)]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in ReconciliationRun._meta.concrete_fields]
    inlines = [MismatchInline]
    actions = ["rerun"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mismatch_total=Count("mismatches"))

    @admin.display(description="Mismatches", ordering="mismatch_total")
    def mismatch_count(self, obj):
        return obj.mismatch_total

    @admin.action(description="Run the reconciliation again for the selected days")
    def rerun(self, request, queryset):
        if not request.user.has_perm("payments.reconcile"):
            raise PermissionDenied
        for run in queryset:
            try:
                again = services.reconciliation_run(day=run.day)
            except GatewayError as error:
                self.message_user(request, f"{run.day}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{run.day}: {again.mismatches.count()} mismatch(es).", messages.INFO
                )


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Every verified webhook the processor sent, and what the portal did with it."""

    list_display = ["received_at", "event_type", "event_id", "payment", "outcome", "processed_at"]
    list_filter = ["gateway", "event_type", "kind"]
    search_fields = ["event_id", "reference", "payment_ref"]
    readonly_fields = [f.name for f in WebhookEvent._meta.concrete_fields]
