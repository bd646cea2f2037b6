"""Who may download the information app's stored files (core.files): hospital attestations and
nomination attachments are staff's; a published report's files are public."""

from core.files import FileRule

from .models import Publication


def _staff_has(user, permission: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_staff and user.has_perm(permission)
    )


def publication_file_allowed(user, document) -> bool:
    """Anyone, once its publication is published; before that, staff who keep publications."""
    if Publication.objects.published().filter(pk=document.publication_id).exists():
        return True
    return _staff_has(user, "information.view_publication")


FILE_RULES = {
    "hospital-attestation": FileRule(
        can_download=lambda user, certification: _staff_has(
            user, "information.view_strokecertification"
        )
    ),
    "nomination-attachment": FileRule(
        can_download=lambda user, nomination: _staff_has(user, "information.view_nomination")
    ),
    "publication-file": FileRule(can_download=publication_file_allowed),
}
