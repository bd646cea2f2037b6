"""API routes of the organizations app, mounted under /api/v1/."""

from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "organizations/": named("organizations-directory", api.OrganizationDirectoryApi),
        "organizations/<str:number>/": named(
            "organizations-directory-detail", api.OrganizationDirectoryDetailApi
        ),
        "psas/": named("organizations-psas", api.PsaListApi),
        "my/organizations/": named("my-organizations", api.MyOrganizationListApi),
        "my/organizations/<int:pk>/": named("my-organization-detail", api.MyOrganizationDetailApi),
        "my/organizations/<int:pk>/roster/": named(
            "my-organization-roster", api.MyOrganizationRosterApi
        ),
        "my/affiliations/": named("my-affiliations", api.MyAffiliationListApi),
    }
)
