"""Forms of the contact page: input shape only; the rules are in ``contact.services``."""

from django import forms

from ..forms import DetailsForm
from ..rules import UPLOAD_MAX_BYTES
from .selectors import CONTACT_LABELS, NAME_LABELS

# The browser fills a person's own details (WCAG 1.3.5, "identify input purpose").
AUTOCOMPLETE = {
    "email": "email",
    "phone": "tel",
    "address_line1": "address-line1",
    "address_line2": "address-line2",
    "city": "address-level2",
    "state": "address-level1",
    "postal_code": "postal-code",
}


class ContactForm(DetailsForm):
    """The renewal's contact step plus the second address line."""

    address_line2 = forms.CharField(
        label=CONTACT_LABELS["address_line2"], max_length=200, required=False
    )
    field_order = list(AUTOCOMPLETE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = (
            "Renewal reminders, certification cards, application updates and office notices "
            "go here."
        )
        for name, token in AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["phone"].widget.attrs["inputmode"] = "tel"


class NameChangeForm(forms.Form):
    NAME_FIELDS = ("first_name", "middle_name", "last_name")  # filled with the current name

    first_name = forms.CharField(label=NAME_LABELS["first_name"], max_length=100)
    middle_name = forms.CharField(label=NAME_LABELS["middle_name"], max_length=100, required=False)
    last_name = forms.CharField(label=NAME_LABELS["last_name"], max_length=100)
    reason = forms.CharField(
        label="Reason for the change",
        max_length=200,
        help_text="For example: marriage, divorce, court order.",
    )
    proof = forms.FileField(
        label="Proof of the new name",
        help_text="A marriage certificate, divorce decree or court order: PDF, PNG or JPEG, at "
        f"most {UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
