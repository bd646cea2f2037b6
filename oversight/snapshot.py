"""The dashboard figures that grow with the state, counted ahead of the page.

At a million providers the certifications by level and status read every certification (their
status is computed from dates and discipline, so no index answers it): ~200 ms on each view.
``take`` counts the snapshotted figures with the very selectors the page used, and stores them
in one ``DashboardSnapshot`` row; the page reads the newest row for today and says "as of" its
time, so no figure is older than the time shown.

A snapshot is taken:
- by Celery beat every ``REFRESH_MINUTES`` (``oversight.tasks.refresh_dashboard``, the periodic
  task of migration 0002: staff may change or disable it under Periodic tasks);
- soon after a change that moves a figure: a certification or renewal application saved or
  deleted asks for one once its transaction commits (``request_refresh``; at most one pending
  at a time, and the task clears the flag before counting, so a change committed after it
  started asks again);
- by the page itself when there is none for today or the newest is older than ``MAX_AGE``
  (beat stopped): counted then and there, as before.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit

from . import selectors
from .models import DashboardSnapshot

REFRESH_MINUTES = 5
# A snapshot older than this is not shown: the page counts (beat must have stopped).
MAX_AGE = timedelta(minutes=30)
# At most one refresh waits in the queue; the flag expires in case its task is lost.
PENDING_KEY = "oversight:snapshot-refresh-pending"
PENDING_SECONDS = REFRESH_MINUTES * 60


@dataclass(frozen=True)
class Figure:
    compute: Callable[[date], object]
    load: Callable[[object], object] = lambda value: value  # from JSON back to the selector's


def _int_keys(by_level: dict) -> dict:
    return {
        level: {int(days): n for days, n in windows.items()} for level, windows in by_level.items()
    }


FIGURES: dict[str, Figure] = {
    "certifications_by_level_and_status": Figure(
        lambda today: selectors.certifications_by_level_and_status(today=today)
    ),
    "certifications_expiring": Figure(
        lambda today: selectors.certifications_expiring(today=today), load=_int_keys
    ),
    "renewals_by_status": Figure(lambda today: selectors.renewals_by_status()),
    "renewals_waiting": Figure(lambda today: selectors.renewals_waiting(today=today)),
}


@dataclass(frozen=True)
class Figures:
    """The snapshotted figures for one day and when they were counted."""

    for_date: date
    taken_at: datetime
    values: dict

    def __getitem__(self, name: str):
        return FIGURES[name].load(self.values[name])


def take(*, today: date | None = None) -> DashboardSnapshot:
    """Count every snapshotted figure now and store them; older snapshots are dropped."""
    today = today or timezone.localdate()
    taken_at = timezone.now()
    values = {name: figure.compute(today) for name, figure in FIGURES.items()}
    with transaction.atomic():
        snapshot = DashboardSnapshot.objects.create(
            for_date=today, taken_at=taken_at, figures=values
        )
        DashboardSnapshot.objects.filter(taken_at__lt=taken_at).delete()
    return snapshot


def current(*, today: date, now: datetime | None = None) -> Figures:
    """Today's newest figures: the snapshot when it is for today and fresh, else counted now
    (and stored for the next view)."""
    now = now or timezone.now()
    snapshot = DashboardSnapshot.objects.order_by("-taken_at").first()
    if snapshot is None or snapshot.for_date != today or now - snapshot.taken_at > MAX_AGE:
        snapshot = take(today=today)
    return Figures(for_date=snapshot.for_date, taken_at=snapshot.taken_at, values=snapshot.figures)


def refresh() -> DashboardSnapshot:
    """The task's work: clear the pending flag first (a change committed from now on asks for
    another refresh), then count."""
    cache.delete(PENDING_KEY)
    return take()


def request_refresh() -> None:
    """After a change that moves a figure: one refresh once the change commits."""
    transaction.on_commit(_enqueue_refresh)


def _enqueue_refresh() -> None:
    if cache.add(PENDING_KEY, 1, PENDING_SECONDS):
        enqueue_on_commit("oversight.tasks.refresh_dashboard")
