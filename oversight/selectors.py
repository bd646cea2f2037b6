"""The dashboard's figures, each aggregated in the database: a fixed number of queries whatever
the number of rows, and never a loop over rows in Python (except the SQLite fallback of the
processing-time percentiles, which reads one column of one query).

The rules behind each figure stay in their domain: certification status is
``providers.rules.status_q``, the processing target ``providers.rules.PROCESSING_WEEKS``, the
waiting bands the renewal queue's own admin filter, "inspection overdue" the vehicles queryset,
late chief-of-service reports ``organizations.selectors``, the season summary ``rates.selectors``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate

from organizations import selectors as organization_selectors
from providers import rules as provider_rules
from providers import selectors as provider_selectors
from providers.models import Certification, RenewalApplication, RenewalStatus
from rates import selectors as rate_selectors
from rates.models import RateYear, RateYearStatus
from vehicles import selectors as vehicle_selectors
from vehicles.models import INSPECTED_STATUSES, InspectionResult, Vehicle, VehicleStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a queryset that carries annotations

    class _Processing(TypedDict):
        processing: timedelta


# "Expiring in the next N days": cumulative windows, counted from today.
EXPIRY_WINDOWS = (30, 60, 90)
# Processing time is measured over applications decided in this many days up to today, so the
# figure describes how the office works now, not over its whole history.
PROCESSING_LOOKBACK_DAYS = 365
# The processing-time histogram: one bar per week up to this many weeks, then one "longer" bar.
HISTOGRAM_WEEKS = 10
DECIDED_STATUSES = (RenewalStatus.APPROVED, RenewalStatus.DENIED)


# --- certifications ---------------------------------------------------------------------------


def certifications_by_level_and_status(*, today: date) -> dict[str, dict[str, int]]:
    """level -> computed status -> number of certifications. One query: GROUP BY level with one
    filtered count per status, each filter the providers' own ``status_q``."""
    counts = {
        status: Count("pk", filter=provider_rules.status_q(status, today=today))
        for status in provider_rules.CertificationStatus.values
    }
    rows = Certification.objects.order_by().values("level").annotate(**counts)
    found = {row["level"]: row for row in rows}
    return {
        level: {status: found.get(level, {}).get(status, 0) for status in counts}
        for level in provider_rules.Level.values
    }


def expiry_window_end(*, today: date, days: int) -> date:
    return today + timedelta(days=days)


def certifications_expiring(*, today: date) -> dict[str, dict[int, int]]:
    """level -> window (days) -> active certifications whose expiration date falls between
    today and today + window (inclusive). One query."""
    active = provider_rules.status_q(provider_rules.CertificationStatus.ACTIVE, today=today)
    counts = {
        f"within_{days}": Count(
            "pk",
            filter=active & Q(expires_on__lte=expiry_window_end(today=today, days=days)),
        )
        for days in EXPIRY_WINDOWS
    }
    # Only the longest window's rows are read (the expires_on index), not every certification.
    rows = (
        Certification.objects.order_by()
        .filter(
            expires_on__gte=today,
            expires_on__lte=expiry_window_end(today=today, days=max(EXPIRY_WINDOWS)),
        )
        .values("level")
        .annotate(**counts)
    )
    found = {row["level"]: row for row in rows}
    return {
        level: {days: found.get(level, {}).get(f"within_{days}", 0) for days in EXPIRY_WINDOWS}
        for level in provider_rules.Level.values
    }


# --- renewal applications ---------------------------------------------------------------------


def renewals_by_status() -> dict[str, int]:
    """Every status, zero included. One query."""
    found = dict(
        RenewalApplication.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in RenewalStatus.values}


def renewals_waiting(*, today: date) -> dict[str, int]:
    """Applications in the staff queue by days waiting since complete, in the bands of the
    queue's admin filter (so each figure is exactly what that filter lists). One query."""
    counts = {}
    for band in provider_selectors.WAITING_BANDS:
        counts[band] = Count("pk", filter=provider_selectors.waiting_band_q(band, today=today))
    return RenewalApplication.objects.aggregate(**counts)


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``: the value
    at ``fraction`` of the ordered set, interpolating linearly between neighbours."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, *, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """The same definition as PostgreSQL's percentile_cont, for databases without it."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class HistogramBin:
    low_days: int
    high_days: int | None  # None: open-ended ("longer")
    count: int

    @property
    def label(self) -> str:
        low_weeks = self.low_days // 7
        if self.high_days is None:
            return f"{low_weeks}+ weeks"
        return f"{low_weeks}–{self.high_days // 7} weeks"


@dataclass(frozen=True)
class ProcessingSummary:
    since: date
    until: date
    decided: int
    median_days: float | None
    p90_days: float | None
    target_days: tuple[int, int]
    bins: list[HistogramBin]
    within_target: int  # decided within the upper end of the target

    @property
    def median_within_target(self) -> bool | None:
        return None if self.median_days is None else self.median_days <= self.target_days[1]

    @property
    def p90_within_target(self) -> bool | None:
        return None if self.p90_days is None else self.p90_days <= self.target_days[1]


