"""Hooks into django-axes and django-allauth."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits key on the same client address as every other throttle."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address


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
