"""The dashboard's sections. A section is one function registered with ``@section``: it takes
the ``Context`` (today, the signed-in user) and returns a ``Section`` of tables (and charts)
built from ``oversight.selectors``. Adding a domain to the dashboard is adding one function here
(and, if it draws, a chart from ``oversight.charts``); the page, the CSV downloads and the tests
that follow every link pick it up from the registry.

Every figure carries the link to the admin changelist that lists exactly the rows it counts,
built from that ModelAdmin's own filters. A link is shown only to a person whose role may open
that changelist; everyone on staff sees every figure (they are counts, with no personal data).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString

from complaints.constants import OPEN_STAGES
from complaints.selectors import queue_counts
from organizations.models import ChiefReportStatus
from providers import rules as provider_rules
from providers.models import RenewalStatus
from rates.models import FilingStatus
from vehicles.models import INSPECTED_STATUSES

from . import charts, selectors
from .snapshot import FIGURES, Figures


@dataclass(frozen=True)
class Cell:
    value: object
    url: str | None = None
    # False when the link opens the rows the figure is computed from rather than exactly the
    # rows it counts (a median, a histogram bar: the admin has no processing-time filter).
    exact: bool = True


@dataclass(frozen=True)
class Table:
    key: str  # unique on the page; ?format=csv&table=<key> downloads it
    caption: str
    columns: list[str]  # the first names the row headers
    rows: list[list[Cell]]  # each row: its header cell, then one cell per further column
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    charts: list[SafeString] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    empty_message: str = ""


@dataclass(frozen=True)
class Context:
    today: date
    user: object
    # The snapshotted figures (oversight.snapshot.current); None: each counted as it is read.
    figures: "Figures | None" = None

    def figure(self, name: str):
        """One of the figures ``oversight.snapshot`` keeps ahead of the page."""
        if self.figures is None:
            return FIGURES[name].compute(self.today)
        return self.figures[name]

    def admin_link(self, model: str, **params) -> str | None:
        """The admin changelist of ``app_label.model`` filtered by ``params``, or None when the
        user's role may not open it (the figure then shows without a link)."""
        app_label, model_name = model.split(".")
        if not self.user.has_perm(f"{app_label}.view_{model_name}"):
            return None
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
        query = urlencode({key: value for key, value in params.items() if value is not None})
        return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Registered:
    key: str
    order: int
    build: Callable[[Context], Section]


REGISTRY: dict[str, Registered] = {}


def section(*, key: str, order: int):
    """Register a section; the page shows them by ``order`` (gaps left for sections to come)."""

    def register(build: Callable[[Context], Section]):
        REGISTRY[key] = Registered(key=key, order=order, build=build)
        return build

    return register


def build_sections(context: Context) -> list[Section]:
    return [entry.build(context) for entry in sorted(REGISTRY.values(), key=lambda e: e.order)]


def find_table(sections: list[Section], key: str) -> Table | None:
    return next((table for s in sections for table in s.tables if table.key == key), None)


# --- certifications ---------------------------------------------------------------------------


def short_level(level) -> str:
    """ "EMT" for "Emergency Medical Technician (EMT)": what fits beside a bar."""
    label = str(level.label)
    return label[label.rfind("(") + 1 : -1] if label.endswith(")") else label


CERTIFICATION = "providers.certification"


