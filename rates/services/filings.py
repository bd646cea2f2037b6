"""The organization's side: starting a filing, its rates (forms or the Short Form
spreadsheet), attachments, submitting, and the non-charging certification."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import attach_audit, locked, save_with_audit
from organizations.models import Organization

from .. import rules, selectors, spreadsheets
from ..models import (
    FilingAttachment,
    FilingFinancialLine,
    FilingForm,
    FilingStatus,
    FinancialKind,
    RateCategory,
    RateFiling,
    RateFilingLine,
    RateYear,
    ScheduleKind,
)
from .common import (
    RateRequestError,
    _move,
    _require_administrator,
    _require_editable,
    _write_schedule,
)


@transaction.atomic
def filing_start(
    *, organization: Organization, rate_year: RateYear, form: str, actor
) -> RateFiling:
    """The organization's filing for the year in the chosen form, created as a draft if there
    is none. A draft (or a filing sent back for information) may switch forms."""
    _require_administrator(actor=actor, organization=organization)
    if form not in FilingForm.values:
        raise DomainError("Choose the Short Form, the Long Form or the non-charging statement.")
    filing = (
        RateFiling.objects.select_for_update()
        .filter(organization=organization, year=rate_year)
        .first()
    )
    if filing is None:
        if not rate_year.is_open:
            raise DomainError(f"The {rate_year.year} filing season is not open.")
        if form == FilingForm.SHORT and not selectors.prior_rates(
            organization=organization, rate_year=rate_year
        ):
            raise DomainError(
                f"The Short Form raises last year's approved rates, and there are none for "
                f"{rate_year.year - 1}; file the Full Rate Application (Long Form) instead."
            )
        filing = RateFiling(organization=organization, year=rate_year, form=form)
        return save_with_audit(filing, actor=actor, reason=f"{filing.get_form_display()} started")
    if filing.form != form and filing.is_editable:
        _require_editable(filing)
        if form == FilingForm.SHORT and not selectors.prior_rates(
            organization=organization, rate_year=rate_year
        ):
            raise DomainError("There are no approved rates from last year to raise.")
        old = filing.get_form_display()
        # What was typed for one form does not carry over to another.
        for line in [*filing.lines.all(), *filing.financials.all()]:
            attach_audit(line, actor=actor)
            line.delete()
        filing.form = form
        save_with_audit(
            filing,
            actor=actor,
            reason=f"Switched from {old} to {filing.get_form_display()}",
            update_fields=["form", "updated_at"],
        )
    return filing


def _save_lines(filing: RateFiling, rows, requested: Mapping[str, Decimal | None], actor) -> None:
    existing = {line.category_id: line for line in filing.lines.all()}
    for row in rows:
        amount = requested.get(row.category.code)
        line = existing.get(row.category.pk)
        if line is None and amount is None:
            continue
        line = line or RateFilingLine(filing=filing, category=row.category)
        if line.pk and (line.requested_amount, line.prior_amount, line.cap) == (
            amount,
            row.prior,
            row.cap,
        ):
            continue  # nothing changed: no history row
        line.requested_amount = amount
        line.prior_amount = row.prior
        line.cap = row.cap
        save_with_audit(line, actor=actor, reason="Rate requested")


def _unknown_codes(rows, requested) -> dict[str, str]:
    known = {row.category.code for row in rows}
    errors = {}
    for code, amount in requested.items():
        if code in known or amount is None:
            continue
        category = RateCategory.objects.filter(code=code).first()
        name = category.name if category else code
        errors[f"rate_{code}"] = (
            f"{name} has no approved rate last year, so it cannot be capped; "
            f"{rules.LONG_FORM_HINT}."
        )
    return errors


def _locked_for_edit(
    filing: RateFiling, *, actor, form: str, refusal: str, field: str | None = None
) -> RateFiling:
    """The filing locked for its administrator's edit: refused unless it can still change and
    is of ``form`` (``refusal`` says so, beside ``field``)."""
    _require_administrator(actor=actor, organization=filing.organization)
    filing = locked(filing)
    _require_editable(filing)
    if filing.form != form:
        raise DomainError(refusal, field=field)
    return filing


@transaction.atomic
def short_form_save(
    *, filing: RateFiling, requested: Mapping[str, Decimal | None], actor
) -> RateFiling:
    """Save the requested rates (category code -> amount or None). Every request is checked
    against its cap first; one refused request saves nothing."""
    filing = _locked_for_edit(
        filing, actor=actor, form=FilingForm.SHORT, refusal="This filing is not a Short Form."
    )
    rows = selectors.short_form_rows(
        organization=filing.organization, rate_year=filing.year, filing=filing
    )
    errors = _unknown_codes(rows, requested)
    for row in rows:
        problem = rules.short_form_problem(
            category_name=row.category.name,
            requested=requested.get(row.category.code),
            prior=row.prior,
            cap=row.cap,
        )
        if problem:
            errors[row.field_name] = problem
    if errors:
        raise RateRequestError(errors)
    _save_lines(filing, rows, requested, actor)
    return save_with_audit(
        filing, actor=actor, reason="Short Form saved", update_fields=["updated_at"]
    )


@transaction.atomic
def long_form_save(
    *,
    filing: RateFiling,
    requested: Mapping[str, Decimal | None],
    financials: Mapping[tuple[str, str], Decimal | None],
    operating: Mapping[str, object],
    actor,
) -> RateFiling:
    """Save the Full Rate Application: requested rates (no cap), revenues by payer and expenses
    by category (``(kind, item) -> amount``), and the operating figures."""
    filing = _locked_for_edit(
        filing,
        actor=actor,
        form=FilingForm.LONG,
        refusal="This filing is not a Full Rate Application.",
    )
    rows = selectors.long_form_rows(
        organization=filing.organization, rate_year=filing.year, filing=filing
    )
    unknown = {code for code in requested if code not in {row.category.code for row in rows}}
    if unknown:
        raise RateRequestError({f"rate_{code}": "Unknown rate category." for code in unknown})
    _save_lines(filing, rows, requested, actor)
    existing = {(line.kind, line.item): line for line in filing.financials.all()}
    for (kind, item), amount in financials.items():
        line = existing.get((kind, item))
        if amount is None:
            if line is not None:
                line.delete()
            continue
        if line is not None and line.amount == amount:
            continue
        line = line or FilingFinancialLine(filing=filing, kind=kind, item=item)
        line.amount = amount
        save_with_audit(line, actor=actor, reason="Financial detail")
    allowed = {
        "fiscal_year_end",
        "emergency_responses",
        "non_emergency_transports",
        "unit_hours",
        "justification",
    }
    for name, value in operating.items():
        if name not in allowed:
            raise DomainError(f"Unknown field {name}.")
        setattr(filing, name, value)
    return save_with_audit(
        filing,
        actor=actor,
        reason="Full Rate Application saved",
        update_fields=[*operating.keys(), "updated_at"],
    )


@transaction.atomic
def filing_attach(*, filing: RateFiling, file, description: str, actor) -> FilingAttachment:
    filing = _locked_for_edit(
        filing,
        actor=actor,
        form=FilingForm.LONG,
        refusal="Attachments belong to the Full Rate Application.",
        field="file",
    )
    problem = rules.attachment_problem(file)
    if problem:
        raise DomainError(problem, field="file")
    if not description.strip():
        raise DomainError("Say what the document is.", field="description")
    attachment = FilingAttachment(
        filing=filing, file=file, description=description.strip(), uploaded_by=actor
    )
    return save_with_audit(attachment, actor=actor, reason="Attachment added")


def _submission_problems(filing: RateFiling) -> dict[str, str]:
    errors = {}
    lines = {line.category_id: line for line in filing.lines.all()}
    if filing.form == FilingForm.SHORT:
        rows = selectors.short_form_rows(
            organization=filing.organization, rate_year=filing.year, filing=filing
        )
        for row in rows:
            if row.requested is None:
                errors[row.field_name] = (
                    f"Enter the {filing.year.year} rate for {row.category.name} "
                    f"(last year's ${row.prior} if it does not change)."
                )
                continue
            problem = rules.short_form_problem(
                category_name=row.category.name,
                requested=row.requested,
                prior=row.prior,
                cap=row.cap,
            )
            if problem:
                errors[row.field_name] = problem
    elif filing.form == FilingForm.LONG:
        if not any(line.requested_amount is not None for line in lines.values()):
            errors["__all__"] = "Request at least one rate."
        for name, label in [
            ("fiscal_year_end", "the end of your last fiscal year"),
            ("emergency_responses", "the number of emergency responses"),
            ("unit_hours", "the unit hours"),
        ]:
            if getattr(filing, name) in (None, ""):
                errors[name] = f"Enter {label}."
        kinds = {line.kind for line in filing.financials.all()}
        if FinancialKind.REVENUE not in kinds:
            errors["revenue"] = "Enter your revenues by payer."
        if FinancialKind.EXPENSE not in kinds:
            errors["expense"] = "Enter your expenses by category."
        if not filing.justification.strip():
            errors["justification"] = "Explain why the rates above the CPI cap are needed."
    return errors


@transaction.atomic
def filing_submit(*, filing: RateFiling, actor) -> RateFiling:
    """Send the filing to the office. Submitting twice (a double click) acts once."""
    _require_administrator(actor=actor, organization=filing.organization)
    filing = locked(filing)
    if filing.status == FilingStatus.SUBMITTED:
        return filing
    if filing.form == FilingForm.NON_CHARGING:
        raise DomainError("The non-charging statement is certified, not submitted.")
    _require_editable(filing)
    errors = _submission_problems(filing)
    if errors:
        raise RateRequestError(errors, "The filing is not complete; see the messages below.")
    resubmission = filing.status == FilingStatus.INFORMATION_REQUESTED
    return _move(
        filing,
        target=FilingStatus.SUBMITTED,
        actor=actor,
        reason="Resubmitted with the information asked for" if resubmission else "Submitted",
        changes={"submitted_at": timezone.now()},
    )


@transaction.atomic
def non_charging_certify(
    *, organization: Organization, rate_year: RateYear, signed_name: str, actor
) -> RateFiling:
    """The Non-Charging Service Certification Statement: the organization certifies it does
    not impose charges; the year is recorded as non-charging at once."""
    if not signed_name.strip():
        raise DomainError("Type your full name to sign the statement.", field="signed_name")
    filing = filing_start(
        organization=organization, rate_year=rate_year, form=FilingForm.NON_CHARGING, actor=actor
    )
    filing = locked(filing)
    if filing.status == FilingStatus.CERTIFIED:
        return filing
    _require_editable(filing)
    if filing.status != FilingStatus.DRAFT:
        raise DomainError("A filing sent back for information cannot become a certification.")
    now = timezone.now()
    _move(
        filing,
        target=FilingStatus.CERTIFIED,
        actor=actor,
        reason=f"Non-charging service certified by {signed_name.strip()}",
        changes={
            "certified_by_name": signed_name.strip(),
            "certified_at": now,
            "submitted_at": now,
        },
    )
    _write_schedule(filing, kind=ScheduleKind.NON_CHARGING, amounts={}, actor=actor)
    return filing


def short_form_import(*, filing: RateFiling, file, actor) -> RateFiling:
    """Save the rates of an uploaded Short Form spreadsheet: every cell is checked first, and
    a single problem saves nothing (``SpreadsheetError`` lists them with row and column)."""
    _require_administrator(actor=actor, organization=filing.organization)
    _require_editable(filing)
    if filing.form != FilingForm.SHORT:
        raise DomainError("Only the Short Form has a spreadsheet.")
    rows = selectors.short_form_rows(
        organization=filing.organization, rate_year=filing.year, filing=filing
    )
    requested = spreadsheets.read_short_form(
        file=file, organization=filing.organization, rate_year=filing.year, rows=rows
    )
    return short_form_save(filing=filing, requested=requested, actor=actor)
