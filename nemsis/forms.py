from django import forms


class DemUploadForm(forms.Form):
    file = forms.FileField(
        label="DEM file (NEMSIS v3.5.1 DEMDataSet XML)",
        help_text="Export it from your ePCR software's demographic (DEM) section.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
