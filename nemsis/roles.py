"""What each role may do with the scope of practice, collected elements and DEM files."""

from accounts import roles

_SCOPE = [
    f"nemsis.{action}_{model}"
    for model in ("scopeitem", "collectedelement")
    for action in ("view", "add", "change", "delete")
]

ROLE_PERMISSIONS = {
    roles.LICENSING_REVIEWER: [*_SCOPE, "nemsis.view_demupload", "nemsis.add_demupload"],
    roles.SUPERVISOR: [*_SCOPE, "nemsis.view_demupload", "nemsis.add_demupload"],
}
