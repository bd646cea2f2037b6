"""The dashboard's "Notices from the office" panel (templates/notices/_recent.html)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_notices(context):
    return list(selectors.notices_received(context["user"])[: selectors.RECENT_NOTICES])
