"""What each role may do in the education app (merged by accounts.roles)."""

from accounts import roles

ROLE_PERMISSIONS = {
    roles.LICENSING_REVIEWER: ["education.view_course", "education.change_course"],
    roles.SUPERVISOR: ["education.view_course", "education.change_course"],
}
