"""PDFs: the full provider roster, PSA by town and one certification card, each rendered the way
the portal renders it, against a minimal WeasyPrint document with the same number of table rows,
rendered in the same run.

    python benchmarks/pdfs.py [--roster-rows 20000] [--label 20000] [--workers 1 2 4]

The roster is a long table (documents/tables.py): a document job plans chunks, one Celery task
per chunk, and merges them. It is measured as a whole job, from the request to the finished file
(claim, chunks stored in the database, merge, file saved): once in one process (Celery eager, no
broker: everything on one core), then with real ``celery worker`` processes (prefork, 1, 2 and 4
of them, on a Redis of the benchmark's own at --redis-port) taking the chunks, timed by the
requesting process polling the job. Peak memory of a worker run is the largest VmHWM of the
worker's processes. The roster document here is benchmarks/documents.py's
``benchmark-provider-roster``: the registered roster spec, its queryset cut to --roster-rows.

PSA by town (a long table too, every town) and one certification card (a WeasyPrint template,
the lowest-numbered active certification, its params checked by the spec's clean_params) are
rendered in one process with the calls a job makes: ``spec.build_context(params)``, then the
table engine (one chunk, merged) or documents.rendering.render_pdf. Timed: building the context
(the queries) and rendering to PDF bytes.

Baselines ("minimal"): benchmarks/templates/benchmarks/minimal.html, plain WeasyPrint (no
chunks, no print stylesheet, no page numbers), with as many five-column rows as the document it
is compared with, in the same run; for the card, one row (one page). "seconds_vs_baseline" is
the document's seconds over its baseline's, "speedup_vs_baseline" the inverse. The load
average after each case is recorded: the two cores are shared.

Each case runs in its own process, so its peak memory (ru_maxrss) is its own; the process is
fresh, so the timings include first-use costs (the database connection, the URLconf, loading
fonts), which dominate the one-page card (a warm Celery worker has paid them already). Figures
(seconds, pages, pages/s, peak memory, queries, PDF size) go to
benchmarks/results/pdfs[_<label>].json.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, ROOT, peak_memory_mb, setup_django, write_result  # noqa: E402

ROSTER = "provider-roster"
BENCH_ROSTER = "benchmark-provider-roster"
WORKER_COMMAND = (
    "-m celery -A oems_portal worker --pool prefork --loglevel INFO --without-heartbeat "
    "--without-gossip --without-mingle --concurrency"
)  # benchmarks/documents.py: the roster cut to N rows
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


def render_roster_job(rows: int, run: str) -> tuple[bytes, dict]:
    """The roster as a document job, request to finished file; eager (in this process) unless
    REDIS_URL points at the benchmark's Redis with workers listening."""
    from django.contrib.auth.models import AnonymousUser

    from documents import services
    from documents.models import DocumentJob, JobStatus

    started = time.perf_counter()
    job, _ = services.document_request(
        kind=BENCH_ROSTER,
        params={"rows": rows, "run": f"{run} {time.time()}"},
        user=AnonymousUser(),
    )
    while job.status not in (JobStatus.DONE, JobStatus.FAILED):
        time.sleep(0.05)
        job = DocumentJob.objects.get(pk=job.pk)
    seconds = time.perf_counter() - started
    if job.status != JobStatus.DONE:
        raise SystemExit(f"The roster job failed: {job.error} {job.error_detail}")
    return job.file.read(), {"seconds": seconds, "rows": job.row_total, "chunks": job.chunk_total}


