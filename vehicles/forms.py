"""Forms of the vehicle pages. They check shapes; the rules (VIN, duplicate, model year) are
the services' and come back as DomainError on the field at fault."""

from django import forms
from django.utils import timezone

from core.files import validate_image_upload
from organizations.models import ServiceLevel

from . import rules
from .models import AnswerResult, VehicleType
from .vin import VIN_LENGTH


class VehicleRegistrationForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, empty_label=None)
    vin = forms.CharField(
        label="VIN",
        max_length=VIN_LENGTH + 4,  # people type spaces or dashes between groups
        help_text=f"The {VIN_LENGTH}-character Vehicle Identification Number.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    make = forms.CharField(max_length=60)
    model = forms.CharField(max_length=60)
    year = forms.IntegerField(
        label="Model year", min_value=rules.FIRST_MODEL_YEAR_WITH_17_CHARACTER_VIN
    )
    plate = forms.CharField(label="Registration plate", max_length=12)
    vehicle_type = forms.ChoiceField(label="Type", choices=VehicleType.choices)
    service_level = forms.ChoiceField(
        choices=ServiceLevel.choices,
        help_text="The level of care the vehicle is equipped for; it sets its equipment list.",
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["year"].widget.attrs["max"] = rules.latest_model_year(timezone.localdate())


class AnswerForm(forms.Form):
    """One checklist line. Prefixed with the answer's id, so the whole checklist posts as one
    form without JavaScript and a single line posts to the answer endpoint with it."""

    result = forms.ChoiceField(choices=AnswerResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(max_length=500, required=False)
    # PNG or JPEG, proved by content (core.files); the service checks it again for the API.
    photo = forms.FileField(
        required=False,
        validators=[validate_image_upload],
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    def __init__(self, *args, answer, **kwargs):
        kwargs.setdefault("prefix", f"a{answer.pk}")
        kwargs.setdefault("initial", {"result": answer.result, "note": answer.note})
        super().__init__(*args, **kwargs)
        self.answer = answer

    def was_filled(self) -> bool:
        """Whether anything was sent for this line (an untouched line is not an error when the
        inspector saves a partial checklist)."""
        # An empty file input posts as an empty field, so only a real upload counts.
        return (
            bool(self.data.get(self.add_prefix("result")))
            or self.add_prefix("photo") in self.files
            or bool(self.data.get(self.add_prefix("note"), "").strip())
        )


class DayForm(forms.Form):
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
