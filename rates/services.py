"""Writes on rate years and filings: one function per action or transition.

Every status change goes through ``core.transitions.transition`` on a locked row, so its
simple-history row is the audit record; emails and invitation batches go out on commit.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import attach_audit, locked, save_with_audit, transition
from organizations.models import Organization
from organizations.selectors import user_administers

from . import rules, selectors, spreadsheets
from .models import (
    FILING_TRANSITIONS,
    RATE_YEAR_TRANSITIONS,
    Decision,
    FilingAttachment,
    FilingFinancialLine,
    FilingForm,
    FilingStatus,
    FinancialKind,
    RateCategory,
    RateFiling,
    RateFilingLine,
    RateInvitation,
    RateReminder,
    RateSchedule,
    RateScheduleLine,
    RateYear,
    RateYearStatus,
    ScheduleKind,
)


class RateRequestError(DomainError):
    """Several fields are wrong at once; ``errors`` maps a field name to its message."""

    def __init__(self, errors: Mapping[str, str], message: str | None = None):
        super().__init__(message or "Some rates need attention; see the messages beside them.")
        self.errors = dict(errors)


def rate_field(category: RateCategory) -> str:
    return f"rate_{category.code}"


# Who may do what --------------------------------------------------------------------------------


def _require_administrator(*, actor, organization: Organization) -> None:
    if not user_administers(user=actor, organization=organization):
        raise DomainError("Only the organization's administrators can file its rates.")


def _require_decider(actor) -> None:
    if not (
        actor.is_authenticated and actor.is_staff and actor.has_perm("rates.decide_ratefiling")
    ):
        raise DomainError("Only the office's rates analysts can decide rate filings.")


def _require_editable(filing: RateFiling) -> None:
    if not filing.is_editable:
        raise DomainError(
            f"This filing is {filing.get_status_display().lower()}; it cannot change."
        )
    if filing.status == FilingStatus.DRAFT and not filing.year.is_open:
        raise DomainError(f"The {filing.year.year} filing season is not open.")


# Filing seasons ---------------------------------------------------------------------------------


@transaction.atomic
def rate_year_open(*, rate_year: RateYear, actor) -> RateYear:
    """Open the filing season; every organization holding last year's approved schedule is
    invited (on commit, by a job that emails each of them once)."""
    _require_decider(actor)
    rate_year = locked(rate_year)
    if rate_year.status == RateYearStatus.OPEN:
        return rate_year
    transition(
        rate_year,
        allowed=RATE_YEAR_TRANSITIONS,
        target=RateYearStatus.OPEN,
        actor=actor,
        reason=f"Filing season opened, CPI {rate_year.cpi_percent}%",
        changes={"opened_at": rate_year.opened_at or timezone.now()},
    )
    enqueue_on_commit("rates.tasks.send_season_invitations", rate_year.pk)
    return rate_year


@transaction.atomic
def rate_year_close(*, rate_year: RateYear, actor) -> RateYear:
    _require_decider(actor)
    rate_year = locked(rate_year)
    if rate_year.status == RateYearStatus.CLOSED:
        return rate_year
    transition(
        rate_year,
        allowed=RATE_YEAR_TRANSITIONS,
        target=RateYearStatus.CLOSED,
        actor=actor,
        reason="Filing season closed",
    )
    return rate_year


def season_invite(*, rate_year: RateYear) -> list[int]:
    """Create the season's invitations (idempotent) and return the ids whose email has not
    gone out yet. Called by the invitation job."""
    existing = set(
        RateInvitation.objects.filter(year=rate_year).values_list("organization_id", flat=True)
    )
    RateInvitation.objects.bulk_create(
        [
            RateInvitation(year=rate_year, organization=organization)
            for organization in selectors.organizations_to_invite(rate_year=rate_year)
            if organization.pk not in existing
        ],
        ignore_conflicts=True,  # a second job running at the same time is harmless
    )
    return list(
        RateInvitation.objects.filter(year=rate_year, email_sent_at=None).values_list(
            "pk", flat=True
        )
    )


def invitation_claim(*, invitation_id: int) -> bool:
    """Claim the right to email this invitation: True for exactly one caller, ever."""
    return bool(
        RateInvitation.objects.filter(pk=invitation_id, email_sent_at=None).update(
            email_sent_at=timezone.now()
        )
    )


def invitation_unclaim(*, invitation_id: int) -> None:
    """The email failed after the claim: let the next run try again."""
    RateInvitation.objects.filter(pk=invitation_id).update(email_sent_at=None)


def reminder_claim(*, rate_year: RateYear, organization_id: int, today: date) -> bool:
    """At most one reminder per organization, season and day, whoever runs the job."""
    _, created = RateReminder.objects.get_or_create(
        year=rate_year, organization_id=organization_id, sent_on=today
    )
    return created


# Organization side ------------------------------------------------------------------------------


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


@transaction.atomic
def short_form_save(
    *, filing: RateFiling, requested: Mapping[str, Decimal | None], actor
) -> RateFiling:
    """Save the requested rates (category code -> amount or None). Every request is checked
    against its cap first; one refused request saves nothing."""
    _require_administrator(actor=actor, organization=filing.organization)
    filing = locked(filing)
    _require_editable(filing)
    if filing.form != FilingForm.SHORT:
        raise DomainError("This filing is not a Short Form.")
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
    _require_administrator(actor=actor, organization=filing.organization)
    filing = locked(filing)
    _require_editable(filing)
    if filing.form != FilingForm.LONG:
        raise DomainError("This filing is not a Full Rate Application.")
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
    _require_administrator(actor=actor, organization=filing.organization)
    filing = locked(filing)
    _require_editable(filing)
    if filing.form != FilingForm.LONG:
        raise DomainError("Attachments belong to the Full Rate Application.", field="file")
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
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
        target=FilingStatus.SUBMITTED,
        actor=actor,
        reason="Resubmitted with the information asked for" if resubmission else "Submitted",
        changes={"submitted_at": timezone.now()},
    )
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
    return filing


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
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
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
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
    return filing


# Staff decisions --------------------------------------------------------------------------------


def _write_schedule(
    filing: RateFiling, *, kind: str, amounts: Mapping[int, Decimal], actor
) -> RateSchedule:
    if RateSchedule.objects.filter(organization=filing.organization, year=filing.year).exists():
        raise DomainError(
            f"{filing.organization.legal_name} already has an approved {filing.year.year} schedule."
        )
    schedule = save_with_audit(
        RateSchedule(
            organization=filing.organization,
            year=filing.year,
            kind=kind,
            source_filing=filing,
            approved_at=timezone.now(),
        ),
        actor=actor,
        reason=f"Written by the decision on filing {filing.pk}",
    )
    for category_id, amount in amounts.items():
        save_with_audit(
            RateScheduleLine(schedule=schedule, category_id=category_id, amount=amount),
            actor=actor,
            reason="Approved rate",
        )
    return schedule


def _require_submitted(filing: RateFiling) -> None:
    if filing.status != FilingStatus.SUBMITTED:
        raise DomainError(
            f"Only a submitted filing can be decided; this one is "
            f"{filing.get_status_display().lower()}."
        )


@transaction.atomic
def filing_request_information(*, filing: RateFiling, actor, message: str) -> RateFiling:
    """Send the filing back to the organization with what is missing."""
    _require_decider(actor)
    if not message.strip():
        raise DomainError("Say what information is needed.", field="message")
    filing = locked(filing)
    if filing.status == FilingStatus.INFORMATION_REQUESTED:
        return filing
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
        target=FilingStatus.INFORMATION_REQUESTED,
        actor=actor,
        reason=message.strip(),
        changes={"information_request": message.strip()},
    )
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
    return filing


@transaction.atomic
def filing_approve(*, filing: RateFiling, actor, note: str = "") -> RateFiling:
    """Approve the rates as requested: a Short Form within the cap (the rule re-checked here),
    or a Full Rate Application as asked. Writes the year's approved schedule."""
    _require_decider(actor)
    filing = locked(filing)
    if filing.status == FilingStatus.APPROVED:
        return filing
    _require_submitted(filing)
    if filing.form == FilingForm.NON_CHARGING:
        raise DomainError("A non-charging statement needs no approval.")
    if filing.form == FilingForm.SHORT:
        problems = _submission_problems(filing)
        if problems:
            raise DomainError(
                "This Short Form no longer fits the cap: " + " ".join(problems.values())
            )
    amounts = {
        line.category_id: line.requested_amount
        for line in filing.lines.all()
        if line.requested_amount is not None
    }
    decision = Decision.WITHIN_CAP if filing.form == FilingForm.SHORT else Decision.AS_ASKED
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
        target=FilingStatus.APPROVED,
        actor=actor,
        reason=note.strip() or Decision(decision).label,
        changes={
            "decision": decision,
            "decision_note": note.strip(),
            "decided_at": timezone.now(),
            "decided_by": actor,
        },
    )
    _write_schedule(filing, kind=ScheduleKind.CHARGING, amounts=amounts, actor=actor)
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
    return filing


