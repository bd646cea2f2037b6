"""The pay page (choose card or bank account; the numbers are typed on the processor's page,
never here) and the staff forms: refunds, returns, checks and money orders, date ranges."""

import uuid

from django import forms
from django.utils import timezone

from .models import STAFF_RECORDED_METHODS, PaymentMethod, ReturnCode


class PayForm(forms.Form):
    method = forms.ChoiceField(
        label="How do you want to pay?", choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    # Generated when the form renders; every request of this attempt carries it.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, amounts: dict[str, str], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [
            (value, f"{PaymentMethod(value).label}: {amount}") for value, amount in amounts.items()
        ]


class RefundForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the refund", widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(forms.Form):
    return_code = forms.ChoiceField(label="Return reason")
    note = forms.CharField(label="Note", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_code"].choices = ReturnCode.choices


class SettlementImportForm(forms.Form):
    file = forms.FileField(
        label="Settlement file (CSV)",
        help_text="Columns: reference, status (settled or returned), return_code.",
    )


class DateRangeForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", "The end date must be on or after the start date.")
        return cleaned


class OfflinePaymentForm(forms.Form):
    method = forms.ChoiceField(
        label="Received as",
        choices=[(method.value, method.label) for method in STAFF_RECORDED_METHODS],
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label="Check or money order number", max_length=40)
    amount = forms.DecimalField(label="Amount received ($)", max_digits=9, decimal_places=2)
    received_on = forms.DateField(
        label="Date received", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
