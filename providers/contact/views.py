"""The "My contact details" page: contact details, their history, the offer to use the sign-in
email, and name change requests. Thin: forms in, one service per change, DomainError beside
its field."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import refusal_as_message, refusal_on_form

from .. import selectors as provider_selectors
from . import selectors, services
from .forms import ContactForm, NameChangeForm


def provider_required(view):
    """Signed in with a linked record: the view gets it; anyone else is sent to link one."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        provider = provider_selectors.provider_of(request.user)
        if provider is None:
            messages.info(request, "Link your certification to your account first.")
            return redirect("providers:link")
        return view(request, provider, *args, **kwargs)

    return wrapped


def _page(request, provider, *, contact_form=None, name_form=None):
    contact_email = selectors.provider_contact_email(provider)
    account_email = request.user.email
    return render(
        request,
        "providers/contact.html",
        {
            "provider": provider,
            "contact_form": contact_form
            or ContactForm(
                initial={name: getattr(provider, name) for name in selectors.CONTACT_FIELDS}
            ),
            "name_form": name_form
            or NameChangeForm(
                initial={name: getattr(provider, name) for name in NameChangeForm.NAME_FIELDS}
            ),
            "contact_email": contact_email,
            "account_email": account_email,
            "offer_account_email": selectors.contact_email_differs(provider, account_email),
            "history": selectors.contact_history(provider),
            "name_changes": selectors.name_change_requests_of(provider),
            "name_change_pending": selectors.name_change_pending(provider),
        },
    )


@provider_required
@require_http_methods(["GET", "POST"])
def contact(request, provider):
    if request.method != "POST":
        return _page(request, provider)
    form = ContactForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            services.provider_contact_update(
                provider=provider, actor=request.user, **form.cleaned_data
            )
            messages.success(request, "Your contact details are saved.")
            return redirect("providers:contact")
    return _page(request, provider, contact_form=form)


@provider_required
@require_POST
def contact_use_account_email(request, provider):
    with refusal_as_message(request):
        services.provider_contact_use_account_email(provider=provider, actor=request.user)
        messages.success(
            request, f"Reminders and notices now go to your sign-in email, {request.user.email}."
        )
    return redirect("providers:contact")


@provider_required
@require_POST
def name_change(request, provider):
    form = NameChangeForm(request.POST, request.FILES)
    if form.is_valid():
        with refusal_on_form(form):
            services.name_change_request(provider=provider, actor=request.user, **form.cleaned_data)
            messages.success(
                request, "Your name change request is sent. Licensing staff will review it."
            )
            return redirect("providers:contact")
    return _page(request, provider, name_form=form)
