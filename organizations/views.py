"""Public lists, the organization administrator's pages and the staff contacts export.
Thin: forms validate input, services decide, DomainError lands beside its field."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.client_address import client_address
from core.errors import DomainError, put_on_form, refusal_as_message, refusal_on_form
from core.exports import csv_response
from payments.models import FeeCode
from payments.selectors import invoice_balance, invoice_for, invoice_hold
from providers.selectors import provider_of

from . import rules, selectors, services
from .forms import (
    AffiliationRequestForm,
    ApplicationForm,
    ChiefReportForm,
    LinkConfirmForm,
    LinkRequestForm,
    OrganizationContactForm,
    PersonForm,
    TransferForm,
)
from .models import (
    ApplicationKind,
    ApplicationStatus,
    Organization,
    PsaType,
)


def _date_param(request) -> date:
    value = request.GET.get("on", "")
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


# --- Public ------------------------------------------------------------------------------------


def directory(request):
    organizations = selectors.organization_directory()
    query = request.GET.get("q", "").strip()
    if query:
        organizations = organizations.filter(legal_name__icontains=query) | organizations.filter(
            number__iexact=query
        )
    return render(
        request,
        "organizations/directory.html",
        {"organizations": organizations, "query": query, "psa_types": PsaType},
    )


def psa_by_town(request):
    on = _date_param(request)
    return render(
        request,
        "organizations/psa_by_town.html",
        {"rows": selectors.psa_by_town(on=on), "on": on, "psa_types": PsaType.choices},
    )


def psa_by_organization(request):
    on = _date_param(request)
    return render(
        request,
        "organizations/psa_by_organization.html",
        {"organizations": selectors.psa_by_organization(on=on), "on": on},
    )


def ido_list(request):
    return render(request, "organizations/ido_list.html", {"officers": selectors.ido_list()})


def ido_list_csv(request):
    return csv_response(
        "infectious-disease-officers.csv",
        (
            [
                person.organization.number,
                person.organization.legal_name,
                person.full_name,
                person.email,
                person.phone,
            ]
            for person in selectors.ido_list()
        ),
        header=["organization_number", "organization_name", "officer", "email", "phone"],
    )


# --- Staff -------------------------------------------------------------------------------------


@permission_required("organizations.view_organizationperson", raise_exception=True)
def contacts_csv(request):
    """The contacts file the state's mass-notification system imports."""
    return csv_response(
        "ems-organization-contacts.csv",
        selectors.notification_contacts_rows(),
        header=selectors.NOTIFICATION_CSV_HEADER,
    )


# --- Organization administrators ---------------------------------------------------------------


