"""API routes of hospitals, awards and publications, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("stroke-centers/", api.StrokeCenterListApi.as_view(), name="api-stroke-centers"),
    path("trauma-centers/", api.TraumaCenterListApi.as_view(), name="api-trauma-centers"),
    path("award-recipients/", api.AwardRecipientListApi.as_view(), name="api-award-recipients"),
    path("publications/", api.PublicationListApi.as_view(), name="api-publications"),
]
