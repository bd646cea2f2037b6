"""Staff-only rules the libraries do not enforce by themselves, on every page.

* Staff sessions end after STAFF_IDLE_MINUTES without a request and STAFF_SESSION_HOURS after
  sign-in, whatever the activity.
* A staff account reaches no page but the sign-in, sign-out and authenticator set-up pages
  until it has an authenticator and has used it in this session. django-allauth asks for the code
  at sign-in once a user has one, but does not force anybody to set one up. The rule itself is
  ``accounts.staff_access.staff_access_refusal``; the API applies the same function in its
  authentication classes (accounts.authentication), so the middleware leaves ``/api/`` to them.
"""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .staff_access import (
    SESSION_LAST_SEEN,
    SESSION_STARTED,
    SET_UP_AUTHENTICATOR,
    STAFF_SESSION_ENDED,
    session_within_staff_limits,
    staff_access_refusal,
)

__all__ = ["SESSION_LAST_SEEN", "SESSION_STARTED", "is_api_path"]

API_PREFIX = "/api/"


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


# allauth's pages a staff account needs to comply: sign in (with the code), sign out, set up or
# use the authenticator (mfa_*), confirm the password, reset a forgotten one.
WAY_TO_COMPLY = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_email",
        "account_email_verification_sent",
    }
)


def _is_way_to_comply(request) -> bool:
    name = getattr(request.resolver_match, "url_name", None) or ""
    return name in WAY_TO_COMPLY or name.startswith("mfa_")


def _is_staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_staff


class StaffSessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if _is_staff(user):
            now = time.time()
            request.session.setdefault(SESSION_STARTED, now)
            request.session.setdefault(SESSION_LAST_SEEN, now)
            if not session_within_staff_limits(request.session, now=now):
                logout(request)
                if is_api_path(request.path):
                    return JsonResponse({"detail": STAFF_SESSION_ENDED}, status=401)
                messages.info(request, STAFF_SESSION_ENDED)
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not _is_staff(user) or is_api_path(request.path):
            return None
        if _is_way_to_comply(request):
            return None
        refusal = staff_access_refusal(request, user)
        if refusal is None:
            return None
        messages.warning(request, refusal)
        if refusal == SET_UP_AUTHENTICATOR:
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        logout(request)
        return redirect(f"{reverse('account_login')}?next={request.path}")
