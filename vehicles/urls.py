"""Pages of the vehicles app: organization administrators under /vehicles/, inspectors and other
staff under /staff/ (guarded by the second-factor middleware)."""

from django.urls import path

from . import views

app_name = "vehicles"

urlpatterns = [
    path("vehicles/", views.vehicle_list, name="list"),
    path("vehicles/register/", views.vehicle_register, name="register"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="detail"),
    path("staff/inspections/", views.inspector_today, name="inspector-today"),
    path("staff/inspections/scheduled/", views.inspections_scheduled, name="scheduled"),
    path("staff/inspections/<int:pk>/", views.inspection_record, name="inspection-record"),
    path(
        "staff/inspections/<int:pk>/answers/<int:answer_pk>/",
        views.inspection_answer_save,
        name="inspection-answer",
    ),
]
