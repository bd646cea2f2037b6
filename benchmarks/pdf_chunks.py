"""Measure chunked PDF rendering (documents.rendering.render_pdf) against one plain table.

    python benchmarks/pdf_chunks.py                 # the default set below
    python benchmarks/pdf_chunks.py --plain 20000 --chunked 50000  # add cases

Each case runs in its own process so its peak memory (ru_maxrss) is its own. The rows are the
EMS organization directory's eight columns with short made-up values (one line each, like the
DESIGN.md baseline of one plain table); no database is needed. Figures
are written to benchmarks/results/pdf_chunks.json and .md.
"""

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
TEMPLATE = "documents/pdf/organization_directory.html"


def make_rows(count):
    from types import SimpleNamespace

    kinds = ["Ambulance", "First responder"]
    towns = ["Hartford", "New Haven", "Stamford", "Waterbury", "Norwalk", "Danbury", "Bristol"]
    return [
        SimpleNamespace(
            legal_name=f"{towns[i % len(towns)]} EMS {i}",
            number=f"AMB-{i:05d}",
            get_kind_display=kinds[i % 2],
            get_ownership_display="Municipal",
            get_credential_type_display="Certificate",
            get_highest_level_display="Paramedic",
            get_status_display="Active",
            city=towns[i % len(towns)],
        )
        for i in range(count)
    ]


def run_case(mode, rows, chunk):
    """Runs inside the child process; prints one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oems_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.template.loader import render_to_string
    from pypdf import PdfReader

    from documents import rendering

    data = make_rows(rows)
    started = time.perf_counter()
    if mode == "plain":
        # One document, one table: what a naive implementation does.
        html = render_to_string(
            TEMPLATE,
            {"rows": data, "title": "Benchmark", "is_first_chunk": True, "is_last_chunk": True},
        )
        pdf = rendering.html_to_pdf(html)
    else:
        pdf = rendering.render_pdf(
            template=TEMPLATE, context={"rows": data}, title="Benchmark", chunk_rows=chunk
        ).content
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "mode": mode,
                "rows": rows,
                "chunk_rows": chunk if mode == "chunked" else None,
                "seconds": round(seconds, 1),
                "pages": pages,
                "peak_memory_mb": round(peak_mb),
                "pdf_kb": round(len(pdf) / 1024),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", nargs=3, metavar=("MODE", "ROWS", "CHUNK"))
    parser.add_argument("--plain", type=int, action="append", default=[])
    parser.add_argument("--chunked", type=int, action="append", default=[])
    arguments = parser.parse_args()
    if arguments.case:
        mode, rows, chunk = arguments.case
        run_case(mode, int(rows), int(chunk))
        return

    # One plain table grows faster than linearly; chunks should grow linearly. The chunk size
    # is chosen from the 5,000-row cases (the DESIGN.md baseline), then run at 20,000 rows.
    cases = [("plain", 1000, 0), ("plain", 2000, 0), ("plain", 5000, 0)]
    cases += [("plain", rows, 0) for rows in arguments.plain]
    cases += [("chunked", 5000, size) for size in (100, 250, 500, 1000)]
    cases += [("chunked", 20000, 500)]
    cases += [("chunked", rows, 500) for rows in arguments.chunked]
    results = []
    for mode, rows, chunk in cases:
        output = subprocess.run(
            [sys.executable, __file__, "--case", mode, str(rows), str(chunk)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        # The machine is shared: the load during the case says how far to trust its seconds.
        result["load_average_after"] = round(os.getloadavg()[0], 1)
        print(result, flush=True)
        results.append(result)

    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": sys.version.split()[0],
    }
    (RESULTS / "pdf_chunks.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=2)
    )
    lines = [
        "# Chunked PDF rendering vs one plain table",
        "",
        f"Measured by `benchmarks/pdf_chunks.py` ({meta['machine']}, Python {meta['python']}).",
        "",
        "| mode | rows | chunk rows | seconds | pages | peak memory (MB) | PDF (KB) | load after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['mode']} | {r['rows']:,} | {r['chunk_rows'] or '—'} | {r['seconds']} | "
            f"{r['pages']} | {r['peak_memory_mb']} | {r['pdf_kb']} | {r['load_average_after']} |"
        )
    (RESULTS / "pdf_chunks.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
