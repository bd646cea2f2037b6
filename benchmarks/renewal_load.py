"""Renewal submission under load: N providers at once, each requesting the fee, paying by card
with the test-mode gateway (twice at once, as a double click does: same idempotency key) and
submitting, through the services, on PostgreSQL.

    python benchmarks/renewal_load.py [--providers 40] [--concurrency 8] [--seconds 300]

Set-up (not timed): N new providers with a certification expiring in 60 days, their CE and a
complete draft application (``@bench.example.com`` accounts). Timed: fee → pay ×2 → submit per
provider, ``--concurrency`` threads, each on its own database connection. Baseline in the same
run: the same threads doing one ``SELECT 1`` round trip per step instead. Checked afterwards:
exactly one settled payment per invoice, every application submitted (none lost).
"""

import argparse
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import latency_summary, setup_django, write_result  # noqa: E402


def prepare(count, run):
    from datetime import timedelta

    from django.utils import timezone

    from accounts import roles
    from accounts.demo import ensure_user
    from providers import rules, services
    from providers.demo import _complete_ce, _fill_steps

    today = timezone.localdate()
    applications = []
    for index in range(count):
        provider = services.provider_create(
            first_name="Bench",
            last_name=f"Renewal{run}x{index}",
            date_of_birth=today.replace(year=1985),
            ssn=f"{(int(run, 16) * 1000 + index) % 1_000_000_000:09d}",
            email=f"bench-{run}-{index}@bench.example.com",
            address_line1="1 Bench Street",
            city="Hartford",
            state="CT",
            postal_code="06103",
        )
        expires_on = today + timedelta(days=60)
        certification = services.certification_create(
            provider=provider,
            level=rules.Level.EMT,
            number=f"E{900000 + (int(run, 16) * 100 + index) % 100000:06d}",
            issued_on=rules.add_years(expires_on, -2),
            expires_on=expires_on,
        )
        user = ensure_user(
            email=provider.email, full_name="Bench", role=roles.PROVIDER, is_staff=False
        )
        provider.user = user
        provider.save(update_fields=["user"])
        _complete_ce(certification, actor=user)
        application = services.renewal_start(certification=certification, user=user)
        applications.append(_fill_steps(application, user))
    return applications


def renew(application_pk):
    """One provider: fee, two simultaneous payments with one key on the test processor's hosted
    page (its signed webhook confirms it), submit. Returns seconds."""
    from django.db import connection

    from payments.models import PaymentMethod
    from payments.selectors import invoice_for
    from payments.services import payment_start
    from providers import services
    from providers.models import RenewalApplication
    from test_processor.services import pay_hosted

    started = time.perf_counter()
    try:
        application = RenewalApplication.objects.select_related("applicant").get(pk=application_pk)
        user = application.applicant
        services.renewal_request_fee(application=application, actor=user)
        invoice = invoice_for(subject=application)
        key = uuid.uuid4()

        def pay():
            try:
                payment = payment_start(
                    invoice=invoice, payer=user, method=PaymentMethod.CARD, idempotency_key=key
                )
                return pay_hosted(payment, number="4242424242424242")
            finally:
                connection.close()

        with ThreadPoolExecutor(2) as double_click:
            list(double_click.map(lambda _: pay(), range(2)))
        application.refresh_from_db()
        services.renewal_submit(application=application, actor=user)
        return time.perf_counter() - started, None
    except Exception as error:  # recorded, counted, reported
        return time.perf_counter() - started, f"{type(error).__name__}: {error}"
    finally:
        connection.close()


def baseline(_):
    from django.db import connection

    started = time.perf_counter()
    for _step in range(6):  # about as many steps as a renewal takes, one round trip each
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    connection.close()
    return time.perf_counter() - started, None


def run_pool(function, items, concurrency, seconds):
    """Bounded: at most len(items) calls, stops submitting after ``seconds``."""
    deadline = time.perf_counter() + seconds
    results, lock = [], threading.Lock()
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = []
        for item in items:
            if time.perf_counter() > deadline:
                break
            futures.append(pool.submit(function, item))
        for future in futures:
            result = future.result(timeout=max(1, seconds))
            with lock:
                results.append(result)
    return results, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.db.models import Count, Q

    from payments.models import Invoice, PaymentStatus
    from providers.models import RenewalApplication, RenewalStatus

    if connection.vendor != "postgresql":
        sys.exit("renewal_load needs PostgreSQL (row locks are what it measures).")
    run = uuid.uuid4().hex[:4]
    prepared_at = time.perf_counter()
    applications = prepare(args.providers, run)
    prepare_seconds = time.perf_counter() - prepared_at
    connection.close()
    pks = [a.pk for a in applications]

    base, base_wall = run_pool(baseline, pks, args.concurrency, args.seconds)
    results, wall = run_pool(renew, pks, args.concurrency, args.seconds)
    errors = [error for _, error in results if error]

    statuses = dict(
        RenewalApplication.objects.filter(pk__in=pks)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    invoices = Invoice.objects.filter(subject_id__in=[str(pk) for pk in pks]).annotate(
        settled=Count(
            "payments",
            filter=Q(payments__status__in=[PaymentStatus.SETTLED, PaymentStatus.AUTHORIZED]),
        )
    )
    duplicate_payments = sum(1 for i in invoices if i.settled > 1)
    unpaid = sum(1 for i in invoices if i.settled == 0)
    submitted = statuses.get(RenewalStatus.SUBMITTED, 0)
    data = {
        "label": args.label,
        "providers": args.providers,
        "concurrency": args.concurrency,
        "prepare_seconds": round(prepare_seconds, 1),
        "baseline": {
            "what": "6 x SELECT 1 per provider, same threads",
            "wall_seconds": round(base_wall, 2),
            **latency_summary([s for s, _ in base]),
        },
        "renewal": {
            "what": "fee, two simultaneous card payments with one idempotency key, submit",
            "wall_seconds": round(wall, 2),
            "providers_per_second": round(len(results) / wall, 2) if wall else 0,
            **latency_summary([s for s, _ in results]),
        },
        "checks": {
            "applications": len(pks),
            "attempted": len(results),
            "submitted": submitted,
            "statuses": statuses,
            "lost_applications": len(results) - submitted,
            "invoices": len(invoices),
            "duplicate_payments": duplicate_payments,
            "invoices_without_payment": unpaid,
            "errors": errors[:10],
            "error_count": len(errors),
        },
    }
    write_result(f"renewal_load_{args.label}" if args.label else "renewal_load", data)
    print(data)


if __name__ == "__main__":
    main()
