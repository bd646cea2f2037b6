"""API routes of the rates app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("rates/allowable/", api.AllowableYearListApi.as_view(), name="api-rates-allowable-years"),
    path(
        "rates/allowable/<int:year>/",
        api.AllowableRatesApi.as_view(),
        name="api-rates-allowable",
    ),
    path("rates/filings/", api.MyFilingListApi.as_view(), name="api-rates-filings"),
    path("rates/filings/<int:pk>/", api.FilingDetailApi.as_view(), name="api-rates-filing"),
]
