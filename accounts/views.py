"""Account pages the libraries do not provide: the owner's API tokens."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, refusal_on_form

from . import selectors, services
from .services import api_token_lifetime
from .staff_access import used_second_factor

NEW_TOKEN_SESSION_KEY = "new_api_token"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What is this token for?",
        help_text="A name to recognise it by, e.g. “nightly roster script”.",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            token, plain = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                second_factor=used_second_factor(request),
            )
            messages.success(request, f"The token “{token.name}” was created.")
            request.session[NEW_TOKEN_SESSION_KEY] = plain
            return redirect("accounts:api-token")
    return render(
        request,
        "accounts/api_token.html",
        {
            "form": form,
            "new_key": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
            "tokens": selectors.api_tokens_of(user=request.user),
            "lifetime_hours": api_token_lifetime(user=request.user).total_seconds() // 3600,
            "idle_minutes": settings.STAFF_IDLE_MINUTES,
        },
    )


@login_required
@require_POST
def api_token_revoke(request, token_key):
    try:
        services.api_token_revoke(user=request.user, token_key=token_key)
    except DomainError as error:
        raise Http404(error.message) from error  # someone else's token: as if it did not exist
    messages.success(request, "The token was revoked; it no longer works.")
    return redirect("accounts:api-token")
