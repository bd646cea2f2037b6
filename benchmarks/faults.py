"""Faults, measured on a state-sized database: killed workers, a broker outage, PostgreSQL down.

    createdb oems_faults && export DATABASE_URL=postgres://postgres@127.0.0.1:5432/oems_faults
    python manage.py migrate && python manage.py seed_demo --providers 20000
    python benchmarks/faults.py

Run it on a benchmark database only: it deletes the database's renewal-reminder records first
(so the run owes the catch-up reminders of the whole state) and adds payments and complaints.
It starts its own Redis servers (ports 6393 and 6394), its own worker processes, its own SMTP
server (aiosmtpd, counting what it accepted per recipient), its own gunicorn and its own TCP
proxy in front of PostgreSQL; it never stops the machine's shared services.

1. **Reminders, workers killed**: the daily reminder run through a real worker and real SMTP;
   the worker is SIGKILLed at 25%, 50% and 75% of the run and a new one started each time.
   Reported: reminders owed, sent, missing, and duplicates (emails accepted twice).
2. **A 30-second broker outage**: Redis (broker) is stopped; for 30 seconds card payments and
   public complaints are made as fast as one process can; Redis comes back, the beat relay
   (``relay_outbox``) runs every OUTBOX_RELAY_SECONDS. Reported: saved, emails delivered after
   recovery, and the time from recovery to the last email.
3. **PostgreSQL down**: gunicorn reaches PostgreSQL through the proxy; the proxy is stopped for
   10 seconds and restarted, three times. Reported: the status and latency of pages during the
   outage, and the time from the database's return to the first page served.

Figures: benchmarks/results/faults_<N>.json, written up in docs/reliability.md.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oems_portal.settings")
os.environ.pop("REDIS_URL", None)  # this process points Celery at its own Redis (below)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.db import connection  # noqa: E402

from benchmarks.common import RESULTS, write_result  # noqa: E402
from core import outbox  # noqa: E402
from core.models import OutboxMessage, OutboxStatus  # noqa: E402
from tests.celery_broker import celery_on  # noqa: E402
from tests.faults.conftest import (  # noqa: E402
    ExtraRedis,
    TCPProxy,
    WorkerProcess,
    port_is_open,
    wait_for,
)

logging.getLogger("core.outbox").setLevel(logging.ERROR)  # a warning per refused publish
logging.getLogger("celery").setLevel(logging.WARNING)
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: lines per message
LOGS = ROOT / "benchmarks" / "results" / "faults-logs"


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def worker_env(**overrides) -> dict:
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "EMAIL_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="oems_portal.settings",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class Recorder:
    def __init__(self):
        self.received = Counter()

    async def handle_DATA(self, server, session, envelope):
        for recipient in envelope.rcpt_tos:
            self.received[recipient] += 1
        return "250 Message accepted for delivery"


def smtp_server():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    return recorder, controller, f"smtp://127.0.0.1:{port}"


# 1. reminders, workers killed -------------------------------------------------------------------


def reminders_killed(*, kills=(0.25, 0.50, 0.75), visibility=10, claim_stale=5) -> dict:
    from providers import tasks
    from providers.reminders import services as reminder_services
    from providers.reminders.models import ReminderSent, ReminderStatus

    ReminderSent.objects.all().delete()
    today = date.today()
    thresholds = reminder_services.active_thresholds()
    owed = set()
    for threshold in thresholds:
        ids = reminder_services.reminder_candidates(
            threshold=threshold, today=today, thresholds=thresholds
        ).values_list("pk", flat=True)
        owed.update((pk, threshold.pk) for pk in ids)
    done_statuses = [ReminderStatus.SENT, ReminderStatus.SKIPPED]

    def done() -> int:
        return ReminderSent.objects.filter(status__in=done_statuses).count()

    recorder, controller, smtp_url = smtp_server()
    redis = ExtraRedis(6393)
    redis.start()
    env = worker_env(
        REDIS_URL=redis.url,
        EMAIL_URL=smtp_url,
        CELERY_VISIBILITY_TIMEOUT=visibility,
        REMINDER_CLAIM_STALE_SECONDS=claim_stale,
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    workers = [WorkerProcess(env, LOGS / "reminders-worker-0.log").start()]
    in_flight_at_kill = []
    started = time.monotonic()
    try:
        with celery_on(redis.url, results=False):
            outbox.enqueue(tasks.send_renewal_reminders, today.isoformat())
        for fraction in kills:
            wait_for(lambda f=fraction: done() >= f * len(owed), timeout=1800, interval=0.05)
            workers[-1].kill()
            # claimed, not marked: the rows the dead worker was sending (their email is
            # recorded only when marked, so their ids are kept and read back at the end)
            in_flight_at_kill.append(
                list(
                    ReminderSent.objects.filter(status=ReminderStatus.CLAIMED).values_list(
                        "pk", flat=True
                    )
                )
            )
            log = LOGS / f"reminders-worker-{len(workers)}.log"
            workers.append(WorkerProcess(env, log).start())
        wait_for(lambda: done() >= len(owed), timeout=1800, interval=0.5)
        elapsed = time.monotonic() - started
        time.sleep(visibility + 5)  # any late redelivery would show up as a duplicate now
    finally:
        for worker in workers:
            worker.stop()
        redis.stop()
        controller.stop()

    rows = ReminderSent.objects.filter(status=ReminderStatus.SENT)
    expected = Counter(rows.values_list("email", flat=True))
    finished = set(
        ReminderSent.objects.filter(status__in=done_statuses).values_list(
            "certification_id", "threshold_id"
        )
    )
    missing = len(owed - finished)
    not_delivered = sum(max(0, n - recorder.received[email]) for email, n in expected.items())
    duplicates = {
        email: recorder.received[email] - n
        for email, n in expected.items()
        if recorder.received[email] > n
    }
    in_flight_emails = set(
        ReminderSent.objects.filter(
            pk__in=[pk for claimed in in_flight_at_kill for pk in claimed]
        ).values_list("email", flat=True)
    )
    in_window = [email for email in duplicates if email in in_flight_emails]
    return {
        "reminders_owed": len(owed),
        "sent": rows.count(),
        "skipped_no_email": ReminderSent.objects.filter(status=ReminderStatus.SKIPPED).count(),
        "emails_accepted_by_smtp": sum(recorder.received.values()),
        "kills": len(kills),
        "claimed_in_flight_at_each_kill": [len(c) for c in in_flight_at_kill],
        "taken_over_after_a_kill": ReminderSent.objects.filter(attempts__gt=1).count(),
        "missing": missing,
        "marked_sent_but_not_delivered": not_delivered,
        "duplicates": sum(duplicates.values()),
        "duplicates_inside_the_window": len(in_window),
        "duplicates_outside_the_window": sum(duplicates.values()) - len(in_window),
        "wall_seconds_with_kills": round(elapsed, 1),
        "settings": {
            "CELERY_VISIBILITY_TIMEOUT": visibility,
            "REMINDER_CLAIM_STALE_SECONDS": claim_stale,
        },
    }


# 2. a 30-second broker outage -------------------------------------------------------------------


def broker_outage(*, seconds=30, relay_every=10) -> dict:
    from accounts.models import User
    from complaints import services as complaints_services
    from complaints.models import Category, Complaint
    from organizations.models import Town
    from payments.models import Payment, PaymentStatus
    from tests.payments.factories import (
        OrganizationFactory,
        ensure_opening_fees,
        open_invoice,
        pay_by_card,
    )

    ensure_opening_fees()
    recorder, controller, smtp_url = smtp_server()
    redis = ExtraRedis(6394)
    redis.start()
    env = worker_env(REDIS_URL=redis.url, EMAIL_URL=smtp_url)
    worker = WorkerProcess(env, LOGS / "outage-worker.log").start()
    town = Town.objects.order_by("pk").first()
    run = uuid.uuid4().hex[:8]
    payments, complaints, request_seconds = [], [], []
    try:
        with celery_on(redis.url, results=False):
            redis.stop()  # the broker is down from here
            outage_started = time.monotonic()
            index = 0
            while time.monotonic() - outage_started < seconds:
                index += 1
                began = time.monotonic()
                payer = User.objects.create_user(
                    email=f"outage-{run}-{index}@example.com", password="x" * 12
                )
                organization = OrganizationFactory(number=f"OUT-{run}-{index}")
                payment = pay_by_card(open_invoice(payer, organization))
                payments.append((payment.pk, payer.email))
                complaint = complaints_services.complaint_file(
                    incident_date=date.today(),
                    incident_town=town,
                    category=Category.values[0],
                    narrative="Filed during a broker outage (benchmark).",
                    subject_description="A benchmark subject",
                    complainant_name="Benchmark",
                    complainant_email=f"complaint-{run}-{index}@example.com",
                )
                complaints.append((complaint.pk, complaint.complainant_email))
                request_seconds.append(time.monotonic() - began)
            pending_at_recovery = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count()
            redis.start()  # the broker is back (empty: a restarted Redis)
            recovered = time.monotonic()
            expected = [email for _, email in payments] + [email for _, email in complaints]

            def all_delivered():
                return all(recorder.received[email] >= 1 for email in expected)

            while not all_delivered() and time.monotonic() - recovered < 600:
                outbox.relay_pending()  # what beat's relay_outbox does every relay_every s
                deadline = time.monotonic() + relay_every
                while time.monotonic() < deadline and not all_delivered():
                    time.sleep(0.2)
            last_email_after = time.monotonic() - recovered
    finally:
        worker.stop()
        redis.stop()
        controller.stop()
    saved_payments = Payment.objects.filter(
        pk__in=[pk for pk, _ in payments], status=PaymentStatus.SETTLED
    ).count()
    saved_complaints = Complaint.objects.filter(pk__in=[pk for pk, _ in complaints]).count()
    return {
        "outage_seconds": seconds,
        "card_payments_made": len(payments),
        "card_payments_saved": saved_payments,
        "receipts_delivered_after_recovery": sum(
            1 for _, email in payments if recorder.received[email] >= 1
        ),
        "complaints_filed": len(complaints),
        "complaints_saved": saved_complaints,
        "complaint_receipts_delivered_after_recovery": sum(
            1 for _, email in complaints if recorder.received[email] >= 1
        ),
        "duplicate_emails": sum(n - 1 for n in recorder.received.values() if n > 1),
        "outbox_pending_when_the_broker_returned": pending_at_recovery,
        "seconds_from_recovery_to_the_last_email": round(last_email_after, 1),
        "relay_every_seconds": relay_every,
        "payment_plus_complaint_seconds_during_outage": {
            "p50": round(sorted(request_seconds)[len(request_seconds) // 2], 2),
            "max": round(max(request_seconds), 2),
        },
    }


# 3. PostgreSQL down -----------------------------------------------------------------------------


def _get(url):
    began = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - began


def database_down(*, rounds=3, down_seconds=10) -> dict:
    proxy = TCPProxy(int(connection.settings_dict["PORT"] or 5432))
    proxy.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = worker_env(DEBUG="false")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"
    log = open(LOGS / "gunicorn.log", "wb")  # noqa: SIM115
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oems_portal.wsgi:application",
            "-c",
            "gunicorn.conf.py",
        ],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "3"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        wait_for(lambda: port_is_open(port), timeout=120)
        wait_for(lambda: _get(base + "/")[0] == 200, timeout=60)
        for _ in range(rounds):
            proxy.stop()
            during = []
            stop_at = time.monotonic() + down_seconds
            while time.monotonic() < stop_at:
                during.append(_get(base + "/verify/?last_name=Doe"))
            proxy.start()
            back = time.monotonic()
            while _get(base + "/verify/?last_name=Doe")[0] != 200 and time.monotonic() - back < 120:
                time.sleep(0.05)
            recovered = time.monotonic() - back
            results.append(
                {
                    "statuses_during_outage": dict(Counter(status for status, _ in during)),
                    "max_latency_during_outage_s": round(max(s for _, s in during), 2),
                    "seconds_to_recover": round(recovered, 2),
                }
            )
    finally:
        web.terminate()
        web.wait(timeout=30)
        proxy.stop()
        log.close()
    return {
        "rounds": results,
        "worst_seconds_to_recover": max(r["seconds_to_recover"] for r in results),
        "restarts_needed": 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--outage-seconds", type=int, default=30)
    parser.add_argument("--only", choices=["reminders", "outage", "database"])
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/faults.py needs DATABASE_URL pointing at PostgreSQL")
    from providers.models import Provider

    providers = Provider.objects.count()
    LOGS.mkdir(parents=True, exist_ok=True)
    size = round(providers, -3)
    earlier = RESULTS / f"faults_{size}.json"
    figures = {}
    if args.only and earlier.exists():  # one part re-run: keep the others' figures
        import json

        figures = json.loads(earlier.read_text())
        figures.pop("benchmark", None)
        figures.pop("machine", None)
    figures.update(providers=providers, database=connection.settings_dict["NAME"])
    parts = {
        "reminders": ("reminders_killed_workers", reminders_killed, {}),
        "outage": ("broker_outage", broker_outage, {"seconds": args.outage_seconds}),
        "database": ("postgresql_down", database_down, {}),
    }
    for name, (key, run, kwargs) in parts.items():
        if args.only in (None, name):
            figures[key] = run(**kwargs)
            print(key, figures[key], flush=True)
            path = write_result(f"faults_{size}", figures)  # after each part: nothing lost
    print(f"written {path}")


if __name__ == "__main__":
    main()
