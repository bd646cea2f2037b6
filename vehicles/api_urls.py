"""API routes of the vehicles app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("vehicles/", api.MyVehicleListApi.as_view(), name="api-my-vehicles"),
    path(
        "organizations/<int:organization_id>/vehicles/",
        api.OrganizationVehicleListApi.as_view(),
        name="api-organization-vehicles",
    ),
    path(
        "organizations/<int:organization_id>/inspections/",
        api.OrganizationInspectionListApi.as_view(),
        name="api-organization-inspections",
    ),
    path("inspections/", api.InspectionListApi.as_view(), name="api-inspections"),
    path("inspections/<int:pk>/", api.InspectionDetailApi.as_view(), name="api-inspection"),
    path(
        "inspections/<int:pk>/start/", api.InspectionStartApi.as_view(), name="api-inspection-start"
    ),
    path(
        "inspections/<int:pk>/answers/<int:answer_pk>/",
        api.InspectionAnswerApi.as_view(),
        name="api-inspection-answer",
    ),
    path(
        "inspections/<int:pk>/complete/",
        api.InspectionCompleteApi.as_view(),
        name="api-inspection-complete",
    ),
    path(
        "inspections/<int:pk>/cancel/",
        api.InspectionCancelApi.as_view(),
        name="api-inspection-cancel",
    ),
]
