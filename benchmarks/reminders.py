"""Time a renewal-reminder run over N certifications (state scale), then the re-run that finds
nothing owed.

    DATABASE_URL=postgres://... python benchmarks/reminders.py --certifications 20000

Uses the database in DATABASE_URL (migrated first) and inserts N generated providers with one
certification each, expiring over the next 400 days (so a first run owes a reminder to most of
them: the catch-up worst case, not a normal day), with one INSERT ... SELECT from
generate_series in PostgreSQL, so the Python process holds none of them and its peak memory is
the run's own. Then ``reminders_dispatch`` with Celery eager and a mail backend that counts
and discards (benchmarks/mail.py), the re-run, and the inserted rows deleted again. Figures go
to benchmarks/results/reminders_<N>.json.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PREFIX = "BENCH"  # the generated providers' last name
NUMBER_PREFIX = "B"  # and their certification numbers: B0000000 ... (no real number starts so)

INSERT_PROVIDERS = """
    INSERT INTO providers_provider (first_name, middle_name, last_name, other_names,
        date_of_birth, ssn_hmac, ssn_last4, email, phone, address_line1, address_line2, city,
        state, postal_code, nremt_number, created_at, updated_at)
    SELECT 'Bench' || i, '', %(prefix)s, '', DATE '1990-01-01',
        'bench' || lpad(i::text, 59, '0'), '0000',
        CASE WHEN i %% 50 = 0 THEN '' ELSE 'bench' || i || '@example.com' END,
        '', '', '', '', 'CT', '', '', now(), now()
    FROM generate_series(0, %(count)s - 1) AS i
"""
INSERT_CERTIFICATIONS = """
    INSERT INTO providers_certification (provider_id, number, level, issued_on, expires_on,
        discipline, discipline_reason, created_at, updated_at)
    SELECT p.id, %(number_prefix)s || lpad(substr(p.first_name, 6), 7, '0'), 'emt',
        %(today)s::date - 400, %(today)s::date + (substr(p.first_name, 6)::int %% 400),
        '', '', now(), now()
    FROM providers_provider p WHERE p.last_name = %(prefix)s
"""
CLEAN_UP = [
    """DELETE FROM providers_remindersent WHERE certification_id IN (
        SELECT id FROM providers_certification WHERE number LIKE %(number_prefix)s || '%%')""",
    "DELETE FROM providers_certification WHERE number LIKE %(number_prefix)s || '%%'",
    "DELETE FROM providers_provider WHERE last_name = %(prefix)s",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--certifications", type=int, default=20000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oems_portal.settings")
    os.environ.pop("REDIS_URL", None)  # eager tasks: the run is measured end to end here
    import logging

    import django

    django.setup()
    logging.getLogger("celery").setLevel(logging.WARNING)  # not a line per batch
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import mail

    settings.EMAIL_BACKEND = "benchmarks.mail.CountingBackend"
    call_command("migrate", verbosity=0)
    from providers.models import Certification
    from providers.reminders import services as reminder_services
    from providers.reminders.models import ReminderSent

    if connection.vendor != "postgresql":
        sys.exit("The reminders benchmark runs on PostgreSQL: set DATABASE_URL.")
    today = date.today()
    count = args.certifications
    params = {"prefix": PREFIX, "number_prefix": NUMBER_PREFIX, "count": count, "today": today}

    def clean_up(reminders_after=None):
        with connection.cursor() as cursor:
            if reminders_after is not None:  # this run's reminders to the data set's own rows
                cursor.execute(
                    "DELETE FROM providers_remindersent WHERE id > %s", [reminders_after]
                )
            for statement in CLEAN_UP:
                cursor.execute(statement, params)

    clean_up()  # what an interrupted run may have left
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(INSERT_PROVIDERS, params)
        cursor.execute(INSERT_CERTIFICATIONS, params)
        cursor.execute("ANALYZE providers_provider")
        cursor.execute("ANALYZE providers_certification")
    insert_seconds = time.perf_counter() - started
    in_database = Certification.objects.count()
    last_reminder = ReminderSent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        mail.CountingBackend.sent = 0
        reminders_before = ReminderSent.objects.count()
        started = time.perf_counter()
        batches = reminder_services.reminders_dispatch(today=today)
        first = time.perf_counter() - started
        sent = mail.CountingBackend.sent
        skipped = ReminderSent.objects.filter(
            status="skipped", certification__number__startswith=NUMBER_PREFIX
        ).count()
        reminders_written = ReminderSent.objects.count() - reminders_before
        started = time.perf_counter()
        again = reminder_services.reminders_dispatch(today=today)
        rerun = time.perf_counter() - started
        sent_again = mail.CountingBackend.sent - sent  # must be 0: each reminder goes once
    finally:
        clean_up(reminders_after=last_reminder)
    result = {
        "certifications": count,
        "certifications_in_database": in_database,
        "insert_seconds": round(insert_seconds, 1),
        "reminders_written": reminders_written,
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
    (RESULTS / f"reminders_{count}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
