from django.urls import path

from . import api

urlpatterns = [path("news/", api.NewsListApi.as_view(), name="api-news-list")]
