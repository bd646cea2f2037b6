"""The dashboard panel's data: complaints about the signed-in person, once noticed."""

from django import template

from complaints import selectors

register = template.Library()


@register.simple_tag
def complaints_noticed_to(user):
    return list(selectors.complaints_noticed_to(user))
