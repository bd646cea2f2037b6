"""Verification under concurrent load, against a bare Django view in the same run.

    python benchmarks/verify_load.py [--requests 3000] [--seconds 30] [--concurrency 8]

Starts gunicorn on 127.0.0.1 (gunicorn.conf.py, as deployed: (2 x cores) + 1 sync workers;
benchmark settings: DEBUG off, the API throttle's rate raised), then a load generator in a second process (threads, one connection per
request, bounded by a request count AND a time limit per target) against:

* ``/__bench__/baseline/``: a bare view, the whole middleware stack, no database;
* ``/__bench__/baseline/<bytes>/``: the same with a body as long as the verify page's;
* ``/api/v1/verify/<number>/`` with numbers drawn from the database;
* ``/verify/?number=`` and ``/verify/?last_name=&first_name=`` (the public page).

Writes p50/p95/p99 and requests/s per target to benchmarks/results/verify_load.json.
Server and load generator share the machine's cores; the figures say so.
"""

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, latency_summary, machine, write_result  # noqa: E402

PORT = 8765


def run_target(targets, args) -> dict:
    """Hit ``targets`` with ``args.concurrency`` threads until ``args.requests`` requests or
    ``args.seconds`` have gone by, whichever comes first."""
    latencies, statuses = [], {}
    lock = threading.Lock()
    counter = iter(range(args.requests))
    deadline = time.perf_counter() + args.seconds

    def get(path):
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Connection": "close"})
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            return "error"
        finally:
            connection.close()

    def worker():
        rng = random.Random()
        while time.perf_counter() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            status = get(rng.choice(targets))
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(elapsed)

    for path in targets[:20]:  # warm up (templates, connections), not measured
        get(path)
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def generate(args):
    """Load generator (runs in its own process): prints one JSON line per target. The targets
    take turns over ``args.rounds`` rounds (each a share of the requests and the time), so a
    change in the machine's load (the cores are shared) falls on all of them alike."""
    paths = json.loads(Path(args.paths_file).read_text())
    share = argparse.Namespace(
        **{
            **vars(args),
            "requests": args.requests // args.rounds,
            "seconds": args.seconds / args.rounds,
        }
    )
    runs: dict[str, list] = {name: [[], {}, 0.0] for name in paths}
    for _ in range(args.rounds):
        for name, targets in paths.items():
            latencies, statuses, wall = run_target(targets, share)
            runs[name][0].extend(latencies)
            for status, n in statuses.items():
                runs[name][1][status] = runs[name][1].get(status, 0) + n
            runs[name][2] += wall
    for name, (latencies, statuses, wall) in runs.items():
        result = {
            "target": name,
            "wall_seconds": round(wall, 2),
            "requests_per_second": round(len(latencies) / wall, 1) if wall else 0,
            "errors": sum(v for k, v in statuses.items() if k != 200),
            "statuses": {str(k): v for k, v in statuses.items()},
            **latency_summary(latencies),
        }
        print(json.dumps(result), flush=True)


def sample_paths(count=400):
    from benchmarks.common import setup_django

    setup_django()
    from django.test import Client

    from providers.models import Certification

    rows = list(
        Certification.objects.order_by("?").values_list(
            "number", "provider__last_name", "provider__first_name"
        )[:count]
    )
    # The bare view again with a body as long as the page's: the share of the page's cost that
    # is its bytes (written by the server, read by the generator on the same cores).
    page_bytes = len(Client().get(f"/verify/?number={rows[0][0]}").content)
    return {
        "baseline (no database)": ["/__bench__/baseline/"],
        f"baseline, {page_bytes:,} bytes (the page's size)": [f"/__bench__/baseline/{page_bytes}/"],
        "api verify by number": [f"/api/v1/verify/{n}/" for n, _, _ in rows],
        "page verify by number": [f"/verify/?number={n}" for n, _, _ in rows],
        "page verify by name": [
            f"/verify/?last_name={last}&first_name={first[:3]}" for _, last, first in rows
        ],
    }


def wait_for_port(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _deployed_workers() -> int:
    import runpy

    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000, help="per target, at most")
    parser.add_argument("--seconds", type=float, default=30, help="per target, at most")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="targets take turns this often")
    parser.add_argument(
        "--workers", type=int, default=None, help="default: gunicorn.conf.py's, as deployed"
    )
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--label", default="", help="e.g. the data set size")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--paths-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args)
        return

    if args.workers is None:
        args.workers = _deployed_workers()
    paths = sample_paths()
    paths_file = Path("/tmp") / f"oems-bench-paths-{os.getpid()}.json"
    paths_file.write_text(json.dumps(paths))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "oems_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(args.port)
        before = os.getloadavg()[0]
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                "--paths-file",
                str(paths_file),
                "--requests",
                str(args.requests),
                "--seconds",
                str(args.seconds),
                "--concurrency",
                str(args.concurrency),
                "--rounds",
                str(args.rounds),
                "--port",
                str(args.port),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=len(paths) * (args.seconds + 60),
        ).stdout
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        paths_file.unlink(missing_ok=True)
    targets = [json.loads(line) for line in output.strip().splitlines()]
    baseline = targets[0]
    for target in targets:
        target["throughput_vs_baseline"] = round(
            target["requests_per_second"] / baseline["requests_per_second"], 2
        )
    data = {
        "label": args.label,
        "server": f"gunicorn, {args.workers} sync workers, 127.0.0.1",
        "load_generator": f"Python threads in a second process, {args.concurrency} concurrent, "
        f"at most {args.requests} requests and {args.seconds} s per target in {args.rounds} "
        "rounds taking turns, on the same cores",
        "load_average_before": round(before, 2),
        "machine_after": machine(),
        "targets": targets,
    }
    name = f"verify_load_{args.label}" if args.label else "verify_load"
    write_result(name, data)
    for target in targets:
        print(target)


if __name__ == "__main__":
    main()
