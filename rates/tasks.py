"""Celery entry points of the rates app: ids in, idempotent (safe to run twice)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import emails, selectors, services
from .models import RateFiling, RateInvitation, RateYear

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_season_invitations(self, rate_year_id: int) -> int:
    """Invite every organization holding last year's schedule; each invitation is emailed once
    (claimed by a conditional update), so a re-run or a second worker sends nothing twice."""
    rate_year = RateYear.objects.get(pk=rate_year_id)
    sent = 0
    for invitation_id in services.season_invite(rate_year=rate_year):
        if not services.invitation_claim(invitation_id=invitation_id):
            continue  # another worker got there first
        invitation = RateInvitation.objects.select_related("organization").get(pk=invitation_id)
        try:
            emails.send_invitation(organization=invitation.organization, rate_year=rate_year)
        except OSError:
            services.invitation_unclaim(invitation_id=invitation_id)
            raise
        sent += 1
    logger.info("rates: %s invitations emailed for %s", sent, rate_year.year)
    return sent


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_filing_reminders(self, rate_year_id: int) -> int:
    """Remind the invited organizations that have not filed; at most once a day each."""
    rate_year = RateYear.objects.get(pk=rate_year_id)
    if not rate_year.is_open:
        return 0
    today = timezone.localdate()
    sent = 0
    for organization in selectors.organizations_not_filed(rate_year=rate_year):
        if not services.reminder_claim(
            rate_year=rate_year, organization_id=organization.pk, today=today
        ):
            continue
        emails.send_reminder(organization=organization, rate_year=rate_year)
        sent += 1
    return sent


@shared_task
def send_filing_status(filing_id: int, status: str) -> None:
    """Tell the organization its filing changed; skipped if it has moved on since."""
    filing = RateFiling.objects.select_related("organization", "year").get(pk=filing_id)
    if filing.status != status:
        return
    emails.send_filing_status(filing=filing)
