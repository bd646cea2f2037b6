"""API routes of the organizations app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("organizations/", api.OrganizationDirectoryApi.as_view(), name="organizations-directory"),
    path(
        "organizations/<str:number>/",
        api.OrganizationDirectoryDetailApi.as_view(),
        name="organizations-directory-detail",
    ),
    path("psas/", api.PsaListApi.as_view(), name="organizations-psas"),
    path("my/organizations/", api.MyOrganizationListApi.as_view(), name="my-organizations"),
    path(
        "my/organizations/<int:pk>/",
        api.MyOrganizationDetailApi.as_view(),
        name="my-organization-detail",
    ),
    path(
        "my/organizations/<int:pk>/roster/",
        api.MyOrganizationRosterApi.as_view(),
        name="my-organization-roster",
    ),
    path("my/affiliations/", api.MyAffiliationListApi.as_view(), name="my-affiliations"),
]
