"""Writes on rate years and filings: one function per action or transition.

Every status change goes through ``core.transitions.transition`` on a locked row, so its
simple-history row is the audit record; emails and invitation batches go out on commit.

One module per subject, the public names re-exported here (``from rates import services``):
``seasons`` (rate years, invitations, reminders), ``filings`` (the organization's side),
``decisions`` (the office's), and ``common`` (who may do what, a filing's moves, the approved
schedule).
"""

from .common import RateRequestError, rate_field
from .decisions import (
    filing_approve,
    filing_approve_other_rates,
    filing_deny,
    filing_request_information,
)
from .filings import (
    filing_attach,
    filing_start,
    filing_submit,
    long_form_save,
    non_charging_certify,
    short_form_import,
    short_form_save,
)
from .seasons import (
    invitation_claim,
    invitation_unclaim,
    rate_year_close,
    rate_year_open,
    reminder_claim,
    season_invite,
)

__all__ = [
    "RateRequestError",
    "filing_approve",
    "filing_approve_other_rates",
    "filing_attach",
    "filing_deny",
    "filing_request_information",
    "filing_start",
    "filing_submit",
    "invitation_claim",
    "invitation_unclaim",
    "long_form_save",
    "non_charging_certify",
    "rate_field",
    "rate_year_close",
    "rate_year_open",
    "reminder_claim",
    "season_invite",
    "short_form_import",
    "short_form_save",
]
