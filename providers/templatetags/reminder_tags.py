"""The dashboard panel of renewal reminders and certification cards."""

from django import template

from ..reminders import selectors as reminder_selectors

register = template.Library()


@register.inclusion_tag("providers/reminders_panel.html", takes_context=True)
def reminders_panel(context):
    user = context["user"]
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return {"show": False}
    cards = reminder_selectors.card_certifications_of(user)
    reminders = list(reminder_selectors.reminders_of(user))
    return {
        "show": bool(cards or reminders),
        "cards": cards,
        "reminders": reminders,
        "csrf_token": context.get("csrf_token"),
    }
