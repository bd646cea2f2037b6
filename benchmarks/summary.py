"""Write benchmarks/results/SUMMARY.md from the JSON files the benchmarks wrote.

python benchmarks/summary.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS  # noqa: E402


def _load(pattern):
    found = {}
    for path in sorted(RESULTS.glob(pattern)):
        data = json.loads(path.read_text())
        label = data.get("label") or str(data.get("providers", ""))
        if label == "smoke":
            continue
        found[label] = data
    return dict(sorted(found.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0))


def _machine(m):
    return (
        f"{m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
        f"load average {m['load_average'][0]} at {m['at']}"
    )


def write_summary() -> Path:
    lines = ["# Benchmark summary", ""]
    run = RESULTS / "run.json"
    if run.exists():
        data = json.loads(run.read_text())
        lines += [f"Command: `{data['command']}`", "", f"Machine: {_machine(data['machine'])}.", ""]

    lines += ["## Seeding (`seed_demo --providers N`, PostgreSQL, COPY inserts)", ""]
    lines += [
        "| providers | seconds | per app (s) | peak memory | load before |",
        "|---:|---:|---|---:|---:|",
    ]
    for d in _load("seed_*.json").values():
        apps = ", ".join(f"{a['app']} {a['seconds']}" for a in d["apps"])
        lines.append(
            f"| {d['providers']:,} | {d['seconds']} | {apps} | {d['peak_memory_mb']} MB | "
            f"{d['machine']['load_average'][0]} |"
        )
    lines += ["", "Targets: 20,000 in < 60 s; 1,000,000 in < 15 min.", ""]

    verify = _load("verify_load_*.json")
    lines += [
        "## Verification under load (gunicorn on 127.0.0.1, load generator on the same cores)",
        "",
    ]
    lines += [
        "| providers | target | req/s | vs baseline | p50 ms | p95 ms | p99 ms | errors |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, d in verify.items():
        for t in d["targets"]:
            lines.append(
                f"| {label} | {t['target']} | {t['requests_per_second']} | "
                f"{t['throughput_vs_baseline']:.0%} | {t['p50_ms']} | {t['p95_ms']} | "
                f"{t['p99_ms']} | {t['errors']} |"
            )
    if verify:
        first = next(iter(verify.values()))
        lines += ["", f"Server: {first['server']}. Load: {first['load_generator']}.", ""]
    lines += [
        "Targets: API verify by number ≥ 50% of the baseline's throughput and p95 < 50 ms at "
        "20,000 providers; p95 at the larger size ≤ 1.5× the 20,000 figure.",
        "",
    ]

    lines += ["## Staff queues (admin changelists, oversight dashboard)", ""]
    lines += ["| providers | page | queries | p50 ms | p95 ms |", "|---:|---|---:|---:|---:|"]
    notes = set()
    for label, d in _load("staff_queues_*.json").items():
        notes.update(d.get("notes", []))
        for p in d["pages"]:
            lines.append(
                f"| {label} | {p['page']} | {p['queries']} | {p['p50_ms']} | {p['p95_ms']} |"
            )
    lines += [""] + [f"- {n}" for n in sorted(notes)] + [""]
    lines += [
        "Query counts are also asserted, independent of timing, in tests/perf/test_staff_queries.py.",
        "",
    ]

    lines += ["## Renewal submission under load", ""]
    for label, d in _load("renewal_load_*.json").items():
        r, b, c = d["renewal"], d["baseline"], d["checks"]
        lines += [
            f"At {label} providers: {d['providers']} providers, {d['concurrency']} at a time, each "
            f"{r['what']}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
            f"{r['providers_per_second']} providers/s (baseline, {b['what']}: p95 {b['p95_ms']} ms). "
            f"Submitted {c['submitted']}/{c['applications']}, lost {c['lost_applications']}, "
            f"duplicate payments {c['duplicate_payments']}, errors {c['error_count']}.",
            "",
        ]

    lines += [
        "## PDFs (registered documents, rendered as a document job renders them) against a "
        "minimal WeasyPrint document",
        "",
    ]
    lines += [
        "| providers | case | rows | seconds | pages | pages/s | peak memory | vs minimal |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes = set()
    for label, d in _load("pdfs_*.json").items():
        notes.update(f"{label}: {n}" for n in d.get("notes", []))
        if "roster_rows" not in d:  # written before the documents were registered
            notes.add(
                f"{label}: an older run ({d['machine']['at']}) through benchmark-only templates; "
                "re-run benchmarks/pdfs.py"
            )
        for c in d["cases"]:
            ratio = c.get("seconds_vs_baseline")
            lines.append(
                f"| {label} | {c['case']} | {c['rows']:,} | {c['seconds']} | {c['pages']} | "
                f"{c['pages_per_second']} | {c['peak_memory_mb']} MB | "
                f"{f'{ratio}×' if ratio else '—'} |"
            )
    lines += [
        "",
        "Each document (provider-roster, psa-by-town, certification-card) is the registered "
        "DocumentSpec, rendered with the calls documents.services.job_render makes; each is "
        "followed by its baseline, a minimal WeasyPrint document with the same number of rows "
        "(one row, one page, for the card), rendered in the same run. Every case runs in its own "
        "process.",
    ]
    lines += [""] + [f"- {n}" for n in sorted(notes)] + [""]

    lines += ["## Renewal reminders", ""]
    reminders = {}
    for path in RESULTS.glob("reminders_*.json"):
        data = json.loads(path.read_text())
        reminders[data["certifications"]] = data
    if reminders:
        lines += [
            "| certifications | in the database | emails sent | skipped (no email) | first run "
            "| batches | re-run | sent by the re-run | peak memory | load |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for count, r in sorted(reminders.items()):
            lines.append(
                f"| {count:,} | {r['certifications_in_database']:,} | {r['emails_sent']:,} | "
                f"{r['skipped_no_email']:,} | {r['first_run_seconds']} s | {r['batches']} | "
                f"{r['rerun_seconds']} s | {r['emails_sent_on_rerun']} | "
                f"{r['peak_memory_mb']} MB | {r['load_average']:.1f} |"
            )
        lines += [
            "",
            "N generated certifications expiring over the next 400 days, inserted beside the "
            "data set: a first run owes most of them a reminder (a catch-up, not a normal day). "
            "Celery eager, in one process; the mail backend builds each message and discards it.",
            "",
        ]
    else:
        lines += [
            "NOT MEASURED: run benchmarks/reminders.py (or run.py without --skip reminders).",
            "",
        ]
    lines += _notices_section()
    path = RESULTS / "SUMMARY.md"
    path.write_text("\n".join(lines))
    return path


def _notices_section() -> list[str]:
    """One notice to N recipients: two workers, a local SMTP sink, the 15-minute target."""
    runs = [json.loads(path.read_text()) for path in RESULTS.glob("notices_*.json")]
    lines = ["## Notices at scale", ""]
    if not runs:
        return lines + ["NOT MEASURED: run benchmarks/notices.py.", ""]
    lines += [
        "| recipients | wall | emails/s | 1,000,000 at that rate (target 900 s) | exactly once "
        "| re-sent by redelivery | worker peak RSS | worker CPU per email | load |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for run in sorted(runs, key=lambda r: r["audience"]["recipients"]):
        peaks = " / ".join(f"{w['peak_rss_mb']} MB" for w in run["workers_memory"])
        lines.append(
            f"| {run['audience']['recipients']:,} | {run['seconds']} s | "
            f"{run['emails_per_second']} | {run['projected_seconds_for_1000000']} s | "
            f"{'yes' if run['exactly_once'] else 'NO'} | "
            f"{run['sink_messages_after_redelivery']} | {peaks} | "
            f"{run['worker_cpu_ms_per_email']} ms | {run['machine']['load_average'][0]:.1f} |"
        )
    return lines + [""]


if __name__ == "__main__":
    print(write_summary().read_text())
