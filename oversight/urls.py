"""The staff oversight dashboard (under /staff/, so the second-factor middleware guards it)."""

from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("staff/dashboard/", views.dashboard, name="dashboard"),
]
