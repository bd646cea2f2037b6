"""Run every benchmark and write benchmarks/results/SUMMARY.md.

    # one size, the database in DATABASE_URL (seeded to N generated providers if it has fewer):
    python benchmarks/run.py --providers 20000
    # two sizes, each in its own database, re-created and seeded (timed) first:
    python benchmarks/run.py --size 20000=postgres://postgres@127.0.0.1:5432/oems_bench_20k \
        --size 200000=postgres://postgres@127.0.0.1:5432/oems_bench_200k --fresh

Each benchmark is its own script (run them alone too) and writes benchmarks/results/<name>.json;
this script runs them bounded (each has a time limit) and writes the summary. Renewal load and
PDFs run at the first size only (they do not depend on the row count beyond the roster's rows).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, ROOT, machine, write_result  # noqa: E402
from benchmarks.summary import write_summary  # noqa: E402

PY = sys.executable


def sh(args, env, timeout):
    print("$", " ".join(args), flush=True)
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=timeout)
    return time.perf_counter() - started


def seed(size, url, env, fresh):
    from urllib.parse import urlparse

    name = urlparse(url).path.lstrip("/")
    host = urlparse(url).hostname or "127.0.0.1"
    user = urlparse(url).username or "postgres"
    if fresh:
        subprocess.run(["dropdb", "-h", host, "-U", user, "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", host, "-U", user, name], check=True)
        sh([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env, 1800)
        sh([PY, "manage.py", "seed_demo"], env, 1800)  # the hand-made demo, not timed
    load_before = os.getloadavg()[0]
    seconds = sh([PY, "benchmarks/seed_scale.py", "--providers", str(size)], env, 3600)
    return {"providers": size, "wall_seconds_total": round(seconds, 1), "load_before": load_before}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, help="one size, in DATABASE_URL")
    parser.add_argument("--size", action="append", default=[], help="N=DATABASE_URL")
    parser.add_argument("--fresh", action="store_true", help="drop, create and seed each database")
    parser.add_argument("--pdf-rows", type=int, default=20000)
    parser.add_argument("--renewal-providers", type=int, default=40)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help="verify, staff, renewal, pdfs, reminders, notices",
    )
    args = parser.parse_args()
    sizes = [(int(s.split("=", 1)[0]), s.split("=", 1)[1]) for s in args.size]
    if args.providers:
        sizes.insert(0, (args.providers, os.environ.get("DATABASE_URL", "")))
    if not sizes or not all(url.startswith("postgres") for _, url in sizes):
        sys.exit("Benchmarks run on PostgreSQL: set DATABASE_URL or pass --size N=postgres://...")
    RESULTS.mkdir(parents=True, exist_ok=True)
    run = {"machine": machine(), "sizes": [n for n, _ in sizes], "command": " ".join(sys.argv)}
    for size, url in sizes:
        env = {**os.environ, "DATABASE_URL": url}
        label = str(size)
        run[f"seed_{label}"] = seed(size, url, env, args.fresh)
        if "verify" not in args.skip:
            sh(
                [
                    PY,
                    "benchmarks/verify_load.py",
                    "--label",
                    label,
                    "--requests",
                    str(args.requests),
                    "--seconds",
                    str(args.seconds),
                ],
                env,
                900,
            )
        if "staff" not in args.skip:
            sh([PY, "benchmarks/staff_queues.py", "--label", label], env, 1800)
        if "reminders" not in args.skip:
            # its own generated certifications (removed afterwards), as many as the size
            sh([PY, "benchmarks/reminders.py", "--certifications", label], env, 3600)
        if "notices" not in args.skip:
            # one notice to as many seeded providers as the size, two workers, an SMTP sink
            sh([PY, "benchmarks/notices.py", "--recipients", label], env, 3600)
    # Renewal load and PDFs at the first size, after the load tests (the longest last).
    size, url = sizes[0]
    env, label = {**os.environ, "DATABASE_URL": url}, str(size)
    if "renewal" not in args.skip:
        sh(
            [
                PY,
                "benchmarks/renewal_load.py",
                "--label",
                label,
                "--providers",
                str(args.renewal_providers),
            ],
            env,
            1800,
        )
    if "pdfs" not in args.skip:
        sh(
            [PY, "benchmarks/pdfs.py", "--label", label, "--roster-rows", str(args.pdf_rows)],
            env,
            7200,
        )
    run["machine_after"] = machine()
    write_result("run", run)
    print(write_summary())


if __name__ == "__main__":
    main()