def _administered(request, pk) -> Organization:
    """The organization, if the signed-in person administers it; 404 otherwise, so another
    organization's pages do not even confirm it exists."""
    organization = get_object_or_404(Organization, pk=pk)
    if not selectors.user_administers(user=request.user, organization=organization):
        raise Http404
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def link_request(request):
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.organization_link_request(
                user=request.user,
                number=form.cleaned_data["number"],
                ip_address=client_address(request),
            )
            messages.success(request, "A PIN is on its way to the organization's email on file.")
            number = form.cleaned_data["number"].strip().upper()
            return redirect(f"{reverse('organizations:link-confirm')}?number={number}")
    return render(request, "organizations/link_request.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def link_confirm(request):
    form = LinkConfirmForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            organization = services.organization_link_confirm(
                user=request.user, number=form.cleaned_data["number"], pin=form.cleaned_data["pin"]
            )
            messages.success(request, f"You now administer {organization.legal_name}.")
            return redirect(organization)
    return render(request, "organizations/link_confirm.html", {"form": form})


@login_required
def manage(request, pk):
    organization = _administered(request, pk)
    organization = selectors.organization_detail(pk=organization.pk)
    return render(
        request,
        "organizations/manage.html",
        {
            "organization": organization,
            "chief_reports": organization.chief_reports.all()[:10],
            "applications": organization.applications.all()[:20],
            "pending_affiliations": selectors.affiliation_requests(
                organization=organization
            ).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_contact(request, pk):
    organization = _administered(request, pk)
    form = OrganizationContactForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.organization_update_contact(
                organization=organization,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
            messages.success(request, "Contact details saved.")
            return redirect(organization)
    return render(
        request, "organizations/edit_contact.html", {"form": form, "organization": organization}
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request, pk):
    organization = _administered(request, pk)
    form = PersonForm(request.POST or None, initial={"role": request.GET.get("role", "")})
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.person_set(organization=organization, actor=request.user, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['full_name']} saved.")
            return redirect(organization)
    return render(
        request, "organizations/person_form.html", {"form": form, "organization": organization}
    )


@login_required
@require_http_methods(["POST"])
def person_remove(request, pk, person_pk):
    organization = _administered(request, pk)
    person = get_object_or_404(organization.people, pk=person_pk)
    services.person_remove(person=person, actor=request.user)
    messages.success(request, f"{person.full_name} removed.")
    return redirect(organization)


@login_required
@require_http_methods(["GET", "POST"])
def chief_report(request, pk):
    organization = _administered(request, pk)
    form = ChiefReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            report = services.chief_report_submit(
                organization=organization, reported_by=request.user, **form.cleaned_data
            )
            late = (
                " It arrived after the due date; the office will see that."
                if report.is_late
                else ""
            )
            messages.success(
                request,
                f"Report received. It was due by {report.due_on:%B %-d, %Y}.{late}",
            )
            return redirect(organization)
    return render(
        request,
        "organizations/chief_report.html",
        {
            "form": form,
            "organization": organization,
            "rule_days": rules.CHIEF_CHANGE_REPORT_BUSINESS_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request, pk):
    organization = _administered(request, pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            new_administrator = services.organization_administrator_transfer(
                organization=organization, actor=request.user, to_email=form.cleaned_data["email"]
            )
            messages.success(
                request, f"{new_administrator.email} now administers the organization."
            )
            return redirect("core:dashboard")
    return render(
        request, "organizations/transfer.html", {"form": form, "organization": organization}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request, kind):
    if kind not in ApplicationKind.values:
        raise Http404
    organization = None
    if kind != ApplicationKind.NEW_ORGANIZATION:
        organization = _administered(request, request.GET.get("organization") or 0)
    form = ApplicationForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with refusal_on_form(form):
            application = services.application_create(
                kind=kind, applicant=request.user, organization=organization, **data
            )
            messages.success(request, "Draft saved. Submit it when it is complete.")
            return redirect(application)
    return render(
        request,
        "organizations/application_form.html",
        {"form": form, "kind": ApplicationKind(kind), "organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = get_object_or_404(selectors.applications_for(user=request.user), pk=pk)
    form = None
    if application.is_editable:
        form = ApplicationForm(request.POST or None, instance=application, kind=application.kind)
    if request.method == "POST":
        if form is None:
            messages.info(request, "This application can no longer be changed.")
            return redirect(application)
        if form.is_valid():
            form.save()  # the draft keeps what was typed, submitted or not
            if "submit" in request.POST:
                try:
                    if application.status == ApplicationStatus.RETURNED:
                        services.application_resubmit(application=application, actor=request.user)
                    else:
                        services.application_submit(application=application, actor=request.user)
                except DomainError as error:
                    put_on_form(form, error)
                    for field, message in services.application_problems(application).items():
                        if field in form.fields and field != error.field:
                            form.add_error(field, message)
                else:
                    messages.success(request, "Application submitted.")
                    return redirect(application)
            else:
                messages.success(request, "Draft saved.")
                return redirect(application)
    invoice = None
    if application.charges_license_fee:
        invoice = invoice_for(subject=application, fee_code=FeeCode.ORGANIZATION_LICENSE)
    return render(
        request,
        "organizations/application_detail.html",
        {
            "application": application,
            "form": form,
            "invoice": invoice,
            "balance": invoice_balance(invoice) if invoice else None,
            "hold": invoice_hold(invoice),
            "resumes_to": (
                ApplicationStatus(application.status_before_hold).label
                if application.status_before_hold
                else ""
            ),
        },
    )


# --- Affiliations ------------------------------------------------------------------------------


@login_required
def roster(request, pk):
    """The organization's roster and the requests waiting on its administrator."""
    organization = _administered(request, pk)
    return render(
        request,
        "organizations/roster.html",
        {
            "organization": organization,
            "roster": selectors.organization_roster(organization=organization),
            "requests": selectors.affiliation_requests(organization=organization),
        },
    )


AFFILIATION_ACTIONS = {
    "approve": (services.affiliation_approve, "{name} is on the roster."),
    "decline": (services.affiliation_decline, "{name}'s request is declined."),
    "end": (None, "{name} is no longer on the roster."),
}


@login_required
@require_http_methods(["POST"])
def affiliation_decide(request, pk, affiliation_pk, action):
    """The administrator approves, declines or ends one affiliation of their organization."""
    organization = _administered(request, pk)
    affiliation = get_object_or_404(
        organization.affiliations.select_related("provider"), pk=affiliation_pk
    )
    if action not in AFFILIATION_ACTIONS:
        raise Http404
    service, done = AFFILIATION_ACTIONS[action]
    note = request.POST.get("note", "").strip()[:300]
    with refusal_as_message(request):
        if action == "end":
            services.affiliation_end(affiliation=affiliation, actor=request.user, reason=note)
        else:
            service(affiliation=affiliation, actor=request.user, note=note)
        messages.success(request, done.format(name=affiliation.provider.full_name))
    return redirect("organizations:roster", pk=organization.pk)


def _linked_provider(request):
    return provider_of(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliations(request):
    """A provider's affiliations, and the form to ask an organization to add them."""
    provider = _linked_provider(request)
    if provider is None:
        messages.info(request, "Link your certification first; then ask an organization.")
        return redirect("providers:link")
    initial = {}
    number = request.GET.get("organization", "").strip().upper()
    if number:
        initial["organization"] = selectors.affiliable_organizations().filter(number=number).first()
    form = AffiliationRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            affiliation = services.affiliation_request(
                provider=provider,
                organization=form.cleaned_data["organization"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(
                request,
                f"Request sent to {affiliation.organization.legal_name}; its administrator "
                "decides it.",
            )
            return redirect("organizations:my-affiliations")
    return render(
        request,
        "organizations/my_affiliations.html",
        {
            "form": form,
            "provider": provider,
            "affiliations": selectors.affiliations_of_provider(provider=provider),
        },
    )


@login_required
@require_http_methods(["POST"])
def my_affiliation_end(request, affiliation_pk):
    provider = _linked_provider(request)
    affiliation = get_object_or_404(
        selectors.affiliations_of_provider(provider=provider), pk=affiliation_pk
    )
    with refusal_as_message(request):
        services.affiliation_end(
            affiliation=affiliation,
            actor=request.user,
            reason=request.POST.get("reason", "").strip()[:300],
        )
        messages.success(
            request, f"You are no longer affiliated with {affiliation.organization.legal_name}."
        )
    return redirect("organizations:my-affiliations")
