"""What the organization's side and the office's decisions share: who may do what, the
filing's moves (each one transition, its audit row, the status email on commit) and the
approved schedule a decision writes."""

from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition
from organizations.models import Organization
from organizations.selectors import user_administers

from ..models import (
    FILING_TRANSITIONS,
    FilingStatus,
    RateCategory,
    RateFiling,
    RateSchedule,
    RateScheduleLine,
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


def _move(filing: RateFiling, *, target: str, actor, reason: str, changes=None) -> RateFiling:
    """One move of the locked filing (its history row is the audit record); the organization
    is emailed its new status on commit."""
    transition(
        filing,
        allowed=FILING_TRANSITIONS,
        target=target,
        actor=actor,
        reason=reason,
        changes=changes,
    )
    enqueue_on_commit("rates.tasks.send_filing_status", filing.pk, filing.status)
    return filing


def _decide(
    filing: RateFiling, *, target: str, actor, decision: str, note: str, reason: str
) -> RateFiling:
    """The office's decision on the locked filing, with who decided, when and why."""
    return _move(
        filing,
        target=target,
        actor=actor,
        reason=reason,
        changes={
            "decision": decision,
            "decision_note": note,
            "decided_at": timezone.now(),
            "decided_by": actor,
        },
    )


def _locked_for_decision(filing: RateFiling, *, decided: str) -> tuple[RateFiling, bool]:
    """The locked filing, and whether it already has this decision (a double submit acts once);
    one still to decide must be submitted."""
    filing = locked(filing)
    if filing.status == decided:
        return filing, True
    _require_submitted(filing)
    return filing, False
