"""Who may download the information app's stored files (core.files): hospital attestations and
nomination attachments are staff's; the files of a published report or news post are public."""

from core.files import FileRule
from core.models import News

from .models import Publication


def _staff_has(user, permission: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_staff and user.has_perm(permission)
    )


def _public_once_published(parent_model, parent_field: str, staff_permission: str) -> FileRule:
    """Anyone, once the document's parent is published; before that, staff who keep them."""

    def allowed(user, document) -> bool:
        parent_id = getattr(document, f"{parent_field}_id")
        if parent_model.objects.published().filter(pk=parent_id).exists():
            return True
        return _staff_has(user, staff_permission)

    return FileRule(can_download=allowed)


FILE_RULES = {
    "hospital-attestation": FileRule(
        can_download=lambda user, certification: _staff_has(
            user, "information.view_strokecertification"
        )
    ),
    "nomination-attachment": FileRule(
        can_download=lambda user, nomination: _staff_has(user, "information.view_nomination")
    ),
    "publication-file": _public_once_published(
        Publication, "publication", "information.view_publication"
    ),
    "news-attachment": _public_once_published(News, "news", "core.view_news"),
}
