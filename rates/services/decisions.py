"""The office's decisions on a submitted filing: asking for information, approving (as asked,
within the cap, or at other rates) and denying."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from core.errors import DomainError
from core.transitions import locked, save_with_audit

from ..models import (
    Decision,
    FilingForm,
    FilingStatus,
    RateFiling,
    ScheduleKind,
)
from .common import (
    RateRequestError,
    _decide,
    _locked_for_decision,
    _move,
    _require_decider,
    _write_schedule,
)
from .filings import _submission_problems


@transaction.atomic
def filing_request_information(*, filing: RateFiling, actor, message: str) -> RateFiling:
    """Send the filing back to the organization with what is missing."""
    _require_decider(actor)
    if not message.strip():
        raise DomainError("Say what information is needed.", field="message")
    filing = locked(filing)
    if filing.status == FilingStatus.INFORMATION_REQUESTED:
        return filing
    return _move(
        filing,
        target=FilingStatus.INFORMATION_REQUESTED,
        actor=actor,
        reason=message.strip(),
        changes={"information_request": message.strip()},
    )


@transaction.atomic
def filing_approve(*, filing: RateFiling, actor, note: str = "") -> RateFiling:
    """Approve the rates as requested: a Short Form within the cap (the rule re-checked here),
    or a Full Rate Application as asked. Writes the year's approved schedule."""
    _require_decider(actor)
    filing, done = _locked_for_decision(filing, decided=FilingStatus.APPROVED)
    if done:
        return filing
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
    return _approve(filing, actor=actor, decision=decision, note=note, amounts=amounts)


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
    filing, done = _locked_for_decision(filing, decided=FilingStatus.APPROVED)
    if done:
        return filing
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
    return _approve(
        filing,
        actor=actor,
        decision=Decision.OTHER_RATES,
        note=note,
        amounts=amounts,
    )


@transaction.atomic
def filing_deny(*, filing: RateFiling, actor, reason: str) -> RateFiling:
    _require_decider(actor)
    if not reason.strip():
        raise DomainError("Say why the filing is denied.", field="reason")
    filing, done = _locked_for_decision(filing, decided=FilingStatus.DENIED)
    if done:
        return filing
    return _decide(
        filing,
        target=FilingStatus.DENIED,
        actor=actor,
        decision=Decision.DENIED,
        note=reason.strip(),
        reason=reason.strip(),
    )


def _approve(
    filing: RateFiling, *, actor, decision: str, note: str, amounts: Mapping[int, Decimal]
) -> RateFiling:
    """Approved: the decision recorded, then the year's schedule at ``amounts`` written (the
    status email goes on commit, after both)."""
    _decide(
        filing,
        target=FilingStatus.APPROVED,
        actor=actor,
        decision=decision,
        note=note.strip(),
        reason=note.strip() or Decision(decision).label,
    )
    _write_schedule(filing, kind=ScheduleKind.CHARGING, amounts=amounts, actor=actor)
    return filing
