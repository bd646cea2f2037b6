"""Pages of initial certification and reinstatement applications (signed in). Thin: forms in,
services out, DomainError beside its field. A person sees only their own applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, put_on_form
from core.transitions import status_timeline
from payments.selectors import invoice_for

from . import application_forms as forms
from . import initial, reinstatement, rules, selectors
from .models import InitialApplication

# --- Initial certification ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def initial_home(request):
    applications = list(selectors.initial_applications_of(request.user))
    open_application = next(
        (a for a in applications if a.status not in ("approved", "denied")), None
    )
    form = forms.InitialStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = initial.initial_start(user=request.user, level=form.cleaned_data["level"])
        except DomainError as error:
            put_on_form(form, error)
        else:
            return redirect("providers:initial-edit", pk=application.pk)
    return render(
        request,
        "providers/initial_home.html",
        {"form": form, "applications": applications, "open_application": open_application},
    )


def _initial(request, pk) -> InitialApplication:
    return get_object_or_404(selectors.initial_applications_of(request.user), pk=pk)


def _initial_initial(application):
    data = {name: getattr(application, name) for name in initial.TEXT_FIELDS}
    data["background_attest"] = bool(application.background_attested_at)
    data["attestation_name"] = application.attestation_name
    return data


@login_required
@require_http_methods(["GET", "POST"])
def initial_edit(request, pk):
    application = _initial(request, pk)
    if not application.is_editable:
        return redirect(application)
    form = forms.InitialApplicationForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial_initial(application),
        needs_acls=application.needs_acls,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cpr_card = data.pop("cpr_card", None)
        acls_card = data.pop("acls_card", None)
        try:
            initial.initial_save(
                application=application,
                actor=request.user,
                data=data,
                cpr_card=cpr_card or None,
                acls_card=acls_card or None,
            )
        except DomainError as error:
            put_on_form(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect(application)
    return render(
        request,
        "providers/initial_edit.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def initial_detail(request, pk):
    application = _initial(request, pk)
    return render(
        request,
        "providers/initial_detail.html",
        {
            "application": application,
            "invoice": invoice_for(subject=application),
            "missing": initial.initial_missing(application) if application.is_editable else {},
            "timeline": status_timeline(application),
            "processing_weeks": rules.PROCESSING_WEEKS,
        },
    )


INITIAL_ACTIONS = {
    "fee": (initial.initial_request_fee, "Your application is complete. The fee is due."),
    "submit": (initial.initial_submit, "Your application is submitted."),
    "resubmit": (initial.initial_resubmit, "Your application is resubmitted."),
}


@login_required
@require_POST
def initial_action(request, pk, action):
    application = _initial(request, pk)
    if action not in INITIAL_ACTIONS:
        raise Http404("No such action.")
    service, done = INITIAL_ACTIONS[action]
    try:
        service(application=application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(application)


# --- Reinstatement -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reinstatement_start(request, number):
    certification = get_object_or_404(selectors.certifications_of(request.user), number=number)
    eligibility = reinstatement.reinstatement_eligibility(certification)
    if request.method == "POST":
        try:
            application = reinstatement.reinstatement_start(
                certification=certification, user=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect(application)
    return render(
        request,
        "providers/reinstatement_start.html",
        {
            "certification": certification,
            "eligibility": eligibility,
            "progress": selectors.ce_progress(certification),
        },
    )


def _reinstatement(request, pk):
    return get_object_or_404(selectors.reinstatements_of(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def reinstatement_detail(request, pk):
    application = _reinstatement(request, pk)
    form = forms.SignForm(
        request.POST or None, initial={"attestation_name": application.attestation_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            reinstatement.reinstatement_sign(
                application=application,
                actor=request.user,
                attestation_name=form.cleaned_data["attestation_name"],
            )
        except DomainError as error:
            put_on_form(form, error)
        else:
            messages.success(request, "Signed.")
            return redirect(application)
    return render(
        request,
        "providers/reinstatement_detail.html",
        {
            "application": application,
            "certification": application.certification,
            "form": form,
            "progress": selectors.ce_progress(application.certification),
            "invoice": invoice_for(subject=application),
            "missing": reinstatement.reinstatement_missing(application)
            if application.is_editable
            else {},
            "timeline": status_timeline(application),
            "processing_weeks": rules.PROCESSING_WEEKS,
        },
        status=400 if form.errors else 200,
    )


REINSTATEMENT_ACTIONS = {
    "fee": (reinstatement.reinstatement_request_fee, "Complete. The reinstatement fee is due."),
    "submit": (reinstatement.reinstatement_submit, "Your application is submitted."),
    "resubmit": (reinstatement.reinstatement_resubmit, "Your application is resubmitted."),
}


@login_required
@require_POST
def reinstatement_action(request, pk, action):
    application = _reinstatement(request, pk)
    if action not in REINSTATEMENT_ACTIONS:
        raise Http404("No such action.")
    service, done = REINSTATEMENT_ACTIONS[action]
    try:
        service(application=application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(application)
