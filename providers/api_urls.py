"""API routes of the providers app, mounted under /api/v1/."""

from core.routes import collection, named, pages

from . import api
from .contact import api as contact_api

urlpatterns = [
    *pages(
        {
            # Before "verify/<number>/", which would take "batch" for a number.
            "verify/batch/": named("providers-verify-batch", api.VerifyBatchApi),
            "verify/<str:number>/": named("providers-verify", api.VerifyApi),
            "providers/me/certifications/": named(
                "providers-my-certifications", api.MyCertificationsApi
            ),
            "providers/me/ce/": named("providers-my-ce", api.MyCERecordsApi),
            "providers/me/contact/": named("providers-my-contact", contact_api.MyContactApi),
        }
    ),
    # each kind of application: the provider's list and one of them
    *collection(
        "providers/me/applications/",
        "providers-my-application",
        api.MyApplicationsApi,
        api.MyApplicationDetailApi,
    ),
    *collection(
        "providers/me/initial-applications/",
        "providers-my-initial-application",
        api.MyInitialApplicationsApi,
        api.MyInitialApplicationDetailApi,
    ),
    *collection(
        "providers/me/reinstatements/",
        "providers-my-reinstatement",
        api.MyReinstatementsApi,
        api.MyReinstatementDetailApi,
    ),
    *pages({"staff/renewals/": named("providers-staff-renewals", api.StaffRenewalQueueApi)}),
]
