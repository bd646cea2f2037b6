"""Who may download an inspection photo (core.files): the vehicle page's own rule (the
organization's administrators and the staff who work on vehicles)."""

from core.files import FileRule

from .selectors import user_can_view_vehicle

FILE_RULES = {
    "inspection-photo": FileRule(
        can_download=lambda user, answer: user_can_view_vehicle(
            user=user, vehicle=answer.inspection.vehicle
        ),
        queryset=lambda model: model.objects.select_related("inspection__vehicle__organization"),
    ),
}
