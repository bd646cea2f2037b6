"""Demo rates over the organizations the Organizations demo created: two past years of
approved schedules, and the current year's season open with a filing in every state.

Idempotent: a year, schedule or filing that exists is left alone. With no organizations it
creates nothing and says so. Past schedules are bulk-inserted, so ``--providers N`` (whatever
number of organizations comes with it) stays fast.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organizations.models import Organization, ServiceKind

from . import rules, selectors, services
from .models import (
    Decision,
    ExpenseCategory,
    FilingFinancialLine,
    FilingForm,
    FilingStatus,
    FinancialKind,
    Payer,
    RateCategory,
    RateFiling,
    RateFilingLine,
    RateInvitation,
    RateSchedule,
    RateScheduleLine,
    RateYear,
    RateYearStatus,
    ScheduleKind,
)

# Demo CPI factors: the current season uses the published 4.3% (the 2024 Short Form).
PAST_CPI = [Decimal("0.0380"), Decimal("0.0500")]
CURRENT_CPI = Decimal("0.0430")
BASE_RATES = {
    "bls-emergency": Decimal("780.00"),
    "bls-non-emergency": Decimal("420.00"),
    "als1-emergency": Decimal("1040.00"),
    "als2": Decimal("1350.00"),
    "mileage": Decimal("14.50"),
    "waiting-time": Decimal("0.00"),  # a zero-rate category: the cap keeps it at zero
}
# The current season's filings, cycled over the organizations that charge.
STATES = [
    "short_approved",
    "short_submitted",
    "short_draft",
    "long_information_requested",
    "long_submitted",
    "long_other_rates",
    "long_denied",
    "missing",
]


def seed(*, stdout, providers=None):
    organizations = list(Organization.objects.order_by("number"))
    if not organizations:
        stdout.write("  rates: no organizations yet, so no rate data was created")
        return
    today = timezone.localdate()
    current = today.year
    analyst = User.objects.filter(email="rates@example.com").first()
    with transaction.atomic():
        years = [
            _year(current - 2, PAST_CPI[0], RateYearStatus.CLOSED),
            _year(current - 1, PAST_CPI[1], RateYearStatus.CLOSED),
        ]
        season = _year(current, CURRENT_CPI, RateYearStatus.OPEN)
        categories = {category.code: category for category in RateCategory.objects.all()}
        _past_schedules(organizations, years, categories)
        invited = _invite(season)
        counts = _current_filings(organizations, season, categories, analyst)
    stdout.write(
        f"  rates: {len(organizations)} organizations with {current - 2} and {current - 1} "
        f"schedules; {current} season open ({invited} invited), filings: "
        + ", ".join(f"{state} {n}" for state, n in counts.items())
    )


def _year(year, cpi, status) -> RateYear:
    rate_year, _ = RateYear.objects.get_or_create(
        year=year,
        defaults={
            "cpi_factor": cpi,
            "filing_opens_on": date(year, 1, 2),
            "filing_due_on": date(year, 3, 31),
            "status": status,
            "opened_at": timezone.now(),
        },
    )
    return rate_year


def _charges(organization) -> bool:
    # First-responder (non-transport) services do not bill in the demo.
    return organization.kind != ServiceKind.FIRST_RESPONDER


def _past_schedules(organizations, years, categories) -> None:
    now = timezone.now()
    for index, rate_year in enumerate(years):
        done = set(
            RateSchedule.objects.filter(year=rate_year).values_list("organization_id", flat=True)
        )
        new = [
            RateSchedule(
                organization=organization,
                year=rate_year,
                kind=ScheduleKind.CHARGING if _charges(organization) else ScheduleKind.NON_CHARGING,
                approved_at=now,
            )
            for organization in organizations
            if organization.pk not in done
        ]
        RateSchedule.objects.bulk_create(new, batch_size=500)
        created = RateSchedule.objects.filter(
            year=rate_year, organization__in=[schedule.organization for schedule in new]
        ).select_related("organization")
        lines = []
        for schedule in created:
            if schedule.kind != ScheduleKind.CHARGING:
                continue
            spread = Decimal(schedule.organization.pk % 7) * 5
            for code, base in BASE_RATES.items():
                amount = base + spread if base else base
                for factor in PAST_CPI[: index + 1][1:]:  # the later year grew by its CPI
                    amount = rules.rate_cap(prior=amount, cpi_factor=factor)
                lines.append(
                    RateScheduleLine(schedule=schedule, category=categories[code], amount=amount)
                )
        RateScheduleLine.objects.bulk_create(lines, batch_size=2000)


def _invite(season) -> int:
    services.season_invite(rate_year=season)
    # The demo does not email anyone: mark its invitations as already sent.
    RateInvitation.objects.filter(year=season, email_sent_at=None).update(
        email_sent_at=timezone.now()
    )
    return RateInvitation.objects.filter(year=season).count()


def _current_filings(organizations, season, categories, analyst) -> dict[str, int]:
    counts: dict[str, int] = {}
    existing = set(RateFiling.objects.filter(year=season).values_list("organization_id", flat=True))
    charging = [organization for organization in organizations if _charges(organization)]
    # Position among the charging ones, looked up once (list.index per organization was
    # quadratic: minutes at state scale).
    position = {organization.pk: index for index, organization in enumerate(charging)}
    for organization in organizations:
        if not _charges(organization):
            state = "non_charging"
        else:
            state = STATES[position[organization.pk] % len(STATES)]
        counts[state] = counts.get(state, 0) + 1
        if organization.pk in existing or state == "missing":
            continue
        actor = organization.administrators.first()
        rows = selectors.long_form_rows(organization=organization, rate_year=season)
        _filing(organization, season, state, rows, actor, analyst)
    return counts


def _save(instance, actor, reason):
    instance._history_user = actor
    instance._change_reason = reason
    instance.save()
    return instance


def _schedule(filing, kind, approved_at, actor, reason) -> RateSchedule:
    """The season's schedule the filing made (approved, or recorded as non-charging)."""
    return _save(
        RateSchedule(
            organization=filing.organization,
            year=filing.year,
            kind=kind,
            source_filing=filing,
            approved_at=approved_at,
        ),
        actor,
        reason,
    )