@transaction.atomic
def filing_approve_other_rates(
    *, filing: RateFiling, actor, note: str, rates: Mapping[str, Decimal | None] | None = None
) -> RateFiling:
    """Approve a Full Rate Application at rates the office sets (category code -> amount; a
    blank amount leaves the category out). Without ``rates`` the lines' ``approved_amount``
    (entered in the admin) are used."""
    _require_decider(actor)
    if not note.strip():
        raise DomainError("Say why the approved rates differ from those asked.", field="note")
    filing = locked(filing)
    if filing.status == FilingStatus.APPROVED:
        return filing
    _require_submitted(filing)
    if filing.form != FilingForm.LONG:
        raise DomainError("Only a Full Rate Application is approved at other rates.")
    lines = {line.category.code: line for line in filing.lines.select_related("category")}
    if rates is not None:
        unknown = set(rates) - set(lines)
        if unknown:
            raise DomainError(f"These categories were not requested: {', '.join(sorted(unknown))}.")
        for code, line in lines.items():
            amount = rates.get(code)
            if amount is not None and amount < 0:
                raise RateRequestError({f"rate_{code}": "A rate cannot be negative."})
            if line.approved_amount != amount:
                line.approved_amount = amount
                save_with_audit(line, actor=actor, reason="Rate set by the office")
    amounts = {
        line.category_id: line.approved_amount
        for line in lines.values()
        if line.approved_amount is not None
    }
    if not amounts:
        raise DomainError("Enter at least one approved rate.")
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
        target=FilingStatus.APPROVED,
        actor=actor,
        reason=note.strip(),
        changes={
            "decision": Decision.OTHER_RATES,
            "decision_note": note.strip(),
            "decided_at": timezone.now(),
            "decided_by": actor,
        },
    )
    _write_schedule(filing, kind=ScheduleKind.CHARGING, amounts=amounts, actor=actor)
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
    return filing


@transaction.atomic
def filing_deny(*, filing: RateFiling, actor, reason: str) -> RateFiling:
    _require_decider(actor)
    if not reason.strip():
        raise DomainError("Say why the filing is denied.", field="reason")
    filing = locked(filing)
    if filing.status == FilingStatus.DENIED:
        return filing
    _require_submitted(filing)
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
        target=FilingStatus.DENIED,
        actor=actor,
        reason=reason.strip(),
        changes={
            "decision": Decision.DENIED,
            "decision_note": reason.strip(),
            "decided_at": timezone.now(),
            "decided_by": actor,
        },
    )
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
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