def render_registered(kind: str, rows: int) -> tuple[bytes, dict]:
    """Render a registered one-page or short document as documents.services.job_render does.
    Returns the PDF and what to report besides the timings."""
    from django.db import connection

    from documents.registry import get_spec
    from documents.rendering import render_pdf

    spec = get_spec(kind)
    if spec is None:
        raise SystemExit(f"No document {kind!r} is registered.")
    params = card_params(spec) if kind == CARD else {}
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        context = spec.build_context(params)
        if spec.table is not None:  # PSA by town: the table engine, in this process
            from documents import tables

            table_rows = [cells for row in context["rows"] for cells in spec.table.cells(row)]
            heading = tables.Heading(title=spec.title_for(params), generated_on="today")
            chunk = tables.render_chunk(
                spec.table,
                spec.table.columns_for(context),
                heading,
                table_rows,
                first=True,
                last=True,
            )
            merged = tables.merge_chunks([chunk], title=heading.title, bookmarks=["All"])
            pdf, row_count = merged.content, len(context["rows"])
        else:
            pdf = render_pdf(
                template=spec.template, context=context, title=spec.title_for(params)
            ).content
            row_count = 1  # the card: one card, one row in its table
    seconds = time.perf_counter() - started
    extra = {"rows": row_count, "queries": counter.count}
    if kind == CARD:
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
    elif kind.startswith(ROSTER):
        pdf, figures = render_roster_job(rows, run=kind)
        figures["peak_memory_mb"] = peak_memory_mb()
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
                "pdf_kb": round(len(pdf) / 1024),
                "peak_memory_mb": peak_memory_mb(),
                **figures,
            }
        )
    )


def run_case(kind: str, rows: int, timeout: int, env: dict | None = None) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--case", kind, str(rows)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env=env,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    # The machine is shared: the load when the case ended says how far to trust its seconds.
    result["load_average_after"] = round(os.getloadavg()[0], 1)
    print(result, flush=True)
    return result


def _peak_rss_mb(pid: int) -> int:
    """The largest VmHWM (peak resident memory) of ``pid`` and its child processes."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if int(status.parent.name) == pid or fields.get("PPid", "").strip() == str(pid):
            peaks.append(int(fields.get("VmHWM", "0 kB").split()[0]))
    return round(max(peaks, default=0) / 1024)


def run_with_workers(workers: int, rows: int, timeout: int, redis_port: int) -> dict:
    """The roster job taken by ``workers`` prefork worker processes of one real Celery worker."""
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    }
    log = RESULTS / f"pdfs_worker_{workers}.log"
    with open(log, "w") as log_file:
        worker = subprocess.Popen(
            [sys.executable, *WORKER_COMMAND.split(), str(workers), "-n", f"bench{workers}@%h"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "ready." not in log.read_text():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit(f"The Celery worker did not start: see {log}")
            time.sleep(0.5)
        result = run_case(f"{ROSTER}-{workers}-workers", rows, timeout, env)
        result["case"] = f"{ROSTER} ({workers} worker process{'es' if workers > 1 else ''})"
        result["workers"] = workers
        result["peak_memory_mb"] = _peak_rss_mb(worker.pid)  # the largest worker process
        return result
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        log.unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--roster-rows", type=int, default=20000, help="rows of the provider roster (a LIMIT)"
    )
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--redis-port", type=int, default=6420, help="the benchmark's own Redis")
    parser.add_argument("--timeout", type=int, default=1800, help="per case, seconds")
    parser.add_argument("--label", default="")
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        case(args.case[0], int(args.case[1]))
        return
    started_load = round(os.getloadavg()[0], 1)
    no_broker = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    roster = run_case(f"{ROSTER}-in-one-process", args.roster_rows, args.timeout, no_broker)
    roster["case"] = f"{ROSTER} (one process, Celery eager)"
    baseline = run_case(MINIMAL, roster["rows"], args.timeout)
    cases = [roster]
    redis = subprocess.Popen(
        ["redis-server", "--port", str(args.redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        cases += [
            run_with_workers(n, args.roster_rows, args.timeout, args.redis_port)
            for n in args.workers
        ]
    finally:
        redis.terminate()
        redis.wait(timeout=30)
    for measured in cases:
        measured["seconds_vs_baseline"] = round(measured["seconds"] / baseline["seconds"], 3)
        measured["speedup_vs_baseline"] = round(baseline["seconds"] / measured["seconds"], 1)
    cases.append(baseline)
    for kind, rows in ((PSA_BY_TOWN, 0), (CARD, 1)):
        measured = run_case(kind, rows, args.timeout)
        small_baseline = run_case(MINIMAL, measured["rows"], args.timeout)
        measured["seconds_vs_baseline"] = round(measured["seconds"] / small_baseline["seconds"], 2)
        cases += [measured, small_baseline]
    write_result(
        f"pdfs_{args.label}" if args.label else "pdfs",
        {
            "label": args.label,
            "roster_rows": args.roster_rows,
            "load_average_before": started_load,
            "cases": cases,
        },
    )


if __name__ == "__main__":
    main()
