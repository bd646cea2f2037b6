"""PDFs: the full provider roster, PSA by town and a certification card, against a minimal
WeasyPrint document with the same number of table rows, rendered in the same run.

    python benchmarks/pdfs.py [--roster-rows 20000] [--label 20000]

The roster and PSA-by-town go through documents.rendering.render_pdf (chunked, the portal's
print CSS) with the templates in benchmarks/templates/ until their apps register them (the
reminders/rosters work adds the registered roster and the card; until then the card is not
measured and the results say so). Each case runs in its own process, so its peak memory
(ru_maxrss) is its own. Figures go to benchmarks/results/pdfs[_<label>].json.
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

CHUNK_ROWS = 250  # the documents app's default chunk for long tables


def roster_rows(limit):
    from providers.models import Certification

    return list(
        Certification.objects.select_related("provider")
        .only(
            "number",
            "level",
            "expires_on",
            "discipline",
            "discipline_from",
            "discipline_until",
            "provider__first_name",
            "provider__last_name",
        )
        .order_by("provider__last_name", "provider__first_name", "number")[:limit]
    )


def psa_rows():
    from organizations.models import PrimaryServiceArea

    return list(
        PrimaryServiceArea.objects.select_related("town", "organization").order_by(
            "town__name", "psa_type"
        )
    )


def case(kind, rows):
    setup_django()
    from django.template.loader import render_to_string
    from pypdf import PdfReader

    from documents import rendering

    started = time.perf_counter()
    if kind == "roster":
        data = roster_rows(rows)
        pdf = rendering.render_pdf(
            template="benchmarks/provider_roster.html",
            context={"rows": data},
            title="Provider roster",
            chunk_rows=CHUNK_ROWS,
        ).content
    elif kind == "psa":
        data = psa_rows()
        pdf = rendering.render_pdf(
            template="benchmarks/psa_by_town.html",
            context={"rows": data},
            title="Primary Service Areas by town",
            chunk_rows=CHUNK_ROWS,
        ).content
    else:  # minimal: one plain WeasyPrint document, the same number of five-column rows
        from weasyprint import HTML

        data = [(f"E{300000 + i}", f"Name {i}", "EMT", "Active", "2027-01-01") for i in range(rows)]
        pdf = HTML(string=render_to_string("benchmarks/minimal.html", {"rows": data})).write_pdf()
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        json.dumps(
            {
                "case": kind,
                "rows": len(data),
                "seconds": round(seconds, 1),
                "pages": pages,
                "pages_per_second": round(pages / seconds, 1) if seconds else 0,
                "peak_memory_mb": peak_memory_mb(),
                "pdf_kb": round(len(pdf) / 1024),
            }
        )
    )


def run_case(kind, rows, timeout):
    output = subprocess.run(
        [sys.executable, __file__, "--case", kind, str(rows)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--roster-rows", type=int, default=20000)
    parser.add_argument("--timeout", type=int, default=1800, help="per case, seconds")
    parser.add_argument("--label", default="")
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        case(args.case[0], int(args.case[1]))
        return
    roster = run_case("roster", args.roster_rows, args.timeout)
    print(roster, flush=True)
    roster_baseline = run_case("minimal", roster["rows"], args.timeout)
    print(roster_baseline, flush=True)
    psa = run_case("psa", 0, args.timeout)
    print(psa, flush=True)
    psa_baseline = run_case("minimal", psa["rows"], args.timeout)
    print(psa_baseline, flush=True)
    for measured, baseline in ((roster, roster_baseline), (psa, psa_baseline)):
        measured["seconds_vs_baseline"] = (
            round(measured["seconds"] / baseline["seconds"], 2) if baseline["seconds"] else None
        )
    write_result(
        f"pdfs_{args.label}" if args.label else "pdfs",
        {
            "label": args.label,
            "chunk_rows": CHUNK_ROWS,
            "cases": [roster, roster_baseline, psa, psa_baseline],
            "not_measured": [
                "certification card: no card document in main yet",
                "registered provider roster: not in main yet; the roster here uses the same "
                "renderer with benchmarks/templates/benchmarks/provider_roster.html",
            ],
        },
    )


if __name__ == "__main__":
    main()
