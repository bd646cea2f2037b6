"""Discipline on a certification (suspension, revocation, surrender, and lifting them), called
by Complaints when an investigation closes with such an outcome. The status verification shows
is computed from these fields (``rules.certification_status``)."""

from datetime import date

from django.db import transaction

from core.errors import DomainError
from core.transitions import locked, require_reason, transition, transition_once

from . import rules
from .models import Certification

D = rules.Discipline
DISCIPLINE_TRANSITIONS = {
    D.NONE: {D.SUSPENDED, D.REVOKED, D.SURRENDERED},
    D.SUSPENDED: {D.REVOKED, D.SURRENDERED, D.NONE},
    D.REVOKED: {D.NONE},
    D.SURRENDERED: {D.NONE, D.REVOKED},
}


def _discipline(certification, *, actor, target, reason, effective_from, until=None):
    require_reason(reason)
    if until and effective_from and until <= effective_from:
        raise DomainError("The end date must come after the start date.", field="until")
    certification = locked(certification)
    return transition(
        certification,
        allowed=DISCIPLINE_TRANSITIONS,
        target=target,
        field="discipline",
        actor=actor,
        reason=reason,
        changes={
            "discipline_from": effective_from,
            "discipline_until": until,
            "discipline_reason": reason,
        },
    )


@transaction.atomic
def certification_suspend(
    *, certification: Certification, actor, reason: str, effective_from: date, until=None
) -> Certification:
    return _discipline(
        certification,
        actor=actor,
        target=D.SUSPENDED,
        reason=reason,
        effective_from=effective_from,
        until=until,
    )


@transaction.atomic
def certification_revoke(
    *, certification: Certification, actor, reason: str, effective_from: date
) -> Certification:
    return _discipline(
        certification, actor=actor, target=D.REVOKED, reason=reason, effective_from=effective_from
    )


@transaction.atomic
def certification_surrender(
    *, certification: Certification, actor, reason: str, effective_from: date
) -> Certification:
    return _discipline(
        certification,
        actor=actor,
        target=D.SURRENDERED,
        reason=reason,
        effective_from=effective_from,
    )


@transaction.atomic
def certification_lift_discipline(
    *, certification: Certification, actor, reason: str
) -> Certification:
    """End a suspension, revocation or surrender: the status is computed from dates again."""
    require_reason(reason)
    return transition_once(
        certification,
        allowed=DISCIPLINE_TRANSITIONS,
        target=D.NONE,
        field="discipline",
        actor=actor,
        reason=reason,
        changes={"discipline_from": None, "discipline_until": None, "discipline_reason": ""},
    )[0]
