"""API routes of the rates app, mounted under /api/v1/."""

from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "rates/allowable/": named("api-rates-allowable-years", api.AllowableYearListApi),
        "rates/allowable/<int:year>/": named("api-rates-allowable", api.AllowableRatesApi),
        "rates/filings/": named("api-rates-filings", api.MyFilingListApi),
        "rates/filings/<int:pk>/": named("api-rates-filing", api.FilingDetailApi),
    }
)
