"""Reads on rate years, filings and approved schedules, shaped for pages, API, admin and tasks
(each with the joins its callers need, so query counts do not grow with rows)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from organizations.models import Organization
from organizations.selectors import organizations_administered_by, user_administers

from . import rules
from .models import (
    FilingForm,
    FilingStatus,
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


@dataclass(frozen=True)
class RateRow:
    """One category as the forms and the spreadsheet show it."""

    category: RateCategory
    prior: Decimal | None
    cap: Decimal | None
    requested: Decimal | None
    approved: Decimal | None = None

    @property
    def field_name(self) -> str:
        return f"rate_{self.category.code}"


def rate_year_get(*, year: int) -> RateYear | None:
    return RateYear.objects.filter(year=year).first()


def rate_years_open() -> QuerySet[RateYear]:
    return RateYear.objects.filter(status=RateYearStatus.OPEN).order_by("-year")


def prior_schedule(*, organization: Organization, rate_year: RateYear) -> RateSchedule | None:
    """Last year's approved schedule of the organization, with its lines."""
    return (
        RateSchedule.objects.filter(organization=organization, year__year=rate_year.year - 1)
        .select_related("year")
        .prefetch_related(Prefetch("lines", RateScheduleLine.objects.select_related("category")))
        .first()
    )


def prior_rates(*, organization: Organization, rate_year: RateYear) -> dict[int, Decimal]:
    """category id -> last year's approved amount (empty for a non-charging or missing year)."""
    schedule = prior_schedule(organization=organization, rate_year=rate_year)
    if schedule is None or schedule.kind != ScheduleKind.CHARGING:
        return {}
    return {line.category_id: line.amount for line in schedule.lines.all()}


def _rows(categories, *, prior, cpi_factor, filing) -> list[RateRow]:
    lines = {}
    if filing is not None and filing.pk:
        lines = {line.category_id: line for line in filing.lines.all()}
    rows = []
    for category in categories:
        line = lines.get(category.pk)
        prior_amount = prior.get(category.pk)
        rows.append(
            RateRow(
                category=category,
                prior=prior_amount,
                cap=rules.rate_cap(prior=prior_amount, cpi_factor=cpi_factor),
                requested=line.requested_amount if line else None,
                approved=line.approved_amount if line else None,
            )
        )
    return rows


def short_form_rows(
    *, organization: Organization, rate_year: RateYear, filing: RateFiling | None = None
) -> list[RateRow]:
    """The Short Form's categories: those of last year's approved schedule, each with its
    prior rate, its cap and what the filing asks."""
    prior = prior_rates(organization=organization, rate_year=rate_year)
    categories = RateCategory.objects.filter(pk__in=prior.keys())
    return _rows(categories, prior=prior, cpi_factor=rate_year.cpi_factor, filing=filing)


def long_form_rows(
    *, organization: Organization, rate_year: RateYear, filing: RateFiling | None = None
) -> list[RateRow]:
    """Every active category (plus any retired one the organization had last year)."""
    prior = prior_rates(organization=organization, rate_year=rate_year)
    categories = RateCategory.objects.filter(Q(is_active=True) | Q(pk__in=prior.keys()))
    return _rows(categories, prior=prior, cpi_factor=rate_year.cpi_factor, filing=filing)


def filing_for(*, organization: Organization, rate_year: RateYear) -> RateFiling | None:
    return (
        RateFiling.objects.filter(organization=organization, year=rate_year)
        .select_related("organization", "year")
        .prefetch_related("lines", "financials", "attachments")
        .first()
    )


def filing_with_detail(*, pk: int) -> RateFiling | None:
    return (
        RateFiling.objects.filter(pk=pk)
        .select_related("organization", "year", "decided_by")
        .prefetch_related(
            Prefetch("lines", RateFilingLine.objects.select_related("category")),
            "financials",
            "attachments",
        )
        .first()
    )


def user_may_view_filing(*, user, filing: RateFiling) -> bool:
    """Administrators of the filing's organization, and staff who may see filings."""
    if not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("rates.view_ratefiling"):
        return True
    return user_administers(user=user, organization=filing.organization)


def filings_visible_to(*, user) -> QuerySet[RateFiling]:
    """The filings of the organizations the user administers (the API's "my filings")."""
    return (
        RateFiling.objects.filter(organization__in=organizations_administered_by(user=user))
        .select_related("organization", "year")
        .prefetch_related(Prefetch("lines", RateFilingLine.objects.select_related("category")))
        .order_by("-year__year", "organization__legal_name")
    )


