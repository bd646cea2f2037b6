"""The API's two ways in, both under the staff rule (accounts.staff_access): a browser session,
and an API token (django-rest-knox). Set as REST_FRAMEWORK's defaults, so every API view gets
them without a line of its own."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import authentication, exceptions

from .staff_access import staff_access_refusal

TOKEN_NOT_VALID = (
    "This API token is not valid: it has expired, was revoked, or ended when the account's "
    "password changed. Create a new one on your account's API tokens page."
)
TOKEN_PASSWORD_CHANGED = (
    "This API token was made before the account's password changed, so it no longer works. "
    "Create a new one on your account's API tokens page."
)
# A token's last use is written at most this often: staff tokens' idle limit reads it.
LAST_USED_PRECISION_SECONDS = 60


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            refusal = staff_access_refusal(request._request, result[0])
            if refusal:
                # signed in, but not enough for staff data: 403 with the message
                raise exceptions.PermissionDenied(refusal)
        return result


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <token>``; 401 with a message that says what to do."""

    def authenticate_credentials(self, token):
        try:
            user, api_token = super().authenticate_credentials(token)
        except exceptions.AuthenticationFailed as error:
            if error.detail == "User inactive or deleted.":
                raise
            raise exceptions.AuthenticationFailed(TOKEN_NOT_VALID) from error
        if api_token.password_stamp != user.get_session_auth_hash():
            api_token.delete()
            raise exceptions.AuthenticationFailed(TOKEN_PASSWORD_CHANGED)
        refusal = staff_access_refusal(None, user, token=api_token)
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        now = timezone.now()
        last_used = api_token.last_used_at
        if last_used is None or (now - last_used).total_seconds() > LAST_USED_PRECISION_SECONDS:
            # a plain update: no history row per use
            type(api_token).objects.filter(pk=api_token.pk).update(last_used_at=now)
        return user, api_token


class SessionScheme(OpenApiAuthenticationExtension):
    """The schema describes our classes as the library ones they extend."""

    target_class = SessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
