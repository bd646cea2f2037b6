"""``{{ message|office_link }}``: a message that tells people to contact, call or email the office
(a refused link, a throttle, a certification that cannot be renewed online) gets that phrase
linked to the contact page, wherever the message comes from (form errors, flash messages)."""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

OFFICE_PHRASE = re.compile(r"\b(?:contact|call|email) (?:the office|OEMS)\b", re.IGNORECASE)


@register.filter
def office_link(message):
    text = conditional_escape(message)
    url = reverse("information:contact")
    return mark_safe(  # noqa: S308 - the text is escaped above; only the link is added
        OFFICE_PHRASE.sub(
            lambda match: format_html('<a class="usa-link" href="{}">{}</a>', url, match[0]),
            str(text),
        )
    )


@register.inclusion_tag("information/help_link.html")
def help_link(slug, text):
    """A "Help: ..." line under a form, to the help topic that explains it."""
    return {"url": reverse("information:help-topic", kwargs={"slug": slug}), "text": text}
