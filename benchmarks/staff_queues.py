"""Staff queues: admin changelists and the oversight dashboard, query count and time.

    python benchmarks/staff_queues.py [--repeat 15] [--label 20000]

"Smith" is the most common generated surname (about 1% of providers, providers.names); the
rare name is the 30,000th (a few people at 1,000,000). Each page is requested in-process through Django's test client (the whole middleware stack,
signed in as a supervisor with the second factor done), ``--repeat`` times after one warm-up
request; the query count is read with CaptureQueriesContext. The baseline is the bare view
(``/__bench__/baseline/``) through the same client in the same run. Figures go to
benchmarks/results/staff_queues[_<label>].json.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import latency_summary, setup_django, write_result  # noqa: E402

PAGES = [
    ("baseline (no database)", "/__bench__/baseline/"),
    ("renewal applications (default)", "/admin/providers/renewalapplication/"),
    (
        "renewal applications: submitted",
        "/admin/providers/renewalapplication/?status__exact=submitted",
    ),
    ("renewal applications: search", "/admin/providers/renewalapplication/?q=Smith"),
    ("renewal applications: search a rare name", "/admin/providers/renewalapplication/?q={rare}"),
    ("certifications", "/admin/providers/certification/"),
    ("certifications: active", "/admin/providers/certification/?status=active"),
    ("certifications: search by name", "/admin/providers/certification/?q=Smith"),
    ("certifications: search a rare name", "/admin/providers/certification/?q={rare}"),
    ("certifications: search `%`", "/admin/providers/certification/?q=%25"),
    ("certifications: search 500 characters", "/admin/providers/certification/?q=" + "a" * 500),
    ("certifications: search by number", "/admin/providers/certification/?q=E100001"),
    ("providers", "/admin/providers/provider/"),
    ("providers: search", "/admin/providers/provider/?q=Smith"),
    ("providers: search a rare name", "/admin/providers/provider/?q={rare}"),
    ("CE records", "/admin/providers/cerecord/"),
    ("CE records: search", "/admin/providers/cerecord/?q=Smith"),
    ("organizations", "/admin/organizations/organization/"),
    ("vehicles", "/admin/vehicles/vehicle/"),
    ("complaints", "/admin/complaints/complaint/"),
    ("oversight dashboard", "/staff/dashboard/"),
]


def staff_client():
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client, RequestFactory

    from accounts.demo import DEMO_TOTP_SECRET, demo_user

    user = demo_user("supervisor@example.com")
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight import snapshot
    from providers.models import Provider
    from providers.names import surnames

    client = staff_client()
    started = time.perf_counter()
    snapshot.take()  # as beat keeps it (every 5 minutes): the dashboard reads it
    snapshot_seconds = time.perf_counter() - started
    rare = surnames()[0][30_000]  # about 1 in 500,000 people
    results = []
    for name, url in PAGES:
        url = url.replace("{rare}", rare)
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        seconds, queries = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(captured))
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        result = {
            "page": name,
            "url": url,
            "queries": max(queries),
            **latency_summary(seconds),
            "slowest_queries": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in slowest
            ],
        }
        print({k: v for k, v in result.items() if k != "slowest_queries"}, flush=True)
        results.append(result)
    write_result(
        f"staff_queues_{args.label}" if args.label else "staff_queues",
        {
            "label": args.label,
            "providers": Provider.objects.count(),
            "repeat": args.repeat,
            "dashboard_snapshot_seconds": round(snapshot_seconds, 3),
            "load_average": os.getloadavg(),
            "how": "in-process Django test client, supervisor signed in with the second factor",
            "pages": results,
        },
    )


if __name__ == "__main__":
    main()