@section(key="certifications", order=10)
def certifications(context: Context) -> Section:
    today = context.today
    by_level = context.figure("certifications_by_level_and_status")
    levels = provider_rules.Level
    statuses = provider_rules.CertificationStatus

    rows = []
    for level in levels:
        counts = by_level[level.value]
        rows.append(
            [Cell(level.label)]
            + [
                Cell(
                    counts[status.value],
                    context.admin_link(CERTIFICATION, level__exact=level.value, status=status),
                )
                for status in statuses
            ]
            + [Cell(sum(counts.values()), context.admin_link(CERTIFICATION, level__exact=level))]
        )
    rows.append(
        [Cell("All levels")]
        + [
            Cell(
                sum(by_level[level][status.value] for level in levels.values),
                context.admin_link(CERTIFICATION, status=status),
            )
            for status in statuses
        ]
        + [
            Cell(
                sum(sum(counts.values()) for counts in by_level.values()),
                context.admin_link(CERTIFICATION),
            )
        ]
    )
    by_status_table = Table(
        key="certifications-by-level-status",
        caption="Certifications by level and status",
        columns=["Level", *statuses.labels, "Total"],
        rows=rows,
        note="Status is computed from the dates and any discipline in force today, as on the "
        "verification page.",
    )

    expiring = context.figure("certifications_expiring")
    windows = selectors.EXPIRY_WINDOWS

    def expiring_link(days, level=None):
        return context.admin_link(
            CERTIFICATION,
            level__exact=level,
            status=statuses.ACTIVE,
            expires_on__gte=today.isoformat(),
            expires_on__lte=selectors.expiry_window_end(today=today, days=days).isoformat(),
        )

    expiring_rows = [
        [Cell(level.label)]
        + [Cell(expiring[level.value][days], expiring_link(days, level.value)) for days in windows]
        for level in levels
    ]
    expiring_rows.append(
        [Cell("All levels")]
        + [
            Cell(sum(expiring[level][days] for level in levels.values), expiring_link(days))
            for days in windows
        ]
    )
    expiring_table = Table(
        key="certifications-expiring",
        caption="Active certifications expiring soon",
        columns=["Level", *(f"Within {days} days" for days in windows)],
        rows=expiring_rows,
        note=f"Counted from today ({today:%B} {today.day}, {today.year}); each window includes "
        "the shorter ones.",
    )

    chart = charts.stacked_bar_chart(
        "chart-certifications",
        title="Certifications by level and status",
        description="; ".join(
            f"{level.label}: "
            + ", ".join(
                f"{by_level[level.value][status.value]:,} {status.label.lower()}"
                for status in statuses
                if by_level[level.value][status.value]
            )
            for level in levels
        )
        or "No certifications.",
        categories=[short_level(level) for level in levels],
        series=[
            charts.Series(
                name=status.label,
                values=[by_level[level][status.value] for level in levels.values],
            )
            for status in statuses
        ],
    )
    return Section(
        key="certifications",
        title="Providers and certifications",
        charts=[chart],
        tables=[by_status_table, expiring_table],
    )


# --- renewal applications -----------------------------------------------------------------------

RENEWAL = "providers.renewalapplication"
WAITING_LABELS = {
    "0-14": "Up to 2 weeks",
    "15-28": "2–4 weeks",
    "29-42": "4–6 weeks",
    "43+": "Over 6 weeks (past the target)",
}


