from django.urls import path

from . import views

app_name = "nemsis"

urlpatterns = [
    path("public/scope-of-practice/", views.scope_of_practice, name="scope-of-practice"),
    path("organizations/<int:pk>/nemsis/dem/", views.dem_upload, name="dem-upload"),
    path("nemsis/dem/<uuid:pk>/", views.dem_report, name="dem-report"),
    path("nemsis/dem/<uuid:pk>/confirm/", views.dem_confirm, name="dem-confirm"),
]
