"""What each role may do with complaints (merged by accounts.roles). Only investigators and
supervisors get anything: complaint contents are confidential to them (the admin and the API
also check the role per object, see selectors.can_see_complaints)."""

from accounts import roles

_WORK = [
    "complaints.view_complaint",
    "complaints.change_complaint",
    "complaints.investigate_complaint",
    "complaints.view_attachment",
    "complaints.view_evidence",
    "complaints.add_evidence",
    "complaints.view_note",
    "complaints.add_note",
]

ROLE_PERMISSIONS = {
    roles.INVESTIGATOR: _WORK,
    roles.SUPERVISOR: [*_WORK, "complaints.supervise_complaint", "complaints.view_accesslog"],
}
