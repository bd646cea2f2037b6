"""The forms the provider admins ask for before an action: the return reasons of a reviewed
application, discipline and level changes of a certification."""

from django import forms
from django.utils import timezone

from . import rules
from .models import IncompleteReason

# The contact details an application declares, as the reviewing staff see them.
CONTACT_FIELDSET = (
    "Contact",
    {"fields": ["email", "phone", "address_line1", "city", "state", "postal_code"]},
)


class ReturnForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(
        queryset=IncompleteReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DisciplineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = forms.DateField(
        initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Suspensions only; leave blank for an open-ended suspension.",
    )


class LevelChangeForm(forms.Form):
    level = forms.ChoiceField(choices=rules.Level.choices, label="New level")


class LiftForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