@dataclass(frozen=True)
class OrganizationSeason:
    """What an organization administrator sees for one organization in one open season."""

    organization: Organization
    rate_year: RateYear
    filing: RateFiling | None
    has_prior_rates: bool


def seasons_for_administrator(*, user) -> list[OrganizationSeason]:
    organizations = list(organizations_administered_by(user=user).order_by("legal_name"))
    years = list(rate_years_open())
    if not organizations or not years:
        return []
    filings = {
        (filing.organization_id, filing.year_id): filing
        for filing in RateFiling.objects.filter(organization__in=organizations, year__in=years)
    }
    charging_prior = set(
        RateSchedule.objects.filter(
            organization__in=organizations,
            year__year__in=[year.year - 1 for year in years],
            kind=ScheduleKind.CHARGING,
        ).values_list("organization_id", "year__year")
    )
    return [
        OrganizationSeason(
            organization=organization,
            rate_year=year,
            filing=filings.get((organization.pk, year.pk)),
            has_prior_rates=(organization.pk, year.year - 1) in charging_prior,
        )
        for year in years
        for organization in organizations
    ]


def recent_filings_for_administrator(*, user, limit: int = 10) -> QuerySet[RateFiling]:
    return filings_visible_to(user=user)[:limit]


def organizations_to_invite(*, rate_year: RateYear) -> QuerySet[Organization]:
    """Every organization that holds last year's approved schedule (charging or not)."""
    return Organization.objects.filter(rate_schedules__year__year=rate_year.year - 1).order_by(
        "legal_name"
    )


def organizations_not_filed(*, rate_year: RateYear) -> QuerySet[Organization]:
    """Invited organizations with nothing submitted yet (no filing, or only a draft)."""
    filed = RateFiling.objects.filter(organization=OuterRef("pk"), year=rate_year).exclude(
        status=FilingStatus.DRAFT
    )
    return (
        Organization.objects.filter(rate_invitations__year=rate_year)
        .exclude(Exists(filed))
        .order_by("legal_name")
    )


@dataclass(frozen=True)
class SeasonSummary:
    rate_year: RateYear
    invited: int
    filed: int
    within_cap: int
    above_cap: int
    non_charging: int
    missing: int
    by_status: dict[str, int]


def season_summary(*, rate_year: RateYear) -> SeasonSummary:
    """The dashboard's counts. "Filed" is anything beyond a draft; "within cap" counts Short
    Forms and "above cap" Full Rate Applications, since a request above the cap can only be
    made on the Long Form."""
    submitted = RateFiling.objects.filter(year=rate_year).exclude(status=FilingStatus.DRAFT)
    counts = submitted.aggregate(
        filed=Count("pk"),
        within_cap=Count("pk", filter=Q(form=FilingForm.SHORT)),
        above_cap=Count("pk", filter=Q(form=FilingForm.LONG)),
        non_charging=Count("pk", filter=Q(form=FilingForm.NON_CHARGING)),
    )
    by_status = dict(
        RateFiling.objects.filter(year=rate_year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return SeasonSummary(
        rate_year=rate_year,
        invited=RateInvitation.objects.filter(year=rate_year).count(),
        missing=organizations_not_filed(rate_year=rate_year).count(),
        by_status=by_status,
        **counts,
    )


def season_filings(*, rate_year: RateYear) -> QuerySet[RateFiling]:
    return (
        RateFiling.objects.filter(year=rate_year)
        .select_related("organization")
        .order_by("status", "organization__legal_name")
    )


# Publication ----------------------------------------------------------------------------------


def allowable_years() -> QuerySet[RateYear]:
    """Years with at least one approved schedule, newest first."""
    return (
        RateYear.objects.annotate(schedule_count=Count("schedules"))
        .filter(schedule_count__gt=0)
        .order_by("-year")
    )


@dataclass(frozen=True)
class AllowableRates:
    rate_year: RateYear
    categories: list[RateCategory]
    # (schedule, {category id: amount}) in organization order
    rows: list[tuple[RateSchedule, dict[int, Decimal]]]


def allowable_rates(*, rate_year: RateYear) -> AllowableRates:
    """The published table of a year: only approved schedules exist, so only they appear."""
    schedules = list(
        RateSchedule.objects.filter(year=rate_year)
        .select_related("organization")
        .prefetch_related("lines")
        .order_by("organization__legal_name", "organization__number")
    )
    rows = [
        (schedule, {line.category_id: line.amount for line in schedule.lines.all()})
        for schedule in schedules
    ]
    used = {category_id for _, amounts in rows for category_id in amounts}
    categories = list(RateCategory.objects.filter(pk__in=used))
    return AllowableRates(rate_year=rate_year, categories=categories, rows=rows)
