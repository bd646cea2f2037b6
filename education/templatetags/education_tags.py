"""Template helpers of the education app."""

from django import template

from education import selectors

register = template.Library()


@register.filter
def is_training_institution(user) -> bool:
    return selectors.is_training_institution(user)
