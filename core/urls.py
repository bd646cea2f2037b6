from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_index, name="news-index"),
    path("news/<slug:slug>/", views.news_detail, name="news-detail"),
    path("public/", views.public_index, name="public-index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("files/<slug:kind>/<str:pk>/", views.file_download, name="file"),
]
