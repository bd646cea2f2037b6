"""URLs of the portal: public site, accounts, admin, API and each domain's pages."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The database not answering is a 503 page, not a 500 (core/middleware.py).
handler500 = "core.middleware.server_error"

admin.site.site_header = "OEMS Portal — staff administration"
admin.site.site_title = "OEMS Portal admin"
admin.site.index_title = "Licensing, inspections, investigations and rates"

api_v1 = [
    path("", include("core.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("providers.api_urls")),
    path("", include("education.api_urls")),
    path("", include("organizations.api_urls")),
    path("", include("vehicles.api_urls")),
    path("", include("complaints.api_urls")),
    path("", include("rates.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("information.api_urls")),
    path("", include("documents.api_urls")),
    path("nemsis/", include("nemsis.api_urls")),
]

urlpatterns = [
    # Staff sign in through allauth, so the second factor and the login throttle apply to them too.
    path(
        "admin/login/",
        RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False),
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its start-up script as a file: no inline script (CSP)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("core.urls")),
    path("", include("providers.urls")),
    path("", include("education.urls")),
    path("", include("organizations.urls")),
    path("", include("vehicles.urls")),
    path("", include("complaints.urls")),
    path("", include("rates.urls")),
    path("", include("payments.urls")),
    path("", include("test_processor.urls")),
    path("", include("information.urls")),
    path("", include("documents.urls")),
    path("", include("nemsis.urls")),
    path("", include("notices.urls")),
    path("", include("oversight.urls")),
]

# No MEDIA_URL route in any mode: stored files are private, reached only through the checked
# download view (core.files, /files/<kind>/<id>/).
