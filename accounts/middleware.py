"""Staff-only rules the libraries do not enforce by themselves.

* A staff account must have a TOTP authenticator, and must have used it in this session, before
  it reaches the admin or a staff page. django-allauth's MFA asks for the code at sign-in once a
  user has one, but does not force anybody to set one up.
* Staff sessions end after STAFF_IDLE_MINUTES without a request and STAFF_SESSION_HOURS after
  sign-in, whatever the activity.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

STAFF_PREFIXES = ("/admin/", "/staff/")
SESSION_STARTED = "staff_session_started"
SESSION_LAST_SEEN = "staff_session_last_seen"


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


def used_second_factor(request) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class StaffSessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            idle_limit = settings.STAFF_IDLE_MINUTES * 60
            absolute_limit = settings.STAFF_SESSION_HOURS * 3600
            if now - last_seen > idle_limit or now - started > absolute_limit:
                logout(request)
                messages.info(request, "Your staff session ended; please sign in again.")
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and is_staff_path(request.path)
        ):
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                messages.warning(
                    request,
                    "Staff accounts need an authenticator app. Set it up to continue.",
                )
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
            if not used_second_factor(request):
                logout(request)
                messages.info(
                    request, "Sign in again with your authenticator code to reach staff pages."
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)
