"""Pages of the vehicles app: organization administrators under /vehicles/, inspectors and other
staff under /staff/ (guarded by the second-factor middleware)."""

from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "vehicles/": named("list", views.vehicle_list),
        "vehicles/register/": named("register", views.vehicle_register),
        "vehicles/<int:pk>/": named("detail", views.vehicle_detail),
        "staff/inspections/": views.inspector_today,
        "staff/inspections/scheduled/": named("scheduled", views.inspections_scheduled),
        "staff/inspections/<int:pk>/": views.inspection_record,
        "staff/inspections/<int:pk>/answers/<int:answer_pk>/": named(
            "inspection-answer", views.inspection_answer_save
        ),
    }
)
app_name = "vehicles"  # the URL names' namespace: reverse("vehicles:…")
