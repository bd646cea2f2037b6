"""The public "Allowable Rates by EMS Organization" PDF of one year, prepared by the documents
app on request and nightly for every year with approved rates."""

from core.errors import DomainError
from documents.registry import changes, public_list
from documents.tables import Column, TableLayout
from organizations.models import Organization

from . import selectors
from .models import RateCategory, RateSchedule, RateScheduleLine


def allowable_params(raw) -> dict:
    try:
        year = int(str(raw.get("year", "")).strip())
    except ValueError as error:
        raise DomainError("Give the year as four digits, e.g. 2024.", field="year") from error
    if not selectors.allowable_years().filter(year=year).exists():
        raise DomainError(
            f"No rates are approved for {year}, so there is no allowable-rates list for it. "
            "The years with approved rates are listed on the allowable rates page.",
            field="year",
        )
    return {"year": year}


def allowable_context(params) -> dict:
    rate_year = selectors.rate_year_get(year=params["year"])
    if rate_year is None:
        raise DomainError(f"No rates are approved for {params['year']}.")
    allowable = selectors.allowable_rates(rate_year=rate_year)
    if not allowable.rows:
        raise DomainError(f"No rates are approved for {params['year']}.")
    rows = [
        (schedule, [(category, amounts.get(category.pk)) for category in allowable.categories])
        for schedule, amounts in allowable.rows
    ]
    return {"rows": rows, "categories": allowable.categories, "rate_year": rate_year}


def allowable_fingerprint(params) -> str:
    year = params.get("year")
    parts = [
        *changes(RateSchedule.history.filter(year__year=year)),
        *changes(RateScheduleLine.history.filter(schedule__year__year=year)),
        changes(Organization.objects.filter(rate_schedules__year__year=year), "updated_at")[1],
        changes(RateCategory.history.all())[1],
    ]
    return f"rates:{year}:" + ":".join(
        value.isoformat() if hasattr(value, "isoformat") else str(value) for value in parts
    )


def _allowable_columns(context) -> tuple[Column, ...]:
    categories = context["categories"]
    share = 0.66 / max(1, len(categories))
    return (
        Column("Organization", 0.24),
        Column("Number", 0.10),
        *(Column(f"{category.name} ({category.unit})", share) for category in categories),
    )


def _money(schedule, amount) -> str:
    if amount is not None:
        return f"${amount:,.2f}"
    return "none" if schedule.kind == "non_charging" else "—"


def _allowable_cells(row):
    schedule, amounts = row
    name = schedule.organization.legal_name
    if schedule.kind == "non_charging":
        name += " — non-charging service"
    return [(name, schedule.organization.number, *(_money(schedule, a) for _, a in amounts))]


ALLOWABLE_TABLE = TableLayout(
    columns=_allowable_columns,
    cells=_allowable_cells,
    intro=lambda context: (
        f"The rates the Office of Emergency Medical Services approved for "
        f"{context['rate_year'].year}, in dollars. Organizations that do not impose charges are "
        "listed as non-charging services."
    ),
    empty="No rates are approved.",
    font_size=7.0,
)


def every_allowable_year():
    return [{"year": rate_year.year} for rate_year in selectors.allowable_years()]


DOCUMENTS = {
    "allowable-rates": public_list(
        title=lambda params: f"{params.get('year', '')} Allowable Rates by EMS Organization",
        description="The approved rates of each EMS organization for one year.",
        table=ALLOWABLE_TABLE,
        build_context=allowable_context,
        fingerprint=allowable_fingerprint,
        clean_params=allowable_params,
        listed=False,  # it needs a year: asked for on the allowable rates pages
        nightly=every_allowable_year,
    ),
}
