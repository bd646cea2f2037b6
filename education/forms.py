"""Forms of the education pages: input shape only; the rules are in services."""

from django import forms

from providers import rules
from providers.forms import DATE
from providers.models import CEComponent, CEDelivery


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label="Topic or title", max_length=100, required=False)
    on = forms.DateField(label="Running on", required=False, widget=DATE)
    delivery = forms.ChoiceField(
        label="Delivery",
        required=False,
        choices=[("", "Live or distributive")] + list(CEDelivery.choices),
    )


class CourseApplicationForm(forms.Form):
    institution_name = forms.CharField(label="Training institution", max_length=200)
    title = forms.CharField(label="Course title", max_length=200)
    topic = forms.CharField(
        label="Topic", max_length=100, help_text="e.g. Airway, Trauma, Pediatrics, Cardiology."
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    delivery = forms.ChoiceField(
        label="Delivery", choices=CEDelivery.choices, widget=forms.RadioSelect
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=6,
        decimal_places=2,
        help_text="In quarter hours (e.g. 1.5).",
        widget=forms.NumberInput(attrs={"step": rules.CE_HOURS_STEP, "inputmode": "decimal"}),
    )
    component = forms.ChoiceField(
        label="CE component", choices=CEComponent.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(label="First day", widget=DATE)
    ends_on = forms.DateField(label="Last day", widget=DATE)
    instructors = forms.CharField(
        label="Instructor/Coordinator credential numbers",
        max_length=300,
        help_text="Separated by commas, as on their credentials.",
    )

    def clean_instructors(self):
        return [
            n for n in self.cleaned_data["instructors"].replace(";", ",").split(",") if n.strip()
        ]