def _filing(organization, season, state, rows, actor, analyst) -> None:
    now = timezone.now()
    form_name, _, outcome = state.partition("_")
    if state == "non_charging":
        filing = _save(
            RateFiling(
                organization=organization,
                year=season,
                form=FilingForm.NON_CHARGING,
                status=FilingStatus.CERTIFIED,
                certified_by_name="Demo Chief of Service",
                certified_at=now,
                submitted_at=now,
            ),
            actor,
            "Non-charging service certified",
        )
        _schedule(filing, ScheduleKind.NON_CHARGING, now, actor, "Recorded non-charging")
        return
    form = FilingForm.SHORT if form_name == "short" else FilingForm.LONG
    status = {
        "approved": FilingStatus.APPROVED,
        "submitted": FilingStatus.SUBMITTED,
        "draft": FilingStatus.DRAFT,
        "information_requested": FilingStatus.INFORMATION_REQUESTED,
        "other_rates": FilingStatus.APPROVED,
        "denied": FilingStatus.DENIED,
    }[outcome]
    decision = {
        "approved": Decision.WITHIN_CAP,
        "other_rates": Decision.OTHER_RATES,
        "denied": Decision.DENIED,
    }.get(outcome, "")
    filing = RateFiling(
        organization=organization,
        year=season,
        form=form,
        status=status,
        decision=decision,
        submitted_at=None if status == FilingStatus.DRAFT else now,
    )
    if decision:
        filing.decided_at, filing.decided_by = now, analyst
        filing.decision_note = {
            Decision.WITHIN_CAP: "",
            Decision.OTHER_RATES: "Cost report supports a smaller increase.",
            Decision.DENIED: "Expenses were not documented.",
        }[decision]
    if status == FilingStatus.INFORMATION_REQUESTED:
        filing.information_request = "Please attach your audited financial statements."
    if form == FilingForm.LONG:
        filing.fiscal_year_end = date(season.year - 1, 6, 30)
        filing.emergency_responses = 2400 + organization.pk * 10
        filing.non_emergency_transports = 600
        filing.unit_hours = 17520
        filing.justification = "Paramedic wages and fuel rose faster than the CPI."
    _save(filing, actor, FilingStatus(status).label)
    approved = {}
    for row in rows:
        if row.prior is None and (form == FilingForm.SHORT or row.category.code != "als2"):
            continue
        if form == FilingForm.SHORT:
            requested = row.cap  # the most the Short Form allows
        else:
            requested = (row.prior or Decimal("1400.00")) * Decimal("1.12")
            requested = requested.quantize(rules.CENT)
        line = RateFilingLine(
            filing=filing,
            category=row.category,
            prior_amount=row.prior,
            cap=row.cap,
            requested_amount=requested,
        )
        if decision == Decision.OTHER_RATES:
            line.approved_amount = row.cap if row.cap is not None else requested
        _save(line, actor, "Rate requested")
        approved[row.category.pk] = line.approved_amount or requested
    if form == FilingForm.LONG:
        for kind, item, amount in [
            (FinancialKind.REVENUE, Payer.MEDICARE, Decimal("610000")),
            (FinancialKind.REVENUE, Payer.COMMERCIAL, Decimal("420000")),
            (FinancialKind.EXPENSE, ExpenseCategory.PERSONNEL, Decimal("890000")),
            (FinancialKind.EXPENSE, ExpenseCategory.FUEL, Decimal("95000")),
        ]:
            _save(
                FilingFinancialLine(filing=filing, kind=kind, item=item, amount=amount),
                actor,
                "Financial detail",
            )
    if status == FilingStatus.APPROVED:
        schedule = _schedule(filing, ScheduleKind.CHARGING, now, analyst, "Approved")
        RateScheduleLine.objects.bulk_create(
            [
                RateScheduleLine(schedule=schedule, category_id=category_id, amount=amount)
                for category_id, amount in approved.items()
            ]
        )
