"""Public and signed-in pages of the providers app."""

from django.urls import path

from . import views
from .applications import views as application_views
from .contact import views as contact_views

app_name = "providers"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("providers/", views.home, name="home"),
    path("providers/link/", views.link, name="link"),
    path("providers/contact/", contact_views.contact, name="contact"),
    path(
        "providers/contact/use-sign-in-email/",
        contact_views.contact_use_account_email,
        name="contact-use-account-email",
    ),
    path("providers/contact/name-change/", contact_views.name_change, name="name-change"),
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
    path("providers/initial/", application_views.initial_home, name="initial-home"),
    path("providers/initial/<int:pk>/", application_views.initial_detail, name="initial-detail"),
    path("providers/initial/<int:pk>/edit/", application_views.initial_edit, name="initial-edit"),
    path(
        "providers/initial/<int:pk>/<slug:action>/",
        application_views.initial_action,
        name="initial-action",
    ),
    path(
        "providers/certifications/<str:number>/reinstate/",
        application_views.reinstatement_start,
        name="reinstatement-start",
    ),
    path(
        "providers/reinstatements/<int:pk>/",
        application_views.reinstatement_detail,
        name="reinstatement-detail",
    ),
    path(
        "providers/reinstatements/<int:pk>/<slug:action>/",
        application_views.reinstatement_action,
        name="reinstatement-action",
    ),
    path(
        "providers/credentials/<int:pk>/renew/",
        views.credential_renew,
        name="credential-renew",
    ),
]
