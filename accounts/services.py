"""Writes on accounts: API tokens (django-rest-knox), made, revoked and ended with the account's
credentials."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from core.errors import DomainError

from .models import ApiToken
from .staff_access import SIGN_IN_WITH_AUTHENTICATOR

logger = logging.getLogger(__name__)


def api_token_lifetime(*, user) -> timedelta:
    """Staff: no longer than a staff session; everyone else: API_TOKEN_DAYS."""
    if user.is_staff:
        return timedelta(hours=settings.STAFF_SESSION_HOURS)
    return timedelta(days=settings.API_TOKEN_DAYS)


@transaction.atomic
def api_token_create(*, user, name: str, second_factor: bool) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the token itself, which is shown once and
    never stored. ``second_factor``: the session making it used the authenticator (required for
    staff)."""
    if user.is_staff and not second_factor:
        raise DomainError(SIGN_IN_WITH_AUTHENTICATOR)
    name = name.strip()
    if not name:
        raise DomainError("Say what this token is for.", field="name")
    token, plain = ApiToken.objects.create(
        user=user,
        expiry=api_token_lifetime(user=user),
        name=name[:100],
        second_factor=second_factor,
        password_stamp=user.get_session_auth_hash(),
    )
    logger.info("API token %s… made for user %s", token.token_key, user.pk)
    return token, plain


@transaction.atomic
def api_token_revoke(*, user, token_key: str) -> None:
    """The owner revokes one of their tokens; someone else's token is not found."""
    token = ApiToken.objects.filter(user=user, token_key=token_key).first()
    if token is None:
        raise DomainError("No such token among yours.")
    token.delete()
    logger.info("API token %s… revoked by its owner %s", token_key, user.pk)


@transaction.atomic
def api_tokens_revoke_all(*, user, reason: str) -> int:
    """End every token of ``user`` (password changed, account deactivated)."""
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        token.delete()  # one by one: each deletion leaves its history row
    if tokens:
        logger.info("%d API token(s) of user %s revoked: %s", len(tokens), user.pk, reason)
    return len(tokens)
