"""PDFs: the full provider roster, PSA by town and one certification card, each rendered the way
the portal renders it, against a minimal WeasyPrint document with the same number of table rows,
rendered in the same run.

    python benchmarks/pdfs.py [--roster-rows 20000] [--label 20000]

The three documents are the registered DocumentSpecs ("provider-roster" and
"certification-card" in providers/documents.py, "psa-by-town" in organizations/documents.py),
looked up with documents.registry.get_spec and rendered with the calls a document job makes
(documents.services.job_render, run by the Celery task documents.tasks.render_document):
``spec.build_context(params)``, then documents.rendering.render_pdf with the spec's template,
``spec.title_for(params)`` and ``spec.chunked_rows``. So the templates, the selectors, the
chunking and the page numbering are the portal's own. Timed: building the context (the queries)
and rendering to PDF bytes. Not done: the job's bookkeeping around that (claim, progress writes,
saving the file to storage), which is per job, not per row.

Row limit: the provider-roster spec takes no params and has no row limit; its build_context
returns a queryset under "rows" (providers.documents.provider_roster_rows, ordered by name), so
the benchmark slices that queryset to --roster-rows (``rows[:N]``, a LIMIT in SQL). render_pdf
counts and streams the sliced queryset in the spec's chunks exactly as it does the whole one.
PSA by town renders every town (the spec's whole list). The card is for one active
certification (the lowest number), its params checked by the spec's clean_params as a request's
are.

Baselines ("minimal"): benchmarks/templates/benchmarks/minimal.html, plain WeasyPrint (no
chunks, no print stylesheet, no page numbers), with as many five-column rows as the document it
is compared with; for the card, one row (one page). "vs minimal" is the document's seconds over
its baseline's.

Each case runs in its own process, so its peak memory (ru_maxrss) is its own; the process is
fresh, so the timings include first-use costs (the database connection, the URLconf, loading
fonts), which dominate the one-page card (a warm Celery worker has paid them already). Figures
(seconds, pages, pages/s, peak memory, queries, PDF size) go to
benchmarks/results/pdfs[_<label>].json.
"""

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, peak_memory_mb, setup_django, write_result  # noqa: E402

ROSTER = "provider-roster"
PSA_BY_TOWN = "psa-by-town"
CARD = "certification-card"
MINIMAL = "minimal"


class QueryCounter:
    """Counts the SQL statements run (a connection execute wrapper: nothing is kept)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def card_params(spec) -> dict:
    from providers.models import Certification
    from providers.rules import CertificationStatus

    number = (
        Certification.objects.with_status(CertificationStatus.ACTIVE)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    if number is None:
        raise SystemExit("No active certification to make a card for: seed the database first.")
    return spec.clean_params({"certification": number})


def render_registered(kind: str, rows: int) -> tuple[bytes, dict]:
    """Render a registered document as documents.services.job_render does. Returns the PDF and
    what to report besides the timings."""
    from django.db import connection
    from django.db.models import QuerySet

    from documents.registry import get_spec
    from documents.rendering import render_pdf

    spec = get_spec(kind)
    if spec is None:
        raise SystemExit(f"No document {kind!r} is registered.")
    params = card_params(spec) if kind == CARD else {}
    if kind == ROSTER:  # how many the whole roster has (not timed; build_context is lazy)
        available = spec.build_context(params)["rows"].count()
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        context = spec.build_context(params)
        if kind == ROSTER:
            context = {**context, "rows": context["rows"][:rows]}
        pdf = render_pdf(
            template=spec.template,
            context=context,
            title=spec.title_for(params),
            chunk_rows=spec.chunked_rows,
        ).content
    seconds = time.perf_counter() - started
    if spec.chunked_rows:
        data = context["rows"]
        row_count = data.count() if isinstance(data, QuerySet) else len(data)
    else:
        row_count = 1  # the card: one card, one row in its table
    extra = {"rows": row_count, "chunk_rows": spec.chunked_rows, "queries": counter.count}
    if kind == ROSTER:
        extra["rows_available"] = available
    elif kind == CARD:
        extra["params"] = params
    return pdf, {"seconds": seconds, **extra}


def render_minimal(rows: int) -> tuple[bytes, dict]:
    """One plain WeasyPrint document with ``rows`` five-column rows."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    started = time.perf_counter()
    data = [(f"E{300000 + i}", f"Name {i}", "EMT", "Active", "2027-01-01") for i in range(rows)]
    pdf = HTML(string=render_to_string("benchmarks/minimal.html", {"rows": data})).write_pdf()
    return pdf, {"seconds": time.perf_counter() - started, "rows": rows}


def case(kind: str, rows: int) -> None:
    setup_django()
    from pypdf import PdfReader

    if kind == MINIMAL:
        pdf, figures = render_minimal(rows)
    else:
        pdf, figures = render_registered(kind, rows)
    seconds = figures.pop("seconds")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        json.dumps(
            {
                "case": kind,
                "rows": figures.pop("rows"),
                "seconds": round(seconds, 3),
                "pages": pages,
                "pages_per_second": round(pages / seconds, 1) if seconds else 0,
                "peak_memory_mb": peak_memory_mb(),
                "pdf_kb": round(len(pdf) / 1024),
                **figures,
            }
        )
    )


def run_case(kind: str, rows: int, timeout: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--case", kind, str(rows)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    print(result, flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--roster-rows", type=int, default=20000, help="rows of the provider roster (a LIMIT)"
    )
    parser.add_argument("--timeout", type=int, default=1800, help="per case, seconds")
    parser.add_argument("--label", default="")
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        case(args.case[0], int(args.case[1]))
        return
    cases = []
    notes = []
    for kind, rows in ((ROSTER, args.roster_rows), (PSA_BY_TOWN, 0), (CARD, 1)):
        measured = run_case(kind, rows, args.timeout)
        baseline = run_case(MINIMAL, measured["rows"], args.timeout)
        measured["seconds_vs_baseline"] = (
            round(measured["seconds"] / baseline["seconds"], 2) if baseline["seconds"] else None
        )
        cases += [measured, baseline]
        if kind == ROSTER and measured["rows"] < measured["rows_available"]:
            notes.append(
                f"provider roster: the first {measured['rows']:,} of its "
                f"{measured['rows_available']:,} certifications (--roster-rows)"
            )
    write_result(
        f"pdfs_{args.label}" if args.label else "pdfs",
        {"label": args.label, "roster_rows": args.roster_rows, "cases": cases, "notes": notes},
    )


if __name__ == "__main__":
    main()
