"""Provider pages (signed in) and the public verification page. Thin: forms in, services out,
DomainError put beside its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.client_address import client_address
from core.errors import DomainError, refusal_as_message, refusal_on_form
from core.lean import render_framed
from core.throttling import verify_lookup_allowed
from core.transitions import status_timeline
from payments.selectors import invoice_balance, invoice_for, invoice_hold, invoices_for_subjects

from . import forms, rules, selectors, services
from .applications.views import applicant_step
from .dashboard_selectors import dashboard_for
from .models import DECIDED_STATUSES, CERecord, Credential, RenewalStatus, RenewalStep

VERIFY_THROTTLED = (
    "Too many look-ups from your connection in the last minute. Try again in {seconds} seconds."
)


def _require_provider(request):
    provider = selectors.provider_of(request.user)
    if provider is None:
        messages.info(request, "Link your certification to your account first.")
    return provider


@login_required
def home(request):
    provider = selectors.provider_of(request.user)
    if provider is None:
        return redirect("providers:link")
    dashboard = dashboard_for(user=request.user)
    applications = list(selectors.applications_of(request.user))
    open_by_certification = {
        a.certification_id: a for a in applications if a.status not in DECIDED_STATUSES
    }
    invoices = invoices_for_subjects(subjects=list(open_by_certification.values()))
    rows = [
        {
            "certification": step.certification,
            "step": step,
            "progress": selectors.ce_progress(step.certification),
            "application": open_by_certification.get(step.certification.pk),
            "invoice": invoices.get(
                str(getattr(open_by_certification.get(step.certification.pk), "pk", ""))
            ),
        }
        for step in dashboard.certifications
    ]
    return render(
        request,
        "providers/home.html",
        {
            "provider": provider,
            "rows": rows,
            "applications": applications,
            "credentials": dashboard.credentials,
        },
    )


@sensitive_post_parameters("ssn", "date_of_birth")
@login_required
@require_http_methods(["GET", "POST"])
def link(request):
    form = forms.LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certification = services.certification_link(
                user=request.user,
                number=form.cleaned_data["number"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                ssn=form.cleaned_data["ssn"],
                ip_address=client_address(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Certification {certification.number} is linked.")
            return redirect("providers:home")
    return render(request, "providers/link.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def ce(request):
    provider = _require_provider(request)
    if provider is None:
        return redirect("providers:link")
    form = forms.CERecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.ce_record_add(provider=provider, actor=request.user, **form.cleaned_data)
            messages.success(request, "Course recorded.")
            return redirect("providers:ce")
    certifications = list(selectors.certifications_of(request.user))
    progress = [(c, selectors.ce_progress(c)) for c in certifications]
    return render(
        request,
        "providers/ce.html",
        {"form": form, "records": selectors.ce_records_of(request.user), "progress": progress},
    )


@login_required
@require_POST
def ce_delete(request, pk):
    record = get_object_or_404(CERecord, pk=pk, provider__user=request.user)
    with refusal_as_message(request):
        services.ce_record_delete(record=record, actor=request.user)
        messages.success(request, "Course removed.")
    return redirect("providers:ce")


@login_required
@require_POST
def renewal_start(request, number):
    certification = get_object_or_404(selectors.certifications_of(request.user), number=number)
    try:
        application = services.renewal_start(certification=certification, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("providers:home")
    return redirect("providers:renewal-step", pk=application.pk, step=application.step)


def _application(request, pk):
    """The signed-in person's own application, or 404 (never someone else's)."""
    return get_object_or_404(selectors.applications_of(request.user), pk=pk)


STEP_FORMS = {
    RenewalStep.NREMT: forms.NremtForm,
    RenewalStep.DETAILS: forms.DetailsForm,
    RenewalStep.CE: forms.CEStepForm,
    RenewalStep.ATTEST: forms.AttestForm,
}


def _step_initial(application, step):
    if step == RenewalStep.NREMT:
        return {
            "nremt_number": application.nremt_number,
            "nremt_attest": bool(application.nremt_attested_at),
        }
    if step == RenewalStep.DETAILS:
        return {
            name: getattr(application, name)
            for name in ["email", "phone", "address_line1", "city", "state", "postal_code"]
        }
    if step == RenewalStep.CE:
        return {"ce": application.ce_records.exists()}
    return {"attestation_name": application.attestation_name}


@login_required
@require_http_methods(["GET", "POST"])
def renewal_step(request, pk, step):
    application = _application(request, pk)
    if step not in STEP_FORMS:
        raise Http404("No such step.")
    if not application.is_editable:
        return redirect(application)
    form_class = STEP_FORMS[step]
    form = form_class(request.POST or None, initial=_step_initial(application, step))
    progress = selectors.ce_progress(application.certification)
    if request.method == "POST":
        if step == RenewalStep.CE and not progress.complete:
            form.is_valid()
            form.add_error(
                "ce",
                f"Your continuing education is not complete: {progress.remaining_summary}. "
                "Record the missing hours first; this draft keeps everything else.",
            )
        elif form.is_valid():
            with refusal_on_form(form):
                application = services.renewal_save_step(
                    application=application, actor=request.user, step=step, data=form.cleaned_data
                )
                if step == RenewalStep.ATTEST or "save_exit" in request.POST:
                    messages.success(request, "Saved.")
                    return redirect(application)
                return redirect("providers:renewal-step", pk=application.pk, step=application.step)
    steps = [
        {"value": value, "label": label, "current": value == step}
        for value, label in RenewalStep.choices
    ]
    return render(
        request,
        "providers/renewal_step.html",
        {
            "application": application,
            "certification": application.certification,
            "form": form,
            "step": step,
            "step_label": RenewalStep(step).label,
            "steps": steps,
            "progress": progress,
        },
    )


@login_required
def renewal_detail(request, pk):
    application = _application(request, pk)
    invoice = invoice_for(subject=application)
    missing = services.renewal_missing(application) if application.is_editable else {}
    return render(
        request,
        "providers/renewal_detail.html",
        {
            "application": application,
            "certification": application.certification,
            "invoice": invoice,
            "balance": invoice_balance(invoice) if invoice else None,
            "hold": invoice_hold(invoice),
            "resumes_to": (
                RenewalStatus(application.status_before_hold).label
                if application.status_before_hold
                else ""
            ),
            "missing": missing,
            "timeline": status_timeline(application),
            "documents": application.documents.all(),
            "document_form": forms.DocumentForm(),
            "processing_weeks": rules.PROCESSING_WEEKS,
            "Status": RenewalStatus,
        },
    )


@login_required
@require_POST
def renewal_action(request, pk, action):
    return applicant_step(
        request,
        _application(request, pk),
        action,
        fee_done="Your application is complete. The renewal fee is due.",
    )


@login_required
@require_POST
def renewal_document(request, pk):
    application = _application(request, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusal_on_form(form):
            services.renewal_document_add(
                application=application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
            )
            messages.success(request, "Document uploaded.")
            return redirect(application)
    return render(
        request,
        "providers/renewal_document.html",
        {"application": application, "document_form": form},
        status=400,
    )


@login_required
@require_POST
def credential_renew(request, pk):
    credential = get_object_or_404(Credential, pk=pk, provider__user=request.user)
    with refusal_as_message(request):
        renewal = services.credential_renewal_submit(credential=credential, actor=request.user)
        messages.success(
            request, f"Renewal of {credential} received: {renewal.get_status_display().lower()}."
        )
    return redirect("providers:home")


def verify(request):
    form = forms.VerifyForm(request.GET or None)
    context = {"form": form, "results": None}
    if form.is_bound and form.is_valid():
        allowed, wait = verify_lookup_allowed(request)
        if not allowed:
            form.add_error(None, VERIFY_THROTTLED.format(seconds=wait))
            response = _verify_page(request, context, status=429)
            response["Retry-After"] = str(wait)
            return response
        results = context["results"] = selectors.verify_search(**form.cleaned_data)
        # Everything the content shows: the words asked, each result as shown, and the day
        # its status is computed for (the record itself comes from the verify cache).
        shown = (tuple(form.data.get(name, "") for name in form.fields), timezone.localdate())
        return _verify_page(
            request, context, content_key=(shown, *map(selectors.verify_shown, results))
        )
    return _verify_page(request, context)


def _verify_page(request, context, *, status=200, content_key=None):
    # The JSON API's lean path for the page: the cached record (verify_search by number is
    # selectors.verify_one), the frame rendered once per worker and the content once per
    # distinct key (core.lean).
    return render_framed(
        request,
        "providers/verify_frame.html",
        "providers/verify.html",
        context,
        status=status,
        content_key=content_key,
    )
