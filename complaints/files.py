"""Who may download a complaint's files (core.files): complaint staff only (investigators and
supervisors), and every download is written to the complaint's access log."""

from core.files import FileRule

from . import selectors, services


def _log_access(user, record) -> None:
    services.access_record(complaint=record.complaint, user=user, via="file")


def _complaint_staff(user, record) -> bool:
    return selectors.can_see_complaints(user)


FILE_RULES = {
    kind: FileRule(
        can_download=_complaint_staff,
        queryset=lambda model: model.objects.select_related("complaint"),
        on_download=_log_access,
    )
    for kind in ("complaint-attachment", "complaint-evidence")
}
