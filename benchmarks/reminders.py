"""Time a renewal-reminder run over N certifications (state scale), then the re-run that finds
nothing owed.

    DATABASE_URL=postgres://... python benchmarks/reminders.py --certifications 20000

Uses the database in DATABASE_URL (migrated first), inserts N generated providers with
certifications expiring over the next 400 days (bulk), runs ``reminders_dispatch`` with
Celery eager and the in-memory email backend, and deletes what it inserted. Figures go to
benchmarks/results/reminders.json and .md.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PREFIX = "BENCH"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--certifications", type=int, default=20000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oems_portal.settings")
    os.environ.pop("REDIS_URL", None)  # eager tasks: the run is measured end to end here
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    from providers import reminder_services
    from providers.models import Certification, Provider, ReminderSent

    today = date.today()
    count = args.certifications
    try:
        providers = Provider.objects.bulk_create(
            (
                Provider(
                    first_name=f"Bench{index}",
                    last_name=PREFIX,
                    date_of_birth=date(1990, 1, 1),
                    ssn_hmac=f"bench{index:059d}",
                    ssn_last4="0000",
                    email=f"bench{index}@example.com" if index % 50 else "",
                )
                for index in range(count)
            ),
            batch_size=2000,
        )
        Certification.objects.bulk_create(
            (
                Certification(
                    provider=provider,
                    number=f"E{800000 + index:06d}"[:7],
                    level="emt",
                    issued_on=today - timedelta(days=400),
                    expires_on=today + timedelta(days=index % 400),
                )
                for index, provider in enumerate(providers)
            ),
            batch_size=2000,
        )
        mail.outbox = []
        started = time.perf_counter()
        batches = reminder_services.reminders_dispatch(today=today)
        first = time.perf_counter() - started
        sent = len(mail.outbox)
        skipped = ReminderSent.objects.filter(status="skipped").count()
        started = time.perf_counter()
        again = reminder_services.reminders_dispatch(today=today)
        rerun = time.perf_counter() - started
        sent_again = len(mail.outbox) - sent  # must be 0: each reminder goes exactly once
    finally:
        ReminderSent.objects.filter(certification__provider__last_name=PREFIX).delete()
        Certification.objects.filter(provider__last_name=PREFIX).delete()
        Provider.objects.filter(last_name=PREFIX).delete()
    result = {
        "certifications": count,
        "database": connection.vendor,
        "batches": batches,
        "emails_sent": sent,
        "skipped_no_email": skipped,
        "first_run_seconds": round(first, 1),
        "rerun_batches": again,
        "emails_sent_on_rerun": sent_again,
        "rerun_seconds": round(rerun, 2),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "load_average": os.getloadavg()[0],
        "machine": platform.machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reminders.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "reminders.md").write_text(
        "| certifications | database | batches | emails sent | skipped (no email) | first run | "
        "re-run | sent by the re-run | peak memory | load |\n"
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {count:,} | {connection.vendor} | {batches} | {sent:,} | {skipped} | "
        f"{result['first_run_seconds']} s | {result['rerun_seconds']} s ({again} batches) | "
        f"{sent_again} | {result['peak_memory_mb']} MB | {result['load_average']:.1f} |\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
