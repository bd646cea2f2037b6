"""Public and signed-in pages of the providers app."""

from core.routes import pages

from . import views
from .applications import views as application_views
from .contact import views as contact_views

urlpatterns = pages(
    {
        "verify/": views.verify,
        "providers/": views.home,
        "providers/link/": views.link,
        "providers/contact/": contact_views.contact,
        "providers/contact/use-sign-in-email/": contact_views.contact_use_account_email,
        "providers/contact/name-change/": contact_views.name_change,
        "providers/ce/": views.ce,
        "providers/ce/<int:pk>/delete/": views.ce_delete,
        "providers/certifications/<str:number>/renew/": views.renewal_start,
        "providers/renewals/<int:pk>/": views.renewal_detail,
        "providers/renewals/<int:pk>/step/<slug:step>/": views.renewal_step,
        "providers/renewals/<int:pk>/documents/": views.renewal_document,
        "providers/renewals/<int:pk>/<slug:action>/": views.renewal_action,
        "providers/initial/": application_views.initial_home,
        "providers/initial/<int:pk>/": application_views.initial_detail,
        "providers/initial/<int:pk>/edit/": application_views.initial_edit,
        "providers/initial/<int:pk>/<slug:action>/": application_views.initial_action,
        "providers/certifications/<str:number>/reinstate/": application_views.reinstatement_start,
        "providers/reinstatements/<int:pk>/": application_views.reinstatement_detail,
        "providers/reinstatements/<int:pk>/<slug:action>/": application_views.reinstatement_action,
        "providers/credentials/<int:pk>/renew/": views.credential_renew,
    }
)
app_name = "providers"  # the URL names' namespace: reverse("providers:…")
