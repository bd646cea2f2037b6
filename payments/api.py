"""The payments API: a payer's own invoices and payments (session or token), and the staff list.
Thin: selectors read, the serializers shape."""

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated

from core.api_views import FilteredListApi, SignedInListApi

from . import selectors
from .models import Invoice, Payment, PaymentMethod, PaymentStatus


class PaymentOutputSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    account_last4 = serializers.CharField(read_only=True)
    invoice_description = serializers.CharField(source="invoice.description", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "invoice_description",
            "method",
            "status",
            "amount",
            "convenience_fee",
            "total",
            "card_brand",
            "account_last4",
            "instrument_number",
            "received_on",
            "gateway_reference",
            "test_mode",
            "return_code",
            "created_at",
            "completed_at",
            "settled_at",
            "returned_at",
            "refunded_at",
        ]


class StaffPaymentOutputSerializer(PaymentOutputSerializer):
    payer_email = serializers.EmailField(source="payer.email", read_only=True)

    class Meta(PaymentOutputSerializer.Meta):
        fields = PaymentOutputSerializer.Meta.fields + ["payer_email", "refund_reason"]


class InvoiceOutputSerializer(serializers.ModelSerializer):
    balance = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "fee_code",
            "description",
            "amount",
            "balance",
            "status",
            "created_at",
            "paid_at",
        ]


class MyInvoicesApi(SignedInListApi):
    """The signed-in payer's invoices with what is still due on each."""

    serializer_class = InvoiceOutputSerializer

    def rows(self):
        return selectors.invoices_of(user=self.request.user)


class MyPaymentsApi(SignedInListApi):
    """The signed-in payer's payments (attempts not yet sent to the gateway are left out)."""

    serializer_class = PaymentOutputSerializer

    def rows(self):
        return selectors.payments_of(user=self.request.user)


class PaymentDetailApi(generics.RetrieveAPIView):
    """One payment: its payer, or staff allowed to view payments."""

    serializer_class = PaymentOutputSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        payment = get_object_or_404(
            Payment.objects.select_related("invoice"), pk=self.kwargs["payment_id"]
        )
        if not selectors.can_see_payment(user=self.request.user, payment=payment):
            raise NotFound  # another payer's payment does not exist, as far as you know
        return payment


class CanViewPayments(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user.is_staff and request.user.has_perm("payments.view_payment"))


class StaffPaymentsApi(FilteredListApi):
    """Every payment, for staff; filter with ?status=, ?method=, ?completed_on=YYYY-MM-DD."""

    serializer_class = StaffPaymentOutputSerializer
    permission_classes = [IsAuthenticated, CanViewPayments]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=PaymentStatus.choices, required=False)
        method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
        completed_on = serializers.DateField(required=False)

    def filtered(self, data):
        payments = selectors.payments_for_staff()
        if "status" in data:
            payments = payments.filter(status=data["status"])
        if "method" in data:
            payments = payments.filter(method=data["method"])
        if "completed_on" in data:
            payments = payments.filter(completed_at__date=data["completed_on"])
        return payments
