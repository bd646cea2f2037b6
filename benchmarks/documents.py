"""The benchmark's own document (benchmarks.settings installs this folder as an app, so the
worker processes it starts know it too): the registered provider roster cut to its first
``rows`` certifications (a SQL LIMIT on the roster's own queryset), so a benchmark compares the
same number of rows whatever the database holds. ``run`` only makes each measured run a new
document (the portal would otherwise hand back the finished one)."""

from dataclasses import replace

from documents.registry import anyone
from providers.documents import DOCUMENTS as PROVIDER_DOCUMENTS
from providers.documents import provider_roster_rows

ROSTER = PROVIDER_DOCUMENTS["provider-roster"]


def first_rows_context(params) -> dict:
    return {"rows": provider_roster_rows()[: int(params["rows"])]}


DOCUMENTS = {
    "benchmark-provider-roster": replace(
        ROSTER,
        build_context=first_rows_context,
        fingerprint=lambda params: f"benchmark:{params}",
        can_request=anyone,  # the benchmark asks as nobody in particular
        listed=False,
    )
}
