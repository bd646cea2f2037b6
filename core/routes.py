"""URL patterns from short tables, so each app's urls.py / api_urls.py lists only what is its own.

- `pages({pattern: view, ...}, prefix="")`: one `path()` per entry, in order, each pattern below
  `prefix`. A function view is named after itself with dashes (`views.news_index` ->
  "news-index"); `named("file", views.file_download)` gives another name; a class-based view is
  always `named(...)` and made a view with `as_view()`.
- `collection(pattern, name, list_view, detail_view, **actions)`: the usual list/detail/action
  family: the list at `pattern` (named `name` + "s"), one object at `pattern<int:pk>/` (named
  `name`) and each action at `pattern<int:pk>/<action>/` (named `name-<action>`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django.urls import URLPattern, path

View = Callable[..., Any] | type


class Named(NamedTuple):
    name: str
    view: View


def named(name: str, view: View) -> Named:
    """A table entry whose URL name is not the view's own."""
    return Named(name, view)


def _path(pattern: str, entry: View | Named) -> URLPattern:
    name, view = entry if isinstance(entry, Named) else (None, entry)
    if isinstance(view, type):
        if name is None:
            raise ValueError(f"name the route of {view.__name__} with named()")
        view = view.as_view()  # type: ignore[attr-defined]
    return path(pattern, view, name=name or view.__name__.replace("_", "-"))


def pages(table: Mapping[str, View | Named], *, prefix: str = "") -> list[URLPattern]:
    """One route per `pattern: view` entry, each pattern below `prefix`."""
    return [_path(prefix + pattern, entry) for pattern, entry in table.items()]


def collection(
    pattern: str,
    name: str,
    list_view: View | None,
    detail_view: View | None,
    *,
    key: str = "<int:pk>/",
    **actions: View,
) -> list[URLPattern]:
    """The list, the object and its actions (each action's URL word is its keyword)."""
    table: dict[str, View | Named] = {}
    if list_view is not None:
        table[pattern] = named(f"{name}s", list_view)
    if detail_view is not None:
        table[pattern + key] = named(name, detail_view)
    for action, view in actions.items():
        table[f"{pattern}{key}{action}/"] = named(f"{name}-{action}", view)
    return pages(table)


def read_only(viewset: Any) -> tuple[View, View]:
    """The list and the one-object views of a read-only viewset (list and retrieve on GET)."""
    return viewset.as_view({"get": "list"}), viewset.as_view({"get": "retrieve"})
