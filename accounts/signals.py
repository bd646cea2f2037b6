"""API tokens end with the credentials they were made under: a password change (allauth's
signals; any other path is caught by the token's password stamp in accounts.authentication)
and deactivation."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services
from .models import User


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def revoke_tokens_on_password_change(sender, request, user, **kwargs):
    services.api_tokens_revoke_all(user=user, reason="password changed")


@receiver(post_save, sender=User)
def revoke_tokens_on_deactivation(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        services.api_tokens_revoke_all(user=instance, reason="account deactivated")
