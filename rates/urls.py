"""Public and signed-in pages of the rates app."""

from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        # organization administrators
        "rates/": views.my_filings,
        "rates/filings/<int:pk>/": views.filing_detail,
        "rates/<int:organization_id>/<int:year>/short-form/": views.short_form,
        "rates/<int:organization_id>/<int:year>/short-form.xlsx": named(
            "short-form-xlsx", views.short_form_download
        ),
        "rates/<int:organization_id>/<int:year>/short-form/upload/": views.short_form_upload,
        "rates/<int:organization_id>/<int:year>/long-form/": views.long_form,
        "rates/<int:organization_id>/<int:year>/long-form/attachments/": views.long_form_attach,
        "rates/<int:organization_id>/<int:year>/non-charging/": views.non_charging,
        # the public
        "public/allowable-rates/": views.allowable_index,
        "public/allowable-rates/<int:year>/": views.allowable_year,
        "public/allowable-rates/<int:year>.csv": views.allowable_csv,
        "public/allowable-rates/<int:year>.xlsx": views.allowable_xlsx,
        # staff (the second-factor middleware guards /staff/)
        "staff/rates/": views.staff_dashboard,
        "staff/rates/<int:year>/": views.staff_season,
        "staff/rates/<int:year>/reminders/": views.staff_send_reminders,
    }
)
app_name = "rates"  # the URL names' namespace: reverse("rates:…")
