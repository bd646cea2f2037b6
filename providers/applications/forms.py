"""Forms of the initial certification and reinstatement pages: input shape only."""

from django import forms

from .. import rules
from ..forms import DATE
from ..rules import Level

UPLOAD_HELP = f"PDF, PNG or JPEG, at most {rules.UPLOAD_MAX_BYTES // (1024 * 1024)} MB."
UPLOAD_WIDGET = forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})


class InitialStartForm(forms.Form):
    level = forms.ChoiceField(
        label="Level you are applying for", choices=Level.choices, widget=forms.RadioSelect
    )


class InitialApplicationForm(forms.Form):
    """Every field may stay blank in a draft; the fee step says what is still missing."""

    first_name = forms.CharField(label="First name", max_length=100, required=False)
    middle_name = forms.CharField(label="Middle name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE)
    ssn = forms.CharField(
        label="Social Security number",
        max_length=11,
        required=False,
        help_text="Nine digits. Kept only as a keyed hash; leave blank to keep the one on file.",
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    address_line1 = forms.CharField(label="Mailing address", max_length=200, required=False)
    city = forms.CharField(label="City or town", max_length=100, required=False)
    state = forms.CharField(label="State", max_length=2, required=False)
    postal_code = forms.RegexField(
        label="ZIP code",
        regex=r"^\d{5}(-\d{4})?$",
        required=False,
        error_messages={"invalid": "Enter a ZIP code like 06106 or 06106-1234."},
    )
    course_title = forms.CharField(label="Certification course", max_length=200, required=False)
    course_approval_number = forms.CharField(
        label="Course approval number",
        max_length=20,
        required=False,
        help_text=rules.APPROVAL_NUMBER_HELP,
    )
    course_completed_on = forms.DateField(label="Course completed on", required=False, widget=DATE)
    nremt_number = forms.CharField(label="NREMT number", max_length=20, required=False)
    exam_passed_on = forms.DateField(label="National exam passed on", required=False, widget=DATE)
    cpr_card = forms.FileField(
        label="CPR card", required=False, help_text=UPLOAD_HELP, widget=UPLOAD_WIDGET
    )
    cpr_expires_on = forms.DateField(label="CPR card expires on", required=False, widget=DATE)
    acls_card = forms.FileField(
        label="ACLS card (Paramedics)", required=False, help_text=UPLOAD_HELP, widget=UPLOAD_WIDGET
    )
    acls_expires_on = forms.DateField(label="ACLS card expires on", required=False, widget=DATE)
    background_attest = forms.BooleanField(
        label="I attest that I have disclosed any criminal conviction and consent to a "
        "background check.",
        required=False,
    )
    attestation_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        required=False,
        help_text="By typing your name you attest that everything in this application is true.",
    )

    def __init__(self, *args, needs_acls=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_acls:
            del self.fields["acls_card"]
            del self.fields["acls_expires_on"]


class SignForm(forms.Form):
    attestation_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        help_text="By typing your name you attest that the CE listed is yours and that "
        "everything in this application is true.",
    )
