"""The one home of the renewal-reminder numbers and of the rule that says which threshold a
certification is in today. The thresholds themselves are data (``ReminderThreshold``).

A threshold's *window* runs from its own day up to the next (smaller) threshold's day: with
180/90/60/30/7, the 30-day reminder is due while 7 < days left <= 30. So a run that missed a day
still sends it the next day, while a certification first seen 20 days before expiry gets only the
30-day reminder, not four at once. The smallest threshold's window ends on the expiration day
(or, for a negative threshold, when the grace period ends: the status rule stops it).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Q

# The exactly-once numbers are the shared claim's (core.send_once); named here for callers.
from core.send_once import CLAIM_STALE_AFTER, MAX_SEND_ATTEMPTS

from .. import rules

__all__ = ["CLAIM_STALE_AFTER", "MAX_SEND_ATTEMPTS"]

# Only these statuses get reminders (providers.rules): a suspended, revoked, surrendered,
# lapsed or expired certification cannot be renewed online, so reminding would mislead.
REMINDED_STATUSES = sorted(rules.RENEWABLE_STATUSES)

# Certifications handled by one task: small enough that a killed worker loses little time, large
# enough that 20,000 certifications make a few dozen tasks.
BATCH_SIZE = 500

NO_EMAIL_REASON = "No email address on file for this provider."


@dataclass(frozen=True)
class Window:
    days_before: int
    # days left must be > this (None: no lower bound but the status rule)
    after_days: int | None
    # days left must be >= this (the expiration day for a non-negative smallest threshold)
    from_days: int | None

    def contains(self, days_left: int) -> bool:
        if days_left > self.days_before:
            return False
        if self.after_days is not None and days_left <= self.after_days:
            return False
        return not (self.from_days is not None and days_left < self.from_days)

    def q(self, *, today: date) -> Q:
        """The same rule as ``contains`` as a filter on Certification rows."""
        condition = Q(expires_on__lte=today + timedelta(days=self.days_before))
        if self.after_days is not None:
            condition &= Q(expires_on__gt=today + timedelta(days=self.after_days))
        if self.from_days is not None:
            condition &= Q(expires_on__gte=today + timedelta(days=self.from_days))
        return condition


def windows(days_before: list[int]) -> dict[int, Window]:
    """The window of each active threshold, keyed by its number of days."""
    ordered = sorted(set(days_before), reverse=True)
    result = {}
    for index, days in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        from_days = 0 if following is None and days >= 0 else None
        result[days] = Window(days_before=days, after_days=following, from_days=from_days)
    return result


def reminded_status_q(*, today: date) -> Q:
    return reduce(or_, (rules.status_q(status, today=today) for status in REMINDED_STATUSES))
