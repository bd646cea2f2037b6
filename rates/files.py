"""Who may download a rate filing's attachments (core.files): the filing page's own rule."""

from core.files import FileRule

from .selectors import user_may_view_filing

FILE_RULES = {
    "rate-filing-attachment": FileRule(
        can_download=lambda user, attachment: user_may_view_filing(
            user=user, filing=attachment.filing
        ),
        queryset=lambda model: model.objects.select_related("filing__organization"),
    ),
}
