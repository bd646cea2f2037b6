"""Account pages the libraries do not provide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from . import services


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    if request.method == "POST":
        token = services.api_token_rotate(user=request.user)
        messages.success(request, "A new API token was created; the previous one no longer works.")
        request.session["new_api_token"] = token.key
        return redirect("accounts:api-token")
    new_key = request.session.pop("new_api_token", None)
    has_token = Token.objects.filter(user=request.user).exists()
    return render(request, "accounts/api_token.html", {"new_key": new_key, "has_token": has_token})
