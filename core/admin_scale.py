"""Admin changelists that stay fast at state scale (a million providers): one home for what
every large changelist needs, used by mixing ``LargeTableAdmin`` into its ``ModelAdmin``.

- **Counting.** Django's paginator runs ``COUNT(*)`` over the whole table for the "N providers"
  line and the page links, and ``show_full_result_count`` runs a second one. On an unfiltered
  changelist of a large PostgreSQL table ``EstimatedCountPaginator`` reads PostgreSQL's own
  estimate instead (``pg_class.reltuples``, kept by ANALYZE and autovacuum) and the page says
  "about 1,000,000". Whenever a filter is applied, the table is small
  (< ``ESTIMATE_FROM_ROWS``), or the database is not PostgreSQL, the count is exact. A search
  counts at most ``SEARCH_COUNT_CAP`` + 1 matches (``COUNT(*)`` over a ``LIMIT``): a common
  surname at state scale matches ten thousand people, and counting them all was half the page's
  time; the page then says "more than 1,000" and its links reach the first 1,000 (a longer
  search narrows it).
- **Searching.** Django ORs every search field into one WHERE clause; across joined tables no
  index can serve that, so each search scanned the tables. Here each field is looked up on its
  own (each one an index lookup: ``=number`` exact, ``^last_name`` prefix) and the matches are
  combined with UNION: ``pk IN (SELECT ... UNION SELECT ...)``. Staff still find a row by any
  of the fields, and a search of several words still needs every word to match some field.
"""

from functools import cached_property

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.text import smart_split, unescape_string_literal

# Below this many rows an exact COUNT(*) takes a few milliseconds: count them.
ESTIMATE_FROM_ROWS = 100_000
# A search counts this many matches at most (the page says "more than 1,000").
SEARCH_COUNT_CAP = 1_000
# A search longer than any name or number (a paste, a probe) is cut to this length and this
# many words: each word is one more subquery.
SEARCH_TERM_MAX = 100
SEARCH_WORDS_MAX = 5


def estimated_rows(model, *, using: str) -> int | None:
    """PostgreSQL's estimate of the table's row count, or None where there is none (another
    database; a table never analyzed, where PostgreSQL keeps -1)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def is_whole_table(queryset: QuerySet) -> bool:
    """True when the queryset counts every row of its table: no filter, search, DISTINCT,
    grouping, UNION or slice."""
    query = queryset.query
    return (
        not query.where
        and not query.distinct
        and query.group_by is None
        and not query.combinator
        and query.low_mark == 0
        and query.high_mark is None
    )


class EstimatedCountPaginator(Paginator):
    """A paginator whose ``count`` is PostgreSQL's estimate for a whole large table (and says
    so: ``estimated``), capped at ``cap`` when one is given (and says so: ``capped``), exact
    otherwise."""

    estimated = False
    capped = False
    cap: int | None = None

    @cached_property
    def count(self):
        rows = self.object_list
        if isinstance(rows, QuerySet) and is_whole_table(rows):
            estimate = estimated_rows(rows.model, using=rows.db)
            if estimate is not None and estimate >= ESTIMATE_FROM_ROWS:
                self.estimated = True
                return estimate
        if isinstance(rows, QuerySet) and self.cap is not None:
            counted = rows.order_by()[: self.cap + 1].count()
            if counted > self.cap:
                self.capped = True
                return self.cap
            return counted
        return super().count


class SearchCountPaginator(EstimatedCountPaginator):
    cap = SEARCH_COUNT_CAP


def search_lookup(field: str) -> str:
    """The ORM lookup for one entry of ``search_fields``, with Django's prefixes."""
    if field.startswith("^"):
        return f"{field[1:]}__istartswith"
    if field.startswith("="):
        return f"{field[1:]}__iexact"
    return f"{field}__icontains"


def search_terms(search_term: str) -> list[str]:
    """The words of a search, as Django's admin splits them ("quoted words" stay together)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        terms.append(bit)
    return terms


class LargeTableAdmin(admin.ModelAdmin):
    """Mix into a ``ModelAdmin`` whose table grows with the state: estimated count on the
    unfiltered list, no second "N total" count, and a search that each field's index serves.
    Its ``search_fields`` should use ``^`` (prefix) or ``=`` (exact) on indexed columns; a bare
    field name is still ``icontains`` (a scan: keep those to small tables)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searched = request.GET.get(SEARCH_VAR, "").strip()
        paginator = SearchCountPaginator if searched else self.paginator
        return paginator(queryset, per_page, orphans, allow_empty_first_page)

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        search_term = search_term[:SEARCH_TERM_MAX]
        if not (fields and search_term):
            return super().get_search_results(request, queryset, search_term)
        lookups = [search_lookup(str(field)) for field in fields]
        rows = self.model._default_manager.order_by()
        for term in search_terms(search_term)[:SEARCH_WORDS_MAX]:
            first, *others = [rows.filter(**{lookup: term}).values("pk") for lookup in lookups]
            queryset = queryset.filter(pk__in=first.union(*others) if others else first)
        return queryset, False  # pk IN (...) never repeats a row

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        paginator = getattr(changelist, "paginator", None)
        if getattr(paginator, "estimated", False):
            context["selection_note_all"] = f"All of about {changelist.result_count:,} selected"
        elif getattr(paginator, "capped", False):
            context["selection_note_all"] = f"All of more than {changelist.result_count:,} selected"
        return response
