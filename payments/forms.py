"""The pay page (choose a method) and the two entry forms a processor's hosted fields would
render. Card and bank numbers are checked here (Luhn, ABA checksum, expiry) before the gateway."""

import uuid

from django import forms
from django.utils import timezone

from . import cardrules
from .gateway import BankAccount, CardDetails
from .models import PaymentMethod, ReturnCode


class SecretInput(forms.TextInput):
    """A text box that never renders its value back: card and account numbers do not return
    to the browser, even beside an error (the person types them again, as on a processor's
    hosted form)."""

    def format_value(self, value):
        return None


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
            (value, f"{label}: {amounts[value]}") for value, label in PaymentMethod.choices
        ]


class CardForm(forms.Form):
    name = forms.CharField(
        label="Name on card",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    number = forms.CharField(
        label="Card number",
        max_length=23,
        widget=SecretInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label="Expiration date",
        help_text="MM/YY",
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric"}),
    )
    cvc = forms.CharField(
        label="Security code (CVC)",
        max_length=4,
        widget=SecretInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )
    postal_code = forms.CharField(
        label="Billing ZIP code",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def clean_number(self):
        number = cardrules.digits_only(self.cleaned_data["number"])
        if not cardrules.DIGITS.match(number) or not 13 <= len(number) <= 19:
            raise forms.ValidationError("Enter the card number: 13 to 19 digits.")
        if not cardrules.luhn_valid(number) or cardrules.card_brand(number) is None:
            raise forms.ValidationError("This card number is not valid. Check it and try again.")
        return number

    def clean_expiry(self):
        parsed = cardrules.parse_expiry(self.cleaned_data["expiry"])
        if parsed is None:
            raise forms.ValidationError("Enter the expiration date as MM/YY, for example 04/29.")
        if cardrules.expired(*parsed, today=timezone.localdate()):
            raise forms.ValidationError("This card has expired. Use another card.")
        return parsed

    def clean_cvc(self):
        cvc = self.cleaned_data["cvc"].strip()
        if not (cvc.isdigit() and len(cvc) in (3, 4)):
            raise forms.ValidationError("Enter the 3 or 4 digit security code.")
        return cvc

    def card(self) -> CardDetails:
        month, year = self.cleaned_data["expiry"]
        return CardDetails(
            number=self.cleaned_data["number"],
            exp_month=month,
            exp_year=year,
            cvc=self.cleaned_data["cvc"],
            name=self.cleaned_data["name"],
            postal_code=self.cleaned_data["postal_code"],
        )


class AchForm(forms.Form):
    name = forms.CharField(label="Name on the account", max_length=100)
    account_type = forms.ChoiceField(
        label="Account type",
        choices=[("checking", "Checking"), ("savings", "Savings")],
        widget=forms.RadioSelect,
        initial="checking",
    )
    routing_number = forms.CharField(
        label="Routing number",
        help_text="9 digits, at the bottom left of a check.",
        max_length=9,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=17,
        widget=SecretInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    account_number_again = forms.CharField(
        label="Account number again",
        max_length=17,
        widget=SecretInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    authorize = forms.BooleanField(
        label="I authorize the Office of Emergency Medical Services to debit this account once "
        "for the amount shown.",
    )

    def clean_routing_number(self):
        routing = cardrules.digits_only(self.cleaned_data["routing_number"])
        if not cardrules.aba_routing_valid(routing):
            raise forms.ValidationError(
                "This routing number is not valid (9 digits with a correct check digit). "
                "Check it against your check or bank."
            )
        return routing

    def clean_account_number(self):
        number = cardrules.digits_only(self.cleaned_data["account_number"])
        if not (number.isdigit() and 4 <= len(number) <= 17):
            raise forms.ValidationError("Enter the account number: 4 to 17 digits.")
        return number

    def clean(self):
        cleaned = super().clean()
        again = cardrules.digits_only(cleaned.get("account_number_again", ""))
        if cleaned.get("account_number") and again != cleaned["account_number"]:
            self.add_error("account_number_again", "The two account numbers do not match.")
        return cleaned

    def account(self) -> BankAccount:
        return BankAccount(
            routing_number=self.cleaned_data["routing_number"],
            account_number=self.cleaned_data["account_number"],
            account_type=self.cleaned_data["account_type"],
            name=self.cleaned_data["name"],
        )


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
