"""API routes of the vehicles app, mounted under /api/v1/."""

from core.routes import collection, named, pages

from . import api

urlpatterns = [
    *pages(
        {
            "vehicles/": named("api-my-vehicles", api.MyVehicleListApi),
            "organizations/<int:organization_id>/vehicles/": named(
                "api-organization-vehicles", api.OrganizationVehicleListApi
            ),
            "organizations/<int:organization_id>/inspections/": named(
                "api-organization-inspections", api.OrganizationInspectionListApi
            ),
        }
    ),
    *collection(
        "inspections/",
        "api-inspection",
        api.InspectionListApi,
        api.InspectionDetailApi,
        start=api.InspectionStartApi,
        complete=api.InspectionCompleteApi,
        cancel=api.InspectionCancelApi,
    ),
    *pages(
        {
            "inspections/<int:pk>/answers/<int:answer_pk>/": named(
                "api-inspection-answer", api.InspectionAnswerApi
            ),
        }
    ),
]