@section(key="renewals", order=20)
def renewals(context: Context) -> Section:
    today = context.today
    by_status = context.figure("renewals_by_status")
    status_rows = [
        [
            Cell(status.label),
            Cell(by_status[status.value], context.admin_link(RENEWAL, status__exact=status)),
        ]
        for status in RenewalStatus
    ]
    status_rows.append([Cell("All"), Cell(sum(by_status.values()), context.admin_link(RENEWAL))])
    status_table = Table(
        key="renewals-by-status",
        caption="Renewal applications by status",
        columns=["Status", "Applications"],
        rows=status_rows,
    )

    waiting = context.figure("renewals_waiting")
    waiting_table = Table(
        key="renewals-waiting",
        caption="Applications waiting on the office, by time since complete",
        columns=["Waiting", "Applications"],
        rows=[
            [
                Cell(WAITING_LABELS.get(band, band)),
                Cell(count, context.admin_link(RENEWAL, waiting=band)),
            ]
            for band, count in waiting.items()
        ],
        note="Submitted, in review or resubmitted; counted from the day everything needed arrived.",
    )

    processing = selectors.renewal_processing(today=today)
    low, high = processing.target_days
    decided_link = context.admin_link(
        RENEWAL,
        status__in=",".join(selectors.DECIDED_STATUSES),
        complete_on__isnull="False",
        decided_at__date__gte=processing.since.isoformat(),
        decided_at__date__lte=processing.until.isoformat(),
    )

    def days(value):
        return "—" if value is None else f"{value:g} days"

    def verdict(within):
        return "—" if within is None else ("within" if within else "over")

    processing_table = Table(
        key="renewals-processing",
        caption="Processing time, complete to decision",
        columns=["Measure", "Value", f"Against the {low // 7}–{high // 7} week target"],
        rows=[
            [Cell("Decided"), Cell(processing.decided, decided_link), Cell("")],
            [
                Cell("Median"),
                Cell(days(processing.median_days), decided_link, exact=False),
                Cell(verdict(processing.median_within_target)),
            ],
            [
                Cell("90th percentile"),
                Cell(days(processing.p90_days), decided_link, exact=False),
                Cell(verdict(processing.p90_within_target)),
            ],
            [
                Cell(f"Decided within {high // 7} weeks"),
                Cell(processing.within_target, decided_link, exact=False),
                Cell(
                    f"{processing.within_target * 100 // processing.decided}%"
                    if processing.decided
                    else "—"
                ),
            ],
        ],
        note=f"Applications approved or denied from {processing.since:%b} {processing.since.day}, "
        f"{processing.since.year} to today. Each figure links to those applications; the "
        "admin lists them without a processing-time filter.",
    )
    histogram_table = Table(
        key="renewals-processing-distribution",
        caption="Decided applications by weeks from complete to decision",
        columns=["Weeks", "Applications"],
        rows=[
            [Cell(one.label), Cell(one.count, decided_link, exact=False)] for one in processing.bins
        ],
    )

    status_chart = charts.bar_chart(
        "chart-renewals-status",
        title="Renewal applications by status",
        description="; ".join(f"{s.label}: {by_status[s.value]:,}" for s in RenewalStatus),
        bars=[(status.label, by_status[status.value]) for status in RenewalStatus],
    )
    markers = []
    if processing.median_days is not None:
        markers.append(("Median", processing.median_days))
        markers.append(("90th percentile", processing.p90_days))
    processing_chart = charts.histogram(
        "chart-renewals-processing",
        title="Processing time against the target",
        description=(
            f"{processing.decided:,} applications decided; median {days(processing.median_days)}, "
            f"90th percentile {days(processing.p90_days)}; target {low // 7} to {high // 7} "
            "weeks. " + "; ".join(f"{one.label}: {one.count:,}" for one in processing.bins)
        ),
        bins=[(one.label, one.count) for one in processing.bins],
        bin_days=7,
        target_days=processing.target_days,
        markers=markers,
    )
    return Section(
        key="renewals",
        title="Renewal applications",
        charts=[status_chart, processing_chart],
        tables=[status_table, waiting_table, processing_table, histogram_table],
    )


# --- vehicles -----------------------------------------------------------------------------------

VEHICLE = "vehicles.vehicle"


@section(key="inspections", order=30)
def inspections(context: Context) -> Section:
    figures = selectors.inspections_due(today=context.today)
    rows = [
        ("Overdue", figures["overdue"], {"due": "overdue"}),
        ("Due this month", figures["due_this_month"], {"due": "this_month"}),
        ("Due in the next 30 days", figures["due_next_30"], {"due": "next_30"}),
        ("Out of service after a failed inspection", figures["failed"], {"last_result": "failed"}),
        (
            "Vehicles inspected (in or out of service)",
            figures["inspected"],
            {"status__in": ",".join(INSPECTED_STATUSES)},
        ),
    ]
    return Section(
        key="inspections",
        title="Vehicle inspections",
        tables=[
            Table(
                key="inspections-due",
                caption="Vehicle inspections due and overdue",
                columns=["Measure", "Vehicles"],
                rows=[
                    [Cell(label), Cell(count, context.admin_link(VEHICLE, **params))]
                    for label, count, params in rows
                ],
                note="Ambulances are inspected at least yearly; a vehicle never inspected is "
                "due from its approval.",
            )
        ],
    )


# --- rates --------------------------------------------------------------------------------------

FILING = "rates.ratefiling"


