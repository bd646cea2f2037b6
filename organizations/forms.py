"""Forms of the organizations pages; the rules themselves live in services and rules."""

from django import forms

from core.files import validate_upload

from .models import (
    ApplicationKind,
    ChiefChangeReport,
    Organization,
    OrganizationApplication,
    PersonRole,
    Town,
)
from .selectors import affiliable_organizations

LETTERHEAD_MAX_BYTES = 10 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinkRequestForm(forms.Form):
    number = forms.CharField(
        label="License or certificate number",
        max_length=20,
        help_text="As printed on the organization's license or certificate, e.g. AMB-0123.",
    )


class LinkConfirmForm(forms.Form):
    number = forms.CharField(label="License or certificate number", max_length=20)
    pin = forms.CharField(
        label="PIN from the email",
        max_length=12,
        help_text="Sent to the organization's email address on file.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OrganizationContactForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "doing_business_as",
            "email",
            "phone",
            "street",
            "city",
            "postal_code",
            "mailing_address",
        ]
        widgets = {"mailing_address": forms.Textarea(attrs={"rows": 3})}


class PersonForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in PersonRole.choices
            if value != PersonRole.CHIEF_OF_SERVICE
        ],
        help_text="A new chief of service is reported with the change report instead.",
    )
    full_name = forms.CharField(max_length=200)
    title = forms.CharField(max_length=100, required=False)
    email = forms.EmailField()
    phone = forms.CharField(max_length=30, required=False)


class ChiefReportForm(forms.ModelForm):
    letterhead = forms.FileField(
        label="Notice on letterhead (PDF, PNG or JPEG)",
        help_text="The signed notice on the organization's letterhead, up to 10 MB.",
    )

    class Meta:
        model = ChiefChangeReport
        fields = [
            "new_chief_name",
            "new_chief_email",
            "new_chief_phone",
            "effective_date",
            "letterhead",
        ]
        widgets = {"effective_date": DATE_INPUT}

    def clean_letterhead(self):
        upload = self.cleaned_data["letterhead"]
        if upload.size > LETTERHEAD_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        validate_upload(upload)  # the type, proved by content (core.files)
        return upload


class TransferForm(forms.Form):
    email = forms.EmailField(
        label="Email of the new administrator",
        help_text="They need a portal account with this email already.",
    )
    confirm = forms.BooleanField(
        label="I understand I will no longer administer this organization in the portal."
    )


FIELDS_BY_KIND = {
    ApplicationKind.NEW_ORGANIZATION: [
        "legal_name",
        "service_kind",
        "ownership",
        "email",
        "phone",
        "street",
        "city",
        "postal_code",
        "requested_level",
        "requested_psa_type",
        "requested_towns",
        "description",
    ],
    ApplicationKind.CHANGE_OF_SERVICES: [
        "requested_level",
        "requested_psa_type",
        "requested_towns",
        "vehicles_change",
        "description",
    ],
    ApplicationKind.RENEWAL: ["description"],
}


class ApplicationForm(forms.ModelForm):
    """The fields of one kind of application; everything is optional while it is a draft
    (what is missing is said when it is submitted)."""

    class Meta:
        model = OrganizationApplication
        fields = sorted({field for fields in FIELDS_BY_KIND.values() for field in fields})
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "vehicles_change": forms.Textarea(attrs={"rows": 3}),
            "requested_towns": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in FIELDS_BY_KIND[kind]:
                del self.fields[name]
        if "requested_towns" in self.fields:
            self.fields["requested_towns"].queryset = Town.objects.order_by("name")
        if kind == ApplicationKind.RENEWAL:
            self.fields["description"].label = "Anything the office should know (optional)"


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.legal_name} ({obj.number}){f' — {obj.city}' if obj.city else ''}"


class AffiliationRequestForm(forms.Form):
    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(),
        label="Organization",
        empty_label="Choose an organization",
        help_text="Every active organization in the public directory.",
    )
    note = forms.CharField(
        label="Note to the organization (optional)",
        max_length=300,
        required=False,
        help_text="E.g. your role there, or since when you ride with them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = affiliable_organizations()


class AffiliationDecisionForm(forms.Form):
    note = forms.CharField(max_length=300, required=False)
