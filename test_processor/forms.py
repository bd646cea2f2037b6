"""The fake processor's hosted forms. Numbers are checked (Luhn, brand, expiry, ABA checksum)
as a processor's page checks them; they go to the fake processor's service and nowhere else."""

from django import forms
from django.utils import timezone

from . import cardrules


class SecretInput(forms.TextInput):
    """A text box that never renders its value back: card and account numbers do not return
    to the browser, even beside an error (the person types them again, as on a processor's
    hosted form)."""

    def format_value(self, value):
        return None


def _text(label, max_length, *, secret=False, help_text="", **attrs):
    """A text box of the hosted form; ``attrs`` are its HTML attributes (autocomplete,
    inputmode); a ``secret`` one never shows its value again."""
    widget = (SecretInput if secret else forms.TextInput)(attrs=attrs)
    return forms.CharField(label=label, help_text=help_text, max_length=max_length, widget=widget)


class CardForm(forms.Form):
    name = _text("Name on card", 100, autocomplete="cc-name")
    number = _text("Card number", 23, secret=True, autocomplete="cc-number", inputmode="numeric")
    expiry = _text(
        "Expiration date", 7, help_text="MM/YY", autocomplete="cc-exp", inputmode="numeric"
    )
    cvc = _text("Security code (CVC)", 4, secret=True, autocomplete="cc-csc", inputmode="numeric")
    postal_code = _text("Billing ZIP code", 10, autocomplete="postal-code")

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


class AchForm(forms.Form):
    name = forms.CharField(label="Name on the account", max_length=100)
    account_type = forms.ChoiceField(
        label="Account type",
        choices=[("checking", "Checking"), ("savings", "Savings")],
        widget=forms.RadioSelect,
        initial="checking",
    )
    routing_number = _text(
        "Routing number",
        9,
        help_text="9 digits, at the bottom left of a check.",
        inputmode="numeric",
    )
    account_number = _text(
        "Account number", 17, secret=True, inputmode="numeric", autocomplete="off"
    )
    account_number_again = _text(
        "Account number again", 17, secret=True, inputmode="numeric", autocomplete="off"
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
