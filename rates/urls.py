"""Public and signed-in pages of the rates app."""

from django.urls import path

from . import views

app_name = "rates"

urlpatterns = [
    # organization administrators
    path("rates/", views.my_filings, name="my-filings"),
    path("rates/filings/<int:pk>/", views.filing_detail, name="filing-detail"),
    path("rates/<int:organization_id>/<int:year>/short-form/", views.short_form, name="short-form"),
    path(
        "rates/<int:organization_id>/<int:year>/short-form.xlsx",
        views.short_form_download,
        name="short-form-xlsx",
    ),
    path(
        "rates/<int:organization_id>/<int:year>/short-form/upload/",
        views.short_form_upload,
        name="short-form-upload",
    ),
    path("rates/<int:organization_id>/<int:year>/long-form/", views.long_form, name="long-form"),
    path(
        "rates/<int:organization_id>/<int:year>/long-form/attachments/",
        views.long_form_attach,
        name="long-form-attach",
    ),
    path(
        "rates/<int:organization_id>/<int:year>/non-charging/",
        views.non_charging,
        name="non-charging",
    ),
    # the public
    path("public/allowable-rates/", views.allowable_index, name="allowable-index"),
    path("public/allowable-rates/<int:year>/", views.allowable_year, name="allowable-year"),
    path("public/allowable-rates/<int:year>.csv", views.allowable_csv, name="allowable-csv"),
    path("public/allowable-rates/<int:year>.xlsx", views.allowable_xlsx, name="allowable-xlsx"),
    # staff (the second-factor middleware guards /staff/)
    path("staff/rates/", views.staff_dashboard, name="staff-dashboard"),
    path("staff/rates/<int:year>/", views.staff_season, name="staff-season"),
    path(
        "staff/rates/<int:year>/reminders/",
        views.staff_send_reminders,
        name="staff-send-reminders",
    ),
]
