"""Notices at scale: one notice to N recipients, delivered by two Celery worker processes to a
local SMTP sink, timed, with each worker's peak memory and the sink's count of messages and
distinct recipients (exactly once: both equal the sent rows, no recipient twice).

    DATABASE_URL=postgres://.../oems_bench python benchmarks/notices.py --recipients 1000000

The database holds the state-scale generator's providers (``seed_demo --providers N`` or
benchmarks/seed_scale.py; the script says so when it has too few). The audience is "all active
providers" when that reaches about N, otherwise the expiry window that reaches at least N
(smallest such window, found by bisection), so one seeded database serves every size. The
script starts its own Redis (``--redis-port``), SMTP sink (benchmarks/smtp_sink.py) and workers
(``--workers``, solo pool: one process each), stops them all, then re-delivers a sample of
batches to show a redelivery mails nobody twice. Figures: benchmarks/results/notices_<N>.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, database_label, machine, write_result  # noqa: E402

PY = sys.executable


def rss_mb(pid: int) -> dict:
    """Current and peak resident memory of a process, from /proc (MB)."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = round(int(line.split()[1]) / 1024)
    return {"rss_mb": values.get("VmRSS", 0), "peak_rss_mb": values.get("VmHWM", 0)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (s)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_port(port: int, seconds: float = 20) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def choose_audience(target: int) -> tuple[dict, int]:
    """All active providers if they are about ``target`` (within 2%) or fewer, otherwise the
    smallest expiry window reaching at least ``target``."""
    from notices import selectors
    from notices.models import Notice
    from notices.rules import Audience

    everyone = selectors.audience_count(Notice(audience=Audience.ACTIVE_PROVIDERS))
    if everyone <= target * 1.02:
        return {"audience": Audience.ACTIVE_PROVIDERS}, everyone
    low, high = 0, 3650
    while low < high:
        middle = (low + high) // 2
        notice = Notice(audience=Audience.EXPIRING, expires_within_days=middle)
        if selectors.audience_count(notice) >= target:
            high = middle
        else:
            low = middle + 1
    fields = {"audience": Audience.EXPIRING, "expires_within_days": low}
    return fields, selectors.audience_count(Notice(**fields))


def main():  # noqa: C901 - one linear script: start, send, watch, check, stop
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-port", type=int, default=6410)
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--timeout", type=int, default=3600, help="give up after (s)")
    parser.add_argument("--expires-within", type=int, help="skip the search: this window")
    parser.add_argument("--redeliver", type=int, default=10, help="batches re-sent at the end")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="notices-bench-"))
    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    email_url = f"smtp://127.0.0.1:{args.smtp_port}"
    os.environ.update(
        REDIS_URL=redis_url,
        EMAIL_URL=email_url,
        DJANGO_SETTINGS_MODULE="oems_portal.settings",
        # as deployed: with DEBUG on, Django keeps the last 9,000 queries' SQL per connection
        # (a batch's INSERT of 1,000 rows is ~150 kB), which reads as a leak in the workers' RSS
        DEBUG="false",
    )
    processes: list[subprocess.Popen] = []

    def start(command, log_name, **kwargs):
        log = open(scratch / log_name, "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, **kwargs
        )
        processes.append(process)
        return process

    start(
        ["redis-server", "--port", str(args.redis_port), "--save", "", "--appendonly", "no"],
        "redis.log",
    )
    sink_report = scratch / "sink.json"
    start(
        [
            PY,
            "benchmarks/smtp_sink.py",
            "--port",
            str(args.smtp_port),
            "--report",
            str(sink_report),
            "--idle",
            "600",
        ],
        "sink.log",
    )
    wait_for_port(args.redis_port)
    wait_for_port(args.smtp_port)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts import roles
    from notices import services
    from notices.models import Notice, NoticeBatch, NoticeDelivery
    from notices.rules import NoticeStatus

    if connection.vendor != "postgresql":
        sys.exit("The notices benchmark runs on PostgreSQL: set DATABASE_URL.")
    workers = []
    try:
        if args.expires_within is not None:  # a window found by an earlier run
            from notices import selectors as notice_selectors

            fields = {"audience": "expiring", "expires_within_days": args.expires_within}
            audience = notice_selectors.audience_count(Notice(**fields))
        else:
            fields, audience = choose_audience(args.recipients)
        if audience < args.recipients * 0.5:
            sys.exit(
                f"Only {audience} active providers: seed more first "
                f"(python benchmarks/seed_scale.py --providers {args.recipients})."
            )
        env = {**os.environ}
        for index in range(args.workers):
            workers.append(
                start(
                    [
                        PY,
                        "-m",
                        "celery",
                        "-A",
                        "oems_portal",
                        "worker",
                        "--pool",
                        "solo",
                        "--loglevel",
                        "WARNING",
                        "-n",
                        f"notices{index}@%h",
                    ],
                    f"worker-{index}.log",
                    env=env,
                )
            )
        from celery import current_app

        deadline = time.monotonic() + 300
        while len(current_app.control.ping(timeout=1.0)) < args.workers:  # booted and listening
            if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                raise RuntimeError("the workers did not start: see " + str(scratch))
        cpu_before = [cpu_seconds(w.pid) for w in workers]
        roles.sync_role_permissions()  # a database migrated app by app may lack the new ones
        sender = get_user_model().objects.filter(groups__name=roles.SUPERVISOR).first()
        notice = Notice.objects.create(
            subject="Benchmark: a notice to everyone",
            body="The statewide protocols change on July 1.\n\nRead them on the portal.",
            created_by=sender,
            **fields,
        )
        started = time.perf_counter()
        services.notice_send(notice=notice, actor=sender)  # its dispatch task goes on commit
        memory_samples = []
        last_print = 0.0
        while True:
            time.sleep(2)
            notice.refresh_from_db()
            elapsed = time.perf_counter() - started
            sink = json.loads(sink_report.read_text() or "{}") if sink_report.exists() else {}
            memory_samples.append(
                {"seconds": round(elapsed), "sink_messages": sink.get("messages", 0)}
                | {f"worker_{i}_rss_mb": rss_mb(w.pid)["rss_mb"] for i, w in enumerate(workers)}
            )
            if elapsed - last_print >= 30:
                last_print = elapsed
                print(f"{elapsed:6.0f} s  sink {sink.get('messages', 0)} of {audience}", flush=True)
            if notice.status == NoticeStatus.SENT or elapsed > args.timeout:
                break
            if any(w.poll() is not None for w in workers):
                raise RuntimeError("a worker stopped: see " + str(scratch))
        seconds = time.perf_counter() - started
        time.sleep(2)  # the sink's report is written every second
        sink = json.loads(sink_report.read_text())
        memory = [rss_mb(w.pid) for w in workers]
        worker_cpu = [
            round(cpu_seconds(w.pid) - b, 1) for w, b in zip(workers, cpu_before, strict=True)
        ]
        # Redelivery: a sample of batches handed to the workers again as if never acknowledged
        sample = list(
            NoticeBatch.objects.filter(notice=notice)
            .order_by("?")
            .values_list("pk", flat=True)[: args.redeliver]
        )
        NoticeBatch.objects.filter(pk__in=sample).update(done_at=None)
        before = sink["messages"]
        for batch_id in sample:
            current_app.send_task("notices.tasks.send_notice_batch", args=[batch_id])
        deadline = time.monotonic() + 300
        while NoticeBatch.objects.filter(pk__in=sample, done_at__isnull=True).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(1)
        time.sleep(2)
        after = json.loads(sink_report.read_text())
        sent_rows = NoticeDelivery.objects.filter(notice=notice, status="sent").count()
        skipped_rows = NoticeDelivery.objects.filter(notice=notice, status="skipped").count()
        failed_rows = NoticeDelivery.objects.filter(notice=notice, status="failed").count()
        result = {
            "recipients_asked": args.recipients,
            "audience": {**fields, "recipients": audience},
            "database": database_label(),
            "workers": args.workers,
            "status": notice.status,
            "seconds": round(seconds, 1),
            "emails_per_second": round(sink["messages"] / seconds, 1),
            "target_seconds_for_1000000": 900,
            "projected_seconds_for_1000000": round(1_000_000 / (sink["messages"] / seconds)),
            "batches": NoticeBatch.objects.filter(notice=notice).count(),
            "delivery_rows": {"sent": sent_rows, "skipped": skipped_rows, "failed": failed_rows},
            "sink": sink,
            "exactly_once": sink["messages"] == sink["distinct_recipients"] == sent_rows
            and sink["duplicate_recipients"] == 0,
            "redelivered_batches": len(sample),
            "sink_messages_after_redelivery": after["messages"] - before,
            "workers_memory": memory,
            "workers_cpu_seconds": worker_cpu,
            "worker_cpu_ms_per_email": round(sum(worker_cpu) * 1000 / max(1, sink["messages"]), 2),
            "worker_rss_over_time": memory_samples[:: max(1, len(memory_samples) // 20)],
            "command": " ".join([f"nice -n {os.nice(0)}" if os.nice(0) else "", *sys.argv]).strip(),
            "machine": machine(),
        }
        write_result(f"notices_{args.recipients}", result)
        print(
            json.dumps({k: v for k, v in result.items() if k != "worker_rss_over_time"}, indent=2)
        )
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