@section(key="rates", order=50)
def rates(context: Context) -> Section:
    rate_year = selectors.current_rate_year()
    summary = selectors.rate_season(rate_year=rate_year)
    if summary is None:
        return Section(key="rates", title="Rate filings", empty_message="No rate year yet.")
    year_filter = {"year__id__exact": rate_year.pk}
    rows = [
        [
            Cell(status.label),
            Cell(
                summary.by_status.get(status.value, 0),
                context.admin_link(FILING, status__exact=status, **year_filter),
            ),
        ]
        for status in FilingStatus
    ]
    rows.append(
        [
            Cell("Invited"),
            Cell(summary.invited, context.admin_link("rates.rateinvitation", **year_filter)),
        ]
    )
    missing_url = None
    if context.user.has_perm("rates.view_ratefiling"):
        # "Invited, not filed" has no admin filter: the rates season page lists them.
        missing_url = reverse("rates:staff-season", kwargs={"year": rate_year.year})
    rows.append([Cell("Invited, not filed"), Cell(summary.missing, missing_url)])
    return Section(
        key="rates",
        title=f"Rate filings, {rate_year.year} season",
        intro=f"{rate_year.get_status_display()}; filings due {rate_year.filing_due_on:%B} "
        f"{rate_year.filing_due_on.day}, {rate_year.filing_due_on.year}.",
        tables=[
            Table(
                key="rates-season",
                caption=f"Rate filings for {rate_year.year} by status",
                columns=["Status", "Organizations"],
                rows=rows,
            )
        ],
    )


# --- organizations ------------------------------------------------------------------------------

CHIEF_REPORT = "organizations.chiefchangereport"


@section(key="organizations", order=60)
def organizations(context: Context) -> Section:
    counts = selectors.organization_counts()
    waiting = ChiefReportStatus.SUBMITTED
    return Section(
        key="organizations",
        title="Organizations",
        tables=[
            Table(
                key="organizations-reports",
                caption="Chief-of-service reports and organization applications",
                columns=["Measure", "Count"],
                rows=[
                    [
                        Cell("Chief-of-service reports late, waiting on the office"),
                        Cell(
                            counts["late_chief_reports"],
                            context.admin_link(CHIEF_REPORT, status__exact=waiting, late="yes"),
                        ),
                    ],
                    [
                        Cell("Chief-of-service reports waiting on the office"),
                        Cell(
                            counts["chief_reports_waiting"],
                            context.admin_link(CHIEF_REPORT, status__exact=waiting),
                        ),
                    ],
                    [
                        Cell("Organization applications waiting on the office"),
                        Cell(
                            counts["queue"],
                            context.admin_link(
                                "organizations.organizationapplication", queue="waiting"
                            ),
                        ),
                    ],
                ],
                note="A change of chief must be reported within ten business days; a report "
                "that arrived after its due date is late.",
            )
        ],
    )


# --- complaints ---------------------------------------------------------------------------------

COMPLAINT = "complaints.complaint"


@section(key="complaints", order=40)
def complaints(context: Context) -> Section:
    stages = queue_counts()["stages"]
    rows = [
        [
            Cell(row["label"]),
            Cell(row["total"], context.admin_link(COMPLAINT, stage=row["stage"])),
            Cell(row["overdue"], context.admin_link(COMPLAINT, stage=row["stage"], overdue="yes")),
        ]
        for row in stages
    ]
    rows.append(
        [
            Cell("All open"),
            Cell(
                sum(row["total"] for row in stages),
                context.admin_link(COMPLAINT, stage__in=",".join(OPEN_STAGES)),
            ),
            Cell(
                sum(row["overdue"] for row in stages), context.admin_link(COMPLAINT, overdue="yes")
            ),
        ]
    )
    return Section(
        key="complaints",
        title="Complaints and investigations",
        intro="Counts only: complaint contents are visible to investigators and supervisors.",
        tables=[
            Table(
                key="complaints-open",
                caption="Open complaints by stage",
                columns=["Stage", "Open", "Overdue"],
                rows=rows,
                note="Overdue: past the deadline of the stage the complaint is in.",
            )
        ],
    )
