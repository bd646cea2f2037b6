"""Public forms: the directory filters and the nomination form."""

import uuid

from django import forms

from .models import Nomination, StrokeLevel, TraumaLevel


class DirectoryFilterForm(forms.Form):
    """Level and town filters of a hospital directory (GET); choices come from the caller."""

    level = forms.ChoiceField(required=False)
    town = forms.ChoiceField(required=False, label="Town or city")

    def __init__(self, *args, levels, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Any level"), *levels]
        self.fields["town"].choices = [("", "Any town"), *((town, town) for town in towns)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"level": "", "town": ""}
        return {"level": self.cleaned_data["level"], "town": self.cleaned_data["town"]}


class StrokeFilterForm(DirectoryFilterForm):
    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, levels=StrokeLevel.choices, towns=towns, **kwargs)


class TraumaFilterForm(DirectoryFilterForm):
    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, levels=TraumaLevel.choices, towns=towns, **kwargs)


class NominationForm(forms.ModelForm):
    # A field people never see; bots fill every field they find. Not "hidden" (bots skip those).
    website = forms.CharField(required=False, label="Leave this field empty")
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = Nomination
        fields = [
            "nominee_name",
            "nominee_affiliation",
            "nominator_name",
            "nominator_email",
            "nominator_phone",
            "narrative",
            "attachment",
        ]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "attachment": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
            "nominator_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "nominator_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "nominator_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
