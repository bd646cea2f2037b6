"""Hooks into django-axes and django-allauth."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


def axes_username(request, credentials=None):
    """The login a failed attempt was for: allauth posts it as ``login``, the authenticate()
    call receives it as ``email``; lower-cased so case tricks do not dodge the lock."""
    value = ""
    if credentials:
        value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username") or ""
    return value.strip().lower()


@receiver(authenticator_added)
def count_activation_as_second_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means typing a valid code, so this session has used the second factor;
    without this the staff member would be sent to sign in again straight after setting it up."""
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
