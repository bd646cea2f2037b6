"""API routes of the providers app, mounted under /api/v1/."""

from core.routes import collection, named, pages, read_only

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
        *read_only(api.MyApplicationsApi),
    ),
    *collection(
        "providers/me/initial-applications/",
        "providers-my-initial-application",
        *read_only(api.MyInitialApplicationsApi),
    ),
    *collection(
        "providers/me/reinstatements/",
        "providers-my-reinstatement",
        *read_only(api.MyReinstatementsApi),
    ),
    *pages({"staff/renewals/": named("providers-staff-renewals", api.StaffRenewalQueueApi)}),
]
