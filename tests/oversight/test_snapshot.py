"""The dashboard's snapshot (oversight.snapshot): the same figures as an exact count, the page
reads it and says when it was counted, and a change that moves a figure, beat, a new day or an
old snapshot each bring a new one."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts import roles
from core.outbox import OutboxMessage
from oversight import selectors, snapshot, tasks
from oversight.models import DashboardSnapshot
from oversight.sections import Context, build_sections, find_table
from providers import services as provider_services
from providers.models import Certification
from providers.rules import Level

from . import factories

pytestmark = pytest.mark.django_db

DASHBOARD = "/staff/dashboard/"


def _exact(today):
    return {
        "certifications_by_level_and_status": selectors.certifications_by_level_and_status(
            today=today
        ),
        "certifications_expiring": selectors.certifications_expiring(today=today),
        "renewals_by_status": selectors.renewals_by_status(),
        "renewals_waiting": selectors.renewals_waiting(today=today),
    }


def _all_active(figures) -> int:
    return sum(row["active"] for row in figures["certifications_by_level_and_status"].values())


def test_the_snapshot_holds_the_exact_counts(supervisor, org_admin):
    factories.seed_certifications(supervisor)
    factories.seed_renewals(org_admin)
    today = timezone.localdate()
    snapshot.take(today=today)
    figures = snapshot.current(today=today)
    assert set(snapshot.FIGURES) == set(_exact(today))
    for name, exact in _exact(today).items():
        assert figures[name] == exact, name  # read back from JSON in the selector's own shape
    renewals = figures["renewals_by_status"]
    assert {status: n for status, n in renewals.items() if n} == (
        factories.EXPECTED_RENEWALS_BY_STATUS
    )
    assert figures["certifications_expiring"] == {
        level.value: windows for level, windows in factories.EXPECTED_EXPIRING.items()
    }
    assert figures["renewals_waiting"] == factories.EXPECTED_WAITING


def test_the_page_reads_the_snapshot_and_says_when_it_was_counted(staff_client, supervisor):
    factories.seed_certifications(supervisor)
    taken = snapshot.take()
    # A row the snapshot has not seen (written without signals, as a bulk load would be).
    Certification.objects.filter(level=Level.EMT).update(expires_on=timezone.localdate())
    client = staff_client(roles.SUPERVISOR)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD)
    grid = find_table(response.context["sections"], "certifications-by-level-status")
    emt = next(row for row in grid.rows if row[0].value == Level.EMT.label)
    assert emt[1].value == 3  # active EMT certifications as counted at ``taken``
    assert response.context["as_of"] == taken.taken_at
    local = timezone.localtime(taken.taken_at)
    assert f'datetime="{local.isoformat()}"' in response.content.decode()
    assert not [
        q for q in captured.captured_queries if "GROUP BY" in q["sql"] and "level" in q["sql"]
    ]


def test_a_change_that_moves_a_figure_refreshes_the_snapshot(
    supervisor, django_capture_on_commit_callbacks
):
    factories.seed_certifications(supervisor)
    today = timezone.localdate()
    before = snapshot.take(today=today)
    active = Certification.objects.filter(level=Level.EMT, expires_on__gt=today).first()
    with django_capture_on_commit_callbacks(execute=True):
        provider_services.certification_suspend(
            certification=active, actor=supervisor, reason="Test", effective_from=today
        )
        Certification.objects.get(pk=active.pk).save()  # a second change in the same commit
    assert OutboxMessage.objects.filter(task="oversight.tasks.refresh_dashboard").count() == 1
    after = snapshot.current(today=today)
    assert after.taken_at > before.taken_at
    assert _all_active(after) == _all_active(before.figures) - 1
    assert (
        after["certifications_by_level_and_status"]
        == _exact(today)["certifications_by_level_and_status"]
    )
    assert DashboardSnapshot.objects.count() == 1  # older snapshots are dropped


def test_a_change_after_the_refresh_started_asks_again(
    supervisor, django_capture_on_commit_callbacks
):
    factories.seed_certifications(supervisor)
    provider = Certification.objects.first().provider
    with django_capture_on_commit_callbacks(execute=True):
        provider_services.certification_create(
            provider=provider,
            level=Level.EMR,
            sequence=900_001,
            issued_on=timezone.localdate(),
            expires_on=timezone.localdate() + timedelta(days=700),
        )
    tasks.refresh_dashboard()  # the flag is cleared as the refresh starts...
    with django_capture_on_commit_callbacks(execute=True):
        Certification.objects.first().save()  # ...so the next change queues another
    assert OutboxMessage.objects.filter(task="oversight.tasks.refresh_dashboard").count() == 2


def test_yesterdays_or_an_old_snapshot_is_counted_again(supervisor):
    factories.seed_certifications(supervisor)
    today = timezone.localdate()
    old = snapshot.take(today=today - timedelta(days=1))
    fresh = snapshot.current(today=today)
    assert fresh.for_date == today and fresh.taken_at > old.taken_at
    later = timezone.now() + snapshot.MAX_AGE + timedelta(minutes=1)
    assert snapshot.current(today=today, now=later).taken_at > fresh.taken_at
    assert snapshot.current(today=today).taken_at == snapshot.current(today=today).taken_at


def test_the_sections_count_live_without_a_snapshot(supervisor):
    factories.seed_certifications(supervisor)
    sections = build_sections(Context(today=timezone.localdate(), user=supervisor))
    assert find_table(sections, "certifications-expiring").rows[-1][1].value == 3
    assert not DashboardSnapshot.objects.exists()


def test_beat_refreshes_the_snapshot_every_five_minutes():
    task = PeriodicTask.objects.get(task="oversight.tasks.refresh_dashboard")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (snapshot.REFRESH_MINUTES, "minutes")