def decided_renewals(
    *, today: date
) -> "QuerySet[WithAnnotations[RenewalApplication, _Processing]]":
    """Applications decided (approved or denied) in the look-back window, with a complete date,
    annotated with ``processing``: the decision day (local time) minus the complete day."""
    since = today - timedelta(days=PROCESSING_LOOKBACK_DAYS)
    return (
        RenewalApplication.objects.order_by()
        .annotate(decided_on=TruncDate("decided_at"))
        .filter(
            status__in=DECIDED_STATUSES,
            complete_on__isnull=False,
            decided_on__gte=since,
            decided_on__lte=today,
        )
        .annotate(
            processing=ExpressionWrapper(
                F("decided_on") - F("complete_on"), output_field=DurationField()
            )
        )
    )


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value)


def renewal_processing(*, today: date) -> ProcessingSummary:
    """Median and 90th percentile of the processing time (complete -> decision) over the
    look-back window, the weekly histogram and the count decided within the target. One query
    on PostgreSQL (percentile_cont in the same aggregate); two elsewhere (the percentiles are
    computed from the one column of processing times)."""
    low_weeks, high_weeks = provider_rules.PROCESSING_WEEKS
    target = (low_weeks * 7, high_weeks * 7)
    queryset = decided_renewals(today=today)
    counts: dict[str, Aggregate] = {"decided": Count("pk")}
    counts["within_target"] = Count("pk", filter=Q(processing__lte=timedelta(days=target[1])))
    edges = [(week * 7, (week + 1) * 7) for week in range(HISTOGRAM_WEEKS)]
    for index, (low, high) in enumerate(edges):
        counts[f"bin_{index}"] = Count(
            "pk",
            filter=Q(processing__gte=timedelta(days=low), processing__lt=timedelta(days=high)),
        )
    counts["bin_longer"] = Count(
        "pk", filter=Q(processing__gte=timedelta(days=HISTOGRAM_WEEKS * 7))
    )
    in_database = connection.vendor == "postgresql"
    if in_database:
        counts["median"] = PercentileCont("processing", fraction=0.5, output_field=DurationField())
        counts["p90"] = PercentileCont("processing", fraction=0.9, output_field=DurationField())
    figures = queryset.aggregate(**counts)
    if in_database:
        median, p90 = _days(figures["median"]), _days(figures["p90"])
    else:
        processing = queryset.values_list("processing", flat=True)
        days = [day for day in map(_days, processing) if day is not None]
        median, p90 = percentile_cont(days, 0.5), percentile_cont(days, 0.9)
    bins = [
        HistogramBin(low_days=low, high_days=high, count=figures[f"bin_{index}"])
        for index, (low, high) in enumerate(edges)
    ]
    bins.append(
        HistogramBin(low_days=HISTOGRAM_WEEKS * 7, high_days=None, count=figures["bin_longer"])
    )
    return ProcessingSummary(
        since=today - timedelta(days=PROCESSING_LOOKBACK_DAYS),
        until=today,
        decided=figures["decided"],
        median_days=None if median is None else round(median, 1),
        p90_days=None if p90 is None else round(p90, 1),
        target_days=target,
        bins=bins,
        within_target=figures["within_target"],
    )


# --- vehicles -----------------------------------------------------------------------------------


def inspections_due(*, today: date) -> dict[str, int]:
    """Vehicles overdue, due this month and due in the next 30 days (the vehicle admin's "due"
    filter, counted with the very queryset methods it uses), out of service after a failed
    inspection, and all inspected vehicles. Four queries."""
    month_start, month_end = vehicle_selectors.month_bounds(today)
    totals = Vehicle.objects.aggregate(
        inspected=Count("pk", filter=Q(status__in=INSPECTED_STATUSES)),
        failed=Count(
            "pk",
            filter=Q(
                status=VehicleStatus.OUT_OF_SERVICE,
                last_inspection_result=InspectionResult.FAILED,
            ),
        ),
    )
    return {
        "overdue": Vehicle.objects.overdue(today=today).count(),
        "due_this_month": Vehicle.objects.due_between(start=month_start, end=month_end).count(),
        "due_next_30": Vehicle.objects.due_between(
            start=today, end=today + timedelta(days=30)
        ).count(),
        **totals,
    }


# --- rates --------------------------------------------------------------------------------------


def current_rate_year() -> RateYear | None:
    """The season on now: the newest open one, else the newest one (as the rates staff page)."""
    return (
        RateYear.objects.order_by("-year").filter(status=RateYearStatus.OPEN).first()
        or RateYear.objects.order_by("-year").first()
    )


def rate_season(*, rate_year: RateYear | None) -> rate_selectors.SeasonSummary | None:
    if rate_year is None:
        return None
    return rate_selectors.season_summary(rate_year=rate_year)


# --- organizations ------------------------------------------------------------------------------


def organization_counts() -> dict[str, int]:
    """Chief-of-service reports late and waiting, all waiting, and organization applications
    waiting on the office (organizations.selectors.staff_counts)."""
    return organization_selectors.staff_counts()
