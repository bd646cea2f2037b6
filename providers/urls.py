"""Public and signed-in pages of the providers app."""

from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("providers/", views.home, name="home"),
    path("providers/link/", views.link, name="link"),
    path("providers/ce/", views.ce, name="ce"),
    path("providers/ce/<int:pk>/delete/", views.ce_delete, name="ce-delete"),
    path(
        "providers/certifications/<str:number>/renew/",
        views.renewal_start,
        name="renewal-start",
    ),
    path("providers/renewals/<int:pk>/", views.renewal_detail, name="renewal-detail"),
    path(
        "providers/renewals/<int:pk>/step/<slug:step>/",
        views.renewal_step,
        name="renewal-step",
    ),
    path(
        "providers/renewals/<int:pk>/documents/",
        views.renewal_document,
        name="renewal-document",
    ),
    path(
        "providers/renewals/<int:pk>/<slug:action>/",
        views.renewal_action,
        name="renewal-action",
    ),
    path(
        "providers/credentials/<int:pk>/renew/",
        views.credential_renew,
        name="credential-renew",
    ),
]
