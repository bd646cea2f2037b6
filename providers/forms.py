"""Forms of the provider pages: input shape only; the rules are in services and rules."""

from django import forms

from . import rules
from .models import CEComponent, CEDelivery, DocumentKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinkForm(forms.Form):
    number = forms.CharField(
        label="Certification number",
        max_length=20,
        help_text="As printed on your card, e.g. E123456.",
    )
    date_of_birth = forms.DateField(label="Date of birth", widget=DATE)
    ssn = forms.CharField(
        label="Social Security number",
        max_length=11,
        help_text="Nine digits. Used only to confirm who you are; we never store it.",
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class CERecordForm(forms.Form):
    course_title = forms.CharField(label="Course title", max_length=200)
    completed_on = forms.DateField(label="Date completed", widget=DATE)
    hours = forms.DecimalField(
        label="Hours",
        max_digits=5,
        decimal_places=2,
        help_text=f"Up to {rules.MAX_CE_HOURS_PER_COURSE}, in quarter hours (e.g. 1.5).",
        widget=forms.NumberInput(attrs={"step": rules.CE_HOURS_STEP, "inputmode": "decimal"}),
    )
    component = forms.ChoiceField(
        label="Component", choices=CEComponent.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label="Delivery", choices=CEDelivery.choices, widget=forms.RadioSelect
    )
    approval_number = forms.CharField(
        label="Approval number",
        max_length=20,
        required=False,
        help_text=f"Required for distributive education: {rules.APPROVAL_NUMBER_HELP}.",
    )
    certificate = forms.FileField(
        label="Course completion certificate",
        required=False,
        help_text=f"PDF, PNG or JPEG, at most {rules.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class NremtForm(forms.Form):
    nremt_number = forms.CharField(label="NREMT number", max_length=20)
    nremt_attest = forms.BooleanField(
        label="I attest that my national (NREMT) recertification application is submitted.",
        required=True,
        error_messages={"required": "Attest that your NREMT recertification is submitted."},
    )


class DetailsForm(forms.Form):
    email = forms.EmailField(label="Email")
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    address_line1 = forms.CharField(label="Mailing address", max_length=200)
    city = forms.CharField(label="City or town", max_length=100)
    state = forms.CharField(label="State", max_length=2, min_length=2)
    postal_code = forms.RegexField(
        label="ZIP code",
        regex=r"^\d{5}(-\d{4})?$",
        error_messages={"invalid": "Enter a ZIP code like 06106 or 06106-1234."},
    )


class CEStepForm(forms.Form):
    ce = forms.BooleanField(
        label="These courses are mine and complete the requirement for this cycle.",
        required=True,
        error_messages={"required": "Confirm your continuing education."},
    )


class AttestForm(forms.Form):
    attestation_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        help_text="By typing your name you attest that everything in this application is true.",
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of document", choices=DocumentKind.choices)
    file = forms.FileField(
        label="File",
        help_text=f"PDF, PNG or JPEG, at most {rules.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class VerifyForm(forms.Form):
    number = forms.CharField(label="Certification number", max_length=20, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    first_name = forms.CharField(label="First name (optional)", max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("number") and not data.get("last_name"):
            raise forms.ValidationError("Enter a certification number or a last name.")
        return data
