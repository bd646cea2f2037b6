"""Public pages of help, contact, hospitals, EMS Council awards and reports."""

from django.urls import path

from . import views

app_name = "information"

urlpatterns = [
    path("public/stroke-centers/", views.stroke_centers, name="stroke-centers"),
    path("public/stroke-centers.csv", views.stroke_centers_csv, name="stroke-centers-csv"),
    path("public/trauma-centers/", views.trauma_centers, name="trauma-centers"),
    path("public/trauma-centers.csv", views.trauma_centers_csv, name="trauma-centers-csv"),
    path("awards/", views.awards, name="awards"),
    path("awards/nominate/<slug:category>/", views.nominate, name="nominate"),
    path("awards/nominate/<slug:category>/thanks/", views.nominate_thanks, name="nominate-thanks"),
    path("publications/", views.publication_index, name="publications"),
    path("publications/<slug:slug>/", views.publication_detail, name="publication-detail"),
    path("help/", views.help_index, name="help"),
    path("help/faq/", views.faq, name="faq"),
    path("help/<slug:slug>/", views.help_topic, name="help-topic"),
    path("contact/", views.contact, name="contact"),
    path("alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert-dismiss"),
]
