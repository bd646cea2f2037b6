"""What staff roles may do with document jobs in the admin (pages check per object)."""

from accounts import roles

ROLE_PERMISSIONS = {
    **{role: ["documents.view_documentjob"] for role in roles.STAFF_ROLES},
    roles.SUPERVISOR: ["documents.view_documentjob", "documents.change_documentjob"],
}
