"""`form|fields:"a b c"`: the named bound fields of a form, in that order, for
`{% include "includes/fields.html" with fields=form|fields:"email phone" %}` (each one through
includes/field.html, its errors beside it). `fields=form` renders every field in the form's order.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def fields(form: forms.BaseForm, names: str) -> list[BoundField]:
    return [form[name] for name in names.split()]
