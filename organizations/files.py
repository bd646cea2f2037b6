"""Who may download the organizations app's stored files (core.files)."""

from core.files import FileRule

from .selectors import user_administers


def chief_change_letter_allowed(user, report) -> bool:
    """The organization's administrators, and staff who may see chief-change reports."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff and user.has_perm("organizations.view_chiefchangereport"):
        return True
    return user_administers(user=user, organization=report.organization)


FILE_RULES = {
    "chief-change-letter": FileRule(
        can_download=chief_change_letter_allowed,
        queryset=lambda model: model.objects.select_related("organization"),
    ),
}
