"""Public and signed-in pages of the organizations app."""

from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("public/organizations/", views.directory, name="directory"),
    path("public/psa/by-town/", views.psa_by_town, name="psa-by-town"),
    path("public/psa/by-organization/", views.psa_by_organization, name="psa-by-organization"),
    path("public/ido/", views.ido_list, name="ido-list"),
    path("public/ido.csv", views.ido_list_csv, name="ido-list-csv"),
    path("staff/organizations/contacts.csv", views.contacts_csv, name="contacts-csv"),
    path("organizations/link/", views.link_request, name="link"),
    path("organizations/link/confirm/", views.link_confirm, name="link-confirm"),
    path("organizations/<int:pk>/", views.manage, name="manage"),
    path("organizations/<int:pk>/contact/", views.edit_contact, name="edit-contact"),
    path("organizations/<int:pk>/people/new/", views.person_add, name="person-add"),
    path(
        "organizations/<int:pk>/people/<int:person_pk>/remove/",
        views.person_remove,
        name="person-remove",
    ),
    path("organizations/<int:pk>/chief-change/", views.chief_report, name="chief-report"),
    path("organizations/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("organizations/<int:pk>/roster/", views.roster, name="roster"),
    path(
        "organizations/<int:pk>/affiliations/<int:affiliation_pk>/<slug:action>/",
        views.affiliation_decide,
        name="affiliation-decide",
    ),
    path("organizations/affiliations/", views.my_affiliations, name="my-affiliations"),
    path(
        "organizations/affiliations/<int:affiliation_pk>/end/",
        views.my_affiliation_end,
        name="my-affiliation-end",
    ),
    path(
        "organizations/applications/new/<str:kind>/", views.application_new, name="application-new"
    ),
    path("organizations/applications/<int:pk>/", views.application_detail, name="application"),
]
