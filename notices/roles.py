"""Who may write and send notices (merged by accounts.roles): the office's communications sit
with licensing (the news writers) and the supervisor. Other staff roles may read them."""

from accounts import roles

_READ = ["notices.view_notice", "notices.view_noticedelivery"]
_WRITE = _READ + ["notices.add_notice", "notices.change_notice", "notices.send_notice"]

ROLE_PERMISSIONS = {
    roles.LICENSING_REVIEWER: _WRITE,
    roles.SUPERVISOR: _WRITE + ["notices.delete_notice"],
}
