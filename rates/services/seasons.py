"""Filing seasons: opening and closing a rate year, its invitations and reminders."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.transitions import locked, transition, transition_once

from .. import selectors
from ..models import (
    RATE_YEAR_TRANSITIONS,
    RateInvitation,
    RateReminder,
    RateYear,
    RateYearStatus,
)
from .common import _require_decider


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
    rate_year, _ = transition_once(
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
