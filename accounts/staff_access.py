"""The one rule for staff accounts: staff data only through credentials that used the second
factor, within the staff session limits.

Both doors call ``staff_access_refusal``: the middleware for every page (accounts.middleware)
and the API's authentication classes for every API request, session or token
(accounts.authentication). A staff account that has not answered its authenticator gets the
message and nothing else; the sign-in, sign-out and authenticator pages themselves (allauth's)
stay open so it can.
"""

import time
from datetime import timedelta

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

SESSION_STARTED = "staff_session_started"
SESSION_LAST_SEEN = "staff_session_last_seen"

SET_UP_AUTHENTICATOR = (
    "Staff accounts need an authenticator app: set one up, then sign in with its code."
)
SIGN_IN_WITH_AUTHENTICATOR = (
    "Staff data needs the second factor: sign in again with your authenticator app code."
)
STAFF_SESSION_ENDED = "Your staff session ended; sign in again with your authenticator app code."
TOKEN_WITHOUT_SECOND_FACTOR = (
    "This API token was not made from a session that used the second factor, so it cannot "
    "reach staff data: sign in with your authenticator app code and create a new token."
)
STAFF_TOKEN_ENDED = (
    "This staff API token has passed the staff session limits: sign in with your "
    "authenticator app code and create a new token."
)


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_second_factor(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def session_within_staff_limits(session, *, now: float | None = None) -> bool:
    """Idle and absolute limits of a staff session (the times are set by
    StaffSessionLimitsMiddleware on each request)."""
    now = time.time() if now is None else now
    started = session.get(SESSION_STARTED, now)
    last_seen = session.get(SESSION_LAST_SEEN, now)
    return (
        now - last_seen <= settings.STAFF_IDLE_MINUTES * 60
        and now - started <= settings.STAFF_SESSION_HOURS * 3600
    )


def token_within_staff_limits(token, *, now=None) -> bool:
    """A staff token lives no longer than a staff session: STAFF_SESSION_HOURS from its making,
    and ends after STAFF_IDLE_MINUTES unused."""
    now = now or timezone.now()
    last_used = token.last_used_at or token.created
    return now - token.created <= timedelta(
        hours=settings.STAFF_SESSION_HOURS
    ) and now - last_used <= timedelta(minutes=settings.STAFF_IDLE_MINUTES)


def staff_access_refusal(request, user, *, token=None) -> str | None:
    """Why this request may not act as ``user``, or None when it may.

    Only staff accounts are concerned. ``token`` is the API token the request authenticated
    with (None for a session). A refusal is a message for the person, naming the authenticator.
    """
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    if token is not None:
        if not token.second_factor:
            return TOKEN_WITHOUT_SECOND_FACTOR
        if not token_within_staff_limits(token):
            return STAFF_TOKEN_ENDED
        return None
    if not has_authenticator(user):
        return SET_UP_AUTHENTICATOR
    if not used_second_factor(request):
        return SIGN_IN_WITH_AUTHENTICATOR
    if not session_within_staff_limits(request.session):
        return STAFF_SESSION_ENDED
    return None
