"""Public and signed-in pages of the organizations app."""

from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "public/organizations/": views.directory,
        "public/psa/by-town/": views.psa_by_town,
        "public/psa/by-organization/": views.psa_by_organization,
        "public/ido/": views.ido_list,
        "public/ido.csv": views.ido_list_csv,
        "staff/organizations/contacts.csv": views.contacts_csv,
        "organizations/link/": named("link", views.link_request),
        "organizations/link/confirm/": views.link_confirm,
        "organizations/<int:pk>/": views.manage,
        "organizations/<int:pk>/contact/": views.edit_contact,
        "organizations/<int:pk>/people/new/": views.person_add,
        "organizations/<int:pk>/people/<int:person_pk>/remove/": views.person_remove,
        "organizations/<int:pk>/chief-change/": views.chief_report,
        "organizations/<int:pk>/transfer/": views.transfer,
        "organizations/<int:pk>/roster/": views.roster,
        "organizations/<int:pk>/affiliations/<int:affiliation_pk>/<slug:action>/": views.affiliation_decide,
        "organizations/affiliations/": views.my_affiliations,
        "organizations/affiliations/<int:affiliation_pk>/end/": views.my_affiliation_end,
        "organizations/applications/new/<str:kind>/": views.application_new,
        "organizations/applications/<int:pk>/": named("application", views.application_detail),
    }
)
app_name = "organizations"  # the URL names' namespace: reverse("organizations:…")
