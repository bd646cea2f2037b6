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

from contextlib import contextmanager, nullcontext
from functools import cached_property

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import F, Func, QuerySet
from django.db.models.expressions import OrderBy
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


# The same value in the same order, as an expression no index is built on (see unindexed_order).
SAME_VALUE = {
    models.CharField: "(%(expressions)s || '')",
    models.TextField: "(%(expressions)s || '')",
    models.IntegerField: "(%(expressions)s + 0)",
    models.BigIntegerField: "(%(expressions)s + 0)",
    models.DateField: "(%(expressions)s + 0)",
}


def unindexed_order(model, entry) -> OrderBy | None:
    """``entry`` of an admin ordering ("name", "-name", "pk") as the same order over an
    expression with the same value that no index serves (``name || ''``, ``id + 0``).

    A search's matches are cut to the first thousand in the page's order. Given an index in
    that order, PostgreSQL would walk it and test each row against the search, expecting the
    matches to be spread evenly: for "Smith" (1% of people, near the end of the alphabet) that
    walked 700,000 providers to find 1,001 (14 s). Without one it takes the matches from the
    search's own index (a prefix or exact index) and sorts them: milliseconds."""
    if not isinstance(entry, str) or "__" in entry:
        return None
    descending = entry.startswith("-")
    name = entry.lstrip("-")
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    template = next(
        (
            t
            for kind, t in SAME_VALUE.items()
            if isinstance(field, kind) and not isinstance(field, models.DateTimeField)
        ),
        None,
    )
    if template is None:
        return None
    expression = Func(F(field.attname), template=template, output_field=field)
    return OrderBy(expression, descending=descending)


# PostgreSQL's price of a random page read relative to a sequential one while a search runs:
# the usual value for data in memory or on SSD (the default, 4, is for spinning disks).
SEARCH_RANDOM_PAGE_COST = 1.1


@contextmanager
def search_planning(using: str):
    """While a search's page is built, PostgreSQL prices index probes as the data is held
    (``SEARCH_RANDOM_PAGE_COST``): at the default it joined a common surname's 10,000 providers
    to their certifications by reading all 1.1 million certifications (a hash join over a
    sequential scan) instead of 11,000 index probes, 3-4x slower. Set for this session only,
    and put back afterwards; other databases: nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET random_page_cost = %s", [SEARCH_RANDOM_PAGE_COST])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET random_page_cost")


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
        terms = search_terms(search_term)[:SEARCH_WORDS_MAX]
        # An action (a POST) acts on every match, "Select all" included: never cut.
        cut = len(terms) == 1 and request.method == "GET"
        ordering = self.search_ordering(request, queryset) if cut else None
        rows = self.model._default_manager.order_by()
        cap = SearchCountPaginator.cap
        for term in terms:
            if ordering:
                # Only the first CAP + 1 of each field's matches in the page's order: together
                # they hold the first CAP + 1 of all matches, all a capped list can show (and
                # the count, capped, comes out the same). A common surname then costs its
                # first thousand rows, not its ten thousand.
                # The union is read once here (at most (CAP + 1) x fields ids), so the count
                # and the page each look up those ids by primary key instead of running it
                # again.
                cut_branches = [
                    queryset.order_by(*ordering)
                    .filter(**{lookup: term})
                    .values_list("pk", flat=True)[: cap + 1]
                    for lookup in lookups
                ]
                first_cut, *other_cuts = cut_branches
                matches = first_cut.union(*other_cuts) if other_cuts else first_cut
                queryset = queryset.filter(pk__in=list(matches))
                continue
            branches = [rows.filter(**{lookup: term}).values("pk") for lookup in lookups]
            first, *others = branches
            queryset = queryset.filter(pk__in=first.union(*others) if others else first)
        return queryset, False  # pk IN (...) never repeats a row

    def search_ordering(self, request, queryset) -> list | None:
        """The order the changelist will show a one-word search in (its ``ordering``, made
        total by the primary key as Django's changelist makes it), each column written so that
        no index serves it (``unindexed_order``), or None where the matches cannot be cut per
        field: a column chosen by the user (``?o=``), an order across a relation, or a database
        whose UNION takes no LIMIT in its parts (SQLite)."""
        if ORDER_VAR in request.GET:
            return None
        if not connections[queryset.db].features.supports_slicing_ordering_in_compound:
            return None
        ordering = list(self.get_ordering(request) or self.model._meta.ordering)
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering.append("-pk")
        orders = [unindexed_order(self.model, field) for field in ordering]
        return None if None in orders else orders

    def changelist_view(self, request, extra_context=None):
        searched = bool(request.GET.get(SEARCH_VAR, "").strip())
        with search_planning(self.model._default_manager.db) if searched else nullcontext():
            response = super().changelist_view(request, extra_context)
            context = getattr(response, "context_data", None) or {}
            changelist = context.get("cl")
            paginator = getattr(changelist, "paginator", None)
            if changelist is None:
                pass
            elif getattr(paginator, "estimated", False):
                note = f"All of about {changelist.result_count:,} selected"
                context["selection_note_all"] = note
            elif getattr(paginator, "capped", False):
                note = f"All of more than {changelist.result_count:,} selected"
                context["selection_note_all"] = note
            if searched and hasattr(response, "render"):
                response.render()  # the page's own query runs here, with the search's costs
        return response
