"""The admin's sidebar filters, declared as data: a title, the query parameter, and what each
choice keeps. Each app's admin says only which rows a choice means."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

Narrow = Callable[[QuerySet], QuerySet]


def value_filter(
    title: str,
    parameter_name: str,
    *,
    lookups: Callable[[], Iterable[tuple[Any, str]]],
    narrow: Callable[[QuerySet, str], QuerySet],
) -> type[admin.SimpleListFilter]:
    """A filter listing ``lookups()`` (value, label); a chosen value keeps
    ``narrow(queryset, value)``, no choice keeps every row."""

    class ValueFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            return list(lookups())

        def queryset(self, request, queryset):
            value = self.value()
            return narrow(queryset, value) if value else queryset

    ValueFilter.title = title
    ValueFilter.parameter_name = parameter_name
    return ValueFilter


def choice_filter(
    title: str, parameter_name: str, choices: Mapping[str, tuple[str, Narrow]]
) -> type[admin.SimpleListFilter]:
    """A filter of fixed choices: ``{value: (label, narrow)}``; an unknown value keeps every
    row."""
    return value_filter(
        title,
        parameter_name,
        lookups=lambda: [(value, label) for value, (label, _) in choices.items()],
        narrow=lambda queryset, value: (
            choices[value][1](queryset) if value in choices else queryset
        ),
    )
