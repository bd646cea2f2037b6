"""Forms of the rates pages. Fields are built from the data (categories, last year's rates,
caps); the rules themselves are in ``rules`` and the services."""

from django import forms

from . import rules
from .models import ExpenseCategory, FinancialKind, Payer


class RateField(forms.CharField):
    """A rate in dollars and cents; the parsing rule is ``rules.parse_rate``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        try:
            return rules.parse_rate(value)
        except ValueError as error:
            raise forms.ValidationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None


def _money(amount) -> str:
    return "none" if amount is None else f"${amount:,.2f}"


def _rate_fields(form, rows, *, year, show_cap):
    for row in rows:
        hint = f"{year - 1} approved: {_money(row.prior)}"
        if show_cap or row.cap is not None:
            hint += (
                f" · {year} cap: {_money(row.cap) if row.cap is not None else 'none, new category'}"
            )
        form.fields[row.field_name] = RateField(
            label=f"{row.category.name} ({row.category.unit})",
            help_text=hint,
            initial=row.requested,
        )
        form.fields[row.field_name].row = row


class ShortForm(forms.Form):
    """The Short Form: one requested rate per category of last year's schedule."""

    def __init__(self, *args, rows, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        _rate_fields(self, rows, year=year, show_cap=True)

    def requested(self) -> dict:
        return {row.category.code: self.cleaned_data.get(row.field_name) for row in self.rows}


class SpreadsheetUploadForm(forms.Form):
    spreadsheet = forms.FileField(
        label="Completed Short Form spreadsheet (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class LongForm(forms.Form):
    """The Full Rate Application: requested rates without a cap, and the financial detail."""

    fiscal_year_end = forms.DateField(
        required=False,
        label="Last fiscal year ended on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    emergency_responses = forms.IntegerField(
        required=False, min_value=0, label="Emergency responses in that year"
    )
    non_emergency_transports = forms.IntegerField(
        required=False, min_value=0, label="Non-emergency transports in that year"
    )
    unit_hours = forms.IntegerField(
        required=False, min_value=0, label="Unit hours (staffed ambulance hours)"
    )
    justification = forms.CharField(
        required=False,
        label="Why the requested rates are needed",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    OPERATING = [
        "fiscal_year_end",
        "emergency_responses",
        "non_emergency_transports",
        "unit_hours",
        "justification",
    ]

    def __init__(self, *args, rows, year, financials=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        _rate_fields(self, rows, year=year, show_cap=False)
        financials = financials or {}
        self.revenue_fields, self.expense_fields = [], []
        for kind, choices, names in [
            (FinancialKind.REVENUE, Payer, self.revenue_fields),
            (FinancialKind.EXPENSE, ExpenseCategory, self.expense_fields),
        ]:
            for value, label in choices.choices:
                name = f"{kind}_{value}"
                self.fields[name] = RateField(label=label, initial=financials.get((kind, value)))
                self.fields[name].key = (kind, value)
                names.append(name)

    def rate_fields(self):
        return [self[row.field_name] for row in self.rows]

    def revenue_bound_fields(self):
        return [self[name] for name in self.revenue_fields]

    def expense_bound_fields(self):
        return [self[name] for name in self.expense_fields]

    def requested(self) -> dict:
        return {row.category.code: self.cleaned_data.get(row.field_name) for row in self.rows}

    def financials(self) -> dict:
        return {
            self.fields[name].key: self.cleaned_data.get(name)
            for name in self.revenue_fields + self.expense_fields
        }

    def operating(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.OPERATING}
        data["justification"] = data["justification"] or ""
        return data


class AttachmentForm(forms.Form):
    description = forms.CharField(max_length=200, label="What the document is")
    file = forms.FileField(label="Document (PDF, PNG or JPEG, at most 5 MB)")


class NonChargingForm(forms.Form):
    confirm = forms.BooleanField(
        label="I certify that this organization does not impose charges for its services this year.",
    )
    signed_name = forms.CharField(max_length=200, label="Your full name, as signature")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
