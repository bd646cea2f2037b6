"""The public complaint form (with its subject search) and the staff action forms."""

import uuid

from django import forms
from django.utils import timezone

from organizations.models import Town

from . import selectors
from .constants import CLOSING_OUTCOMES, UPLOAD_MAX_BYTES, UPLOAD_MAX_FILES, Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (size, type by content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    subject_query = forms.CharField(
        required=False,
        max_length=100,
        label="Search for the provider or organization",
        help_text="Type a last name (or first and last name), a certification number such as "
        "E123456, or an organization's name or license number, then choose Search.",
    )
    subject = forms.CharField(
        required=False, label="Choose who the complaint is about", widget=forms.RadioSelect
    )
    subject_description = forms.CharField(
        required=False,
        label="Not in the results? Describe them",
        help_text="A name, the ambulance service, a vehicle number: anything that helps us "
        "find them.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    incident_date = forms.DateField(
        label="Date of the incident", widget=forms.DateInput(attrs={"type": "date"})
    )
    incident_town = forms.ModelChoiceField(
        queryset=Town.objects.order_by("name"), label="Town where it happened"
    )
    incident_place = forms.CharField(
        required=False, max_length=200, label="Place (street, building, road)"
    )
    category = forms.ChoiceField(choices=Category.choices, widget=forms.RadioSelect)
    narrative = forms.CharField(
        label="What happened",
        help_text="Describe the events in your own words: who was involved, what you saw, "
        "and why you are concerned.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Describe what happened."},
    )
    attachments = MultipleFileField(
        required=False,
        label="Attachments (optional)",
        help_text=f"Up to {UPLOAD_MAX_FILES} PDF or image files, "
        f"{UPLOAD_MAX_BYTES // (1024 * 1024)} MB each.",
    )
    anonymous = forms.BooleanField(required=False, label="I want to stay anonymous")
    complainant_name = forms.CharField(required=False, max_length=200, label="Your name")
    complainant_email = forms.EmailField(required=False, label="Your email address")
    complainant_phone = forms.CharField(required=False, max_length=30, label="Your phone number")
    # A field people never see; bots fill every field they find. Not "hidden" (bots skip those).
    website = forms.CharField(required=False, label="Leave this field empty")
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["attachments"].widget.attrs["accept"] = "application/pdf,image/*"
        self.fields["incident_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["complainant_email"].widget.attrs["autocomplete"] = "email"
        self.fields["complainant_name"].widget.attrs["autocomplete"] = "name"
        self.fields["complainant_phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        # The search runs before validation (to fill the choices): only on text the query
        # field itself accepts (length, no NUL byte), never on raw input.
        self.results = selectors.subject_search(self._field_value("subject_query"))
        choices = [(result["value"], result["label"]) for result in self.results]
        chosen = self._field_value("subject")
        if chosen and chosen not in dict(choices):
            # Keep the earlier pick visible after another search or an error elsewhere.
            kind, certification, organization = selectors.subject_resolve(chosen)
            if certification or organization:
                choices.insert(0, (chosen, str(certification or organization)))
        self.fields["subject"].widget.choices = choices
        self.searched = bool(self.data.get("search"))

    def _field_value(self, name) -> str:
        """The submitted text of ``name`` if its field accepts it, else empty."""
        value = self.data.get(name, "")
        try:
            self.fields[name].clean(value)
        except forms.ValidationError:
            return ""
        return value

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_incident_date(self):
        value = self.cleaned_data["incident_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The incident date cannot be in the future.")
        return value


# --- Staff actions (admin intermediate pages) --------------------------------------------------


class TriageForm(forms.Form):
    has_jurisdiction = forms.TypedChoiceField(
        label="Does the office have jurisdiction?",
        choices=[("yes", "Yes: continue to assignment"), ("no", "No: close as no jurisdiction")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Required for no."
    )


class AssignForm(forms.Form):
    investigator = forms.ModelChoiceField(queryset=None)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = selectors.investigators().order_by("email")


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(o.value, o.label) for o in CLOSING_OUTCOMES])
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The decision as the subject (and the complainant) will read it.",
    )
    effective_from = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Required for a suspension, revocation or consent agreement.",
    )
    effective_until = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional end of a certification's suspension.",
    )
