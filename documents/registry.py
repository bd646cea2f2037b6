"""The registry of documents: each app declares what it can render in ``<app>/documents.py``.

    DOCUMENTS = {
        "organization-roster": DocumentSpec(
            title="Provider roster",
            table=ROSTER_TABLE,                # a long table (documents.tables.TableLayout), or
                                               # template="app/pdf/x.html" for a WeasyPrint page
            build_context=roster_context,      # params -> dict (rows under "rows" when chunked)
            fingerprint=roster_fingerprint,    # params -> str: what the data looks like now
            can_request=user_may_see_roster,   # (user, params) -> bool
            clean_params=roster_params,        # raw request data -> params, or DomainError
            chunked_rows=1000,
            nightly=None,                      # or lambda: [{}]: beat prepares it every night
        ),
    }

Modules are discovered like ``seed_demo``'s demo modules: in INSTALLED_APPS order, an app without
``documents.py`` simply has none. A kind slug is global; two apps declaring one is an error.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max, QuerySet

from .constants import DEFAULT_CHUNK_ROWS
from .tables import TableLayout

Params = dict[str, Any]


def anyone(user, params: Params) -> bool:
    """``can_request`` of a public document."""
    return True


def no_params(raw: Mapping[str, Any]) -> Params:
    """``clean_params`` of a document that takes no parameters: whatever was sent is ignored."""
    return {}


def title_with_params(title: str | Callable[[Params], str], params: Params) -> str:
    return title(params) if callable(title) else title


@dataclass(frozen=True, kw_only=True)
class DocumentSpec:
    """What one kind of document is and who may have it.

    ``title`` is a string or ``callable(params) -> str`` (e.g. "Provider roster — Town EMS").
    ``build_context(params)`` returns the template context; when ``chunked_rows`` is set it must
    hold the table rows under ``"rows"`` (any iterable; a queryset is read with ``iterator()``),
    and the template is rendered once per chunk of that many rows, so a state-wide roster never
    becomes one huge layout (see ``documents.rendering``).
    ``fingerprint(params)`` says what the data looks like now (counts, latest ``updated_at``): a
    finished document is reused until it changes.
    ``table`` (a ``documents.tables.TableLayout``: columns and how a row becomes cells) makes it
    a long table: it is laid out by the lean table engine in chunks of ``chunked_rows`` rows,
    one Celery task per chunk that any worker may take, then merged (``template`` is unused).
    ``can_request(user, params)`` is the per-object permission for requesting, the status page
    and the download. ``clean_params(raw)`` turns request data into params or raises
    ``core.errors.DomainError``.
    """

    title: str | Callable[[Params], str]
    template: str = ""
    build_context: Callable[[Params], dict]
    fingerprint: Callable[[Params], str]
    can_request: Callable[[Any, Params], bool] = anyone
    clean_params: Callable[[Mapping[str, Any]], Params] = no_params
    chunked_rows: int | None = None
    table: TableLayout | None = None
    description: str = ""
    # Listed on the documents page with a one-click "Request" button (needs no params).
    listed: bool = False
    # Public documents beat prepares every night: ``nightly() -> [params, ...]`` (e.g. one per
    # year), requested as the anonymous public so only what anyone may have is prepared.
    nightly: Callable[[], Iterable[Params]] | None = None
    # A document that is not a PDF (e.g. the NEMSIS State Dataset's XML) brings its own renderer:
    # ``render(params, on_progress) -> object with .content (bytes) and .page_count (or None)``;
    # ``template``/``build_context`` are then unused. The file keeps this extension and type.
    render: Callable[[Params, Callable[[int, str], None]], Any] | None = None
    file_extension: str = "pdf"
    content_type: str = "application/pdf"

    def title_for(self, params: Params) -> str:
        return title_with_params(self.title, params)


def every_night() -> list[Params]:
    """``nightly`` of a public document without parameters: one copy, prepared every night."""
    return [{}]


def public_list(
    *,
    title: str | Callable[[Params], str],
    description: str,
    template: str = "",
    build_context: Callable[[Params], dict],
    fingerprint: Callable[[Params], str],
    listed: bool = True,
    nightly: Callable[[], Iterable[Params]] | None = every_night,
    **more: Any,
) -> DocumentSpec:
    """A public list anyone may have: chunked, on the documents page and prepared every night
    unless told otherwise."""
    return DocumentSpec(
        title=title,
        description=description,
        template=template,
        build_context=build_context,
        fingerprint=fingerprint,
        can_request=anyone,
        chunked_rows=DEFAULT_CHUNK_ROWS,
        listed=listed,
        nightly=nightly,
        **more,
    )


def latest_stamp(*values: Any) -> str:
    """The latest of some datetimes (None left out) for a fingerprint, or "none"."""
    present = [value for value in values if value]
    return max(present).isoformat() if present else "none"


def changes(queryset: QuerySet, latest: str = "history_date") -> tuple[int, Any]:
    """How many rows and the latest ``latest`` among them: what a fingerprint watches (a
    history queryset counts every change; ``updated_at`` of a table sees each edit)."""
    data = queryset.aggregate(count=Count("pk"), latest=Max(latest))
    return data["count"], data["latest"]


@cache
def all_documents() -> dict[str, DocumentSpec]:
    found: dict[str, DocumentSpec] = {}
    for app_config in apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.documents")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.documents":
                raise
            continue
        for kind, spec in getattr(module, "DOCUMENTS", {}).items():
            if kind in found:
                raise ImproperlyConfigured(f"Document kind {kind!r} is declared twice.")
            if not isinstance(spec, DocumentSpec):
                raise ImproperlyConfigured(
                    f"DOCUMENTS[{kind!r}] in {module.__name__} is not a DocumentSpec."
                )
            found[kind] = spec
    return found


def get_spec(kind: str) -> DocumentSpec | None:
    return all_documents().get(kind)
