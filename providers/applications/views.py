"""Pages of initial certification and reinstatement applications (signed in), and the
applicant's steps every kind shares (``applicant_step``). Thin: forms in,
services out, DomainError beside its field. A person sees only their own applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, refusal_as_message, refusal_on_form
from core.transitions import status_timeline
from payments.selectors import invoice_for

from .. import rules, selectors
from ..models import InitialApplication
from . import flow, forms, initial, reinstatement

# The applicant's buttons, the same for every kind of application (the one flow).
APPLICANT_STEPS = {
    "fee": flow.application_request_fee,
    "submit": flow.application_submit,
    "resubmit": flow.application_resubmit,
}
STEP_DONE = {
    "submit": "Your application is submitted.",
    "resubmit": "Your application is resubmitted.",
}


def applicant_step(request, application, action: str, *, fee_done: str):
    """POST of "continue to the fee", "submit" or "resubmit" on any kind of application: one
    flow service; a refusal comes back as a message, nothing else changes."""
    if action not in APPLICANT_STEPS:
        raise Http404("No such action.")
    with refusal_as_message(request):
        APPLICANT_STEPS[action](application=application, actor=request.user)
        messages.success(request, fee_done if action == "fee" else STEP_DONE[action])
    return redirect(application)


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
        with refusal_on_form(form):
            application = initial.initial_start(user=request.user, level=form.cleaned_data["level"])
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


@sensitive_post_parameters("ssn", "date_of_birth")
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
        with refusal_on_form(form):
            initial.initial_save(
                application=application,
                actor=request.user,
                data=data,
                cpr_card=cpr_card or None,
                acls_card=acls_card or None,
            )
            messages.success(request, "Saved.")
            return redirect(application)
    return render(
        request,
        "providers/initial_edit.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


def _review_context(application, missing) -> dict:
    """What providers/_application_review.html shows of an initial or reinstatement application:
    what is still missing (while the applicant may edit), its fee, history and processing time."""
    return {
        "application": application,
        "invoice": invoice_for(subject=application),
        "missing": missing(application) if application.is_editable else {},
        "timeline": status_timeline(application),
        "processing_weeks": rules.PROCESSING_WEEKS,
    }


@login_required
def initial_detail(request, pk):
    application = _initial(request, pk)
    return render(
        request,
        "providers/initial_detail.html",
        _review_context(application, initial.initial_missing),
    )


def _applicant_action(name, find, fee_done):
    """The view of an applicant's POST actions (fee, resubmit, submit) on one kind of
    application, found by ``find(request, pk)`` (404 when not theirs)."""

    @login_required
    @require_POST
    def view(request, pk, action):
        return applicant_step(request, find(request, pk), action, fee_done=fee_done)

    view.__name__ = view.__qualname__ = name
    return view


initial_action = _applicant_action(
    "initial_action", _initial, "Your application is complete. The fee is due."
)


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
        with refusal_on_form(form):
            reinstatement.reinstatement_sign(
                application=application,
                actor=request.user,
                attestation_name=form.cleaned_data["attestation_name"],
            )
            messages.success(request, "Signed.")
            return redirect(application)
    return render(
        request,
        "providers/reinstatement_detail.html",
        {
            **_review_context(application, reinstatement.reinstatement_missing),
            "certification": application.certification,
            "form": form,
            "progress": selectors.ce_progress(application.certification),
        },
        status=400 if form.errors else 200,
    )


reinstatement_action = _applicant_action(
    "reinstatement_action", _reinstatement, "Complete. The reinstatement fee is due."
)
