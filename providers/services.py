"""The providers app's writes under the names callers have always used. Each rule lives in the
module of its subject; this module only re-exports them:

- ``ssn``: the keyed hash that stands in for an SSN
- ``certifications``: the state record (people, numbering, issuing, level changes, the card)
- ``linking``: linking an account to a certification
- ``ce``: continuing education records and the approval-number and upload checks
- ``applications``: renewal, initial and reinstatement on one lifecycle (``applications.flow``)
- ``discipline``: suspension, revocation, surrender (called by Complaints)
- ``credentials``: Instructor/Examiner credential renewals
"""

from .applications.flow import ON_HOLD_MESSAGE
from .applications.renewal import (
    renewal_approve,
    renewal_deny,
    renewal_document_add,
    renewal_mark_nremt_verified,
    renewal_mark_paid,
    renewal_missing,
    renewal_put_on_hold,
    renewal_request_fee,
    renewal_resubmit,
    renewal_return_incomplete,
    renewal_save_step,
    renewal_start,
    renewal_start_review,
    renewal_submit,
)
from .ce import approval_number_check, ce_record_add, ce_record_delete, upload_check
from .certifications import (
    certification_card_queue,
    certification_create,
    certification_issue,
    certification_level_change,
    certification_number_next,
    certification_supersede,
    number_next,
    provider_create,
    provider_create_keyed,
    provider_find,
)
from .credentials import (
    credential_renewal_approve,
    credential_renewal_deny,
    credential_renewal_mark_ready,
    credential_renewal_submit,
)
from .discipline import (
    DISCIPLINE_TRANSITIONS,
    certification_lift_discipline,
    certification_revoke,
    certification_surrender,
    certification_suspend,
)
from .linking import COULD_NOT_MATCH, TOO_MANY, certification_link
from .selectors import incomplete_reasons_active
from .ssn import SSN_DIGITS, ssn_digits, ssn_hash, ssn_keyed

__all__ = [
    "COULD_NOT_MATCH",
    "DISCIPLINE_TRANSITIONS",
    "ON_HOLD_MESSAGE",
    "SSN_DIGITS",
    "TOO_MANY",
    "approval_number_check",
    "ce_record_add",
    "ce_record_delete",
    "certification_card_queue",
    "certification_create",
    "certification_issue",
    "certification_level_change",
    "certification_lift_discipline",
    "certification_link",
    "certification_number_next",
    "certification_revoke",
    "certification_supersede",
    "certification_surrender",
    "certification_suspend",
    "credential_renewal_approve",
    "credential_renewal_deny",
    "credential_renewal_mark_ready",
    "credential_renewal_submit",
    "incomplete_reasons_active",
    "number_next",
    "provider_create",
    "provider_create_keyed",
    "provider_find",
    "renewal_approve",
    "renewal_deny",
    "renewal_document_add",
    "renewal_mark_nremt_verified",
    "renewal_mark_paid",
    "renewal_missing",
    "renewal_put_on_hold",
    "renewal_request_fee",
    "renewal_resubmit",
    "renewal_return_incomplete",
    "renewal_save_step",
    "renewal_start",
    "renewal_start_review",
    "renewal_submit",
    "ssn_digits",
    "ssn_hash",
    "ssn_keyed",
    "upload_check",
]
