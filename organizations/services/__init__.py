"""Writes on organizations, one module per subject. Callers import from here
(``from organizations import services``; ``services.psa_assign(...)``), so the names stay put
when a subject moves between modules.

- ``psas``: Primary Service Areas
- ``people``: the people of an organization
- ``chief_reports``: chief of service change reports
- ``linking``: administrators (account linking, transfer) and contact details
- ``applications``: the applications staff review, and the payments receivers
- ``discipline``: suspension and revocation (called by complaints)
- ``affiliations``: providers on an organization's roster
"""

from .affiliations import (
    affiliation_approve,
    affiliation_decline,
    affiliation_end,
    affiliation_request,
)
from .applications import (
    REQUIRED_BY_KIND,
    application_approve,
    application_create,
    application_deny,
    application_fee_paid,
    application_problems,
    application_put_on_hold,
    application_resubmit,
    application_return,
    application_start_review,
    application_submit,
    on_invoice_paid,
    on_invoice_returned,
)
from .chief_reports import chief_report_accept, chief_report_return, chief_report_submit
from .discipline import (
    DISCIPLINE_TRANSITIONS,
    organization_lift_discipline,
    organization_revoke,
    organization_suspend,
)
from .linking import (
    organization_administrator_transfer,
    organization_link_confirm,
    organization_link_request,
    organization_update_contact,
)
from .people import end_current_holder, person_remove, person_set
from .psas import psa_assign, psa_check, psa_end, town_resolve

__all__ = [
    "town_resolve",
    "psa_check",
    "psa_assign",
    "psa_end",
    "person_set",
    "person_remove",
    "end_current_holder",
    "chief_report_submit",
    "chief_report_accept",
    "chief_report_return",
    "organization_link_request",
    "organization_link_confirm",
    "organization_administrator_transfer",
    "organization_update_contact",
    "application_problems",
    "application_create",
    "application_submit",
    "application_fee_paid",
    "application_put_on_hold",
    "application_resubmit",
    "application_start_review",
    "application_return",
    "application_deny",
    "application_approve",
    "on_invoice_paid",
    "on_invoice_returned",
    "REQUIRED_BY_KIND",
    "organization_suspend",
    "organization_revoke",
    "organization_lift_discipline",
    "DISCIPLINE_TRANSITIONS",
    "affiliation_request",
    "affiliation_approve",
    "affiliation_decline",
    "affiliation_end",
]
