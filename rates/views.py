"""Rates pages: organization administrators file; the public reads the allowable rates; staff
follow the filing season. Thin: forms in, services and selectors out."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, put_on_form, refusal_on_form
from core.exports import csv_response, xlsx_response
from core.outbox import enqueue
from core.transitions import status_timeline
from organizations.models import Organization
from organizations.selectors import user_administers

from . import selectors, services, spreadsheets, tasks
from .forms import AttachmentForm, LongForm, NonChargingForm, ShortForm, SpreadsheetUploadForm
from .models import FilingForm, FilingStatus, RateYear
from .services import RateRequestError

# Organization administrators --------------------------------------------------------------------


def _organization_and_year(request, organization_id, year) -> tuple[Organization, RateYear]:
    """The organization (404 unless the user administers it) and the rate year."""
    organization = get_object_or_404(Organization, pk=organization_id)
    if not user_administers(user=request.user, organization=organization):
        raise Http404("No such organization among yours.")
    rate_year = get_object_or_404(RateYear, year=year)
    return organization, rate_year


def _put_errors_on_form(form, error: DomainError) -> None:
    if isinstance(error, RateRequestError):
        for field, message in error.errors.items():
            form.add_error(None if field not in form.fields else field, message)
        if "__all__" not in error.errors:
            form.add_error(None, error.message)
    else:
        put_on_form(form, error)


def _start_and(request, organization, rate_year, form, action):
    """Start (or switch to) the filing and act on it in one transaction: a refused action
    leaves nothing behind, not even a new empty draft."""
    with transaction.atomic():
        filing = services.filing_start(
            organization=organization, rate_year=rate_year, form=form, actor=request.user
        )
        action(filing)
    return filing


def _editable_filing(view):
    """A page of the organization's filing of the year: 404 unless the user administers the
    organization; a filing no longer editable sends to its own page. The view is called with
    the organization, the rate year and the filing (None before one is started)."""

    @wraps(view)
    def page(request, organization_id, year):
        organization, rate_year = _organization_and_year(request, organization_id, year)
        filing = selectors.filing_for(organization=organization, rate_year=rate_year)
        if filing is not None and not filing.is_editable:
            return redirect("rates:filing-detail", pk=filing.pk)
        return view(request, organization, rate_year, filing)

    return page


# Each of the two rate forms: its page, the name users know it by, and the form beside it.
FORM_PAGES = {
    FilingForm.SHORT: ("rates/short_form.html", "rates:short-form", "Short Form", "upload_form"),
    FilingForm.LONG: (
        "rates/long_form.html",
        "rates:long-form",
        "Full Rate Application",
        "attachment_form",
    ),
}


FORM_CLASSES = {FilingForm.SHORT: ShortForm, FilingForm.LONG: LongForm}
SIDE_FORM_CLASSES = {FilingForm.SHORT: SpreadsheetUploadForm, FilingForm.LONG: AttachmentForm}


def _current(filing, kind):
    """The filing when it is of this form (else None: the organization chose the other one)."""
    return filing if filing is not None and filing.form == kind else None


def _current_rows(kind, organization, rate_year, filing):
    """The filing when it is of this form, and the form's rows (last year's rates, the cap,
    what this filing asks)."""
    current = _current(filing, kind)
    read = selectors.short_form_rows if kind == FilingForm.SHORT else selectors.long_form_rows
    return current, read(organization=organization, rate_year=rate_year, filing=current)


def _form_page(request, kind, organization, rate_year, current, form, side_form, **more):
    """The Short or Long Form page; ``more`` adds ``other_form`` or the ``status``."""
    template, _, _, side = FORM_PAGES[kind]
    status = more.pop("status", 200)
    context = {"organization": organization, "rate_year": rate_year, "filing": current}
    return render(
        request, template, context | more | {"form": form, side: side_form}, status=status
    )


def _side_form_refused(request, kind, organization, rate_year, filing, side_form):
    """The form page again after the form beside it (spreadsheet, attachment) was refused: the
    rates as saved, that form with its errors, 400."""
    current, rows = _current_rows(kind, organization, rate_year, filing)
    form = FORM_CLASSES[kind](rows=rows, year=rate_year.year)
    return _form_page(request, kind, organization, rate_year, current, form, side_form, status=400)


def _form_posted(request, kind, organization, rate_year, filing, current, form, save):
    """The Short or Long Form page; on a valid POST, ``save(filing)`` on the started filing
    first (then submitted when asked, and on to the next page): a refusal shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            filing = _start_and(request, organization, rate_year, kind, save)
            return _saved(request, kind, filing, rate_year)
        except DomainError as error:
            _put_errors_on_form(form, error)
    return _form_page(
        request,
        kind,
        organization,
        rate_year,
        current,
        form,
        SIDE_FORM_CLASSES[kind](),
        other_form=filing if current is None else None,
    )


def _saved(request, kind, filing, rate_year):
    """After a save: submitted when asked (to the filing's page), else back to the draft."""
    _, page, title, _ = FORM_PAGES[kind]
    if "submit" in request.POST:
        services.filing_submit(filing=filing, actor=request.user)
        messages.success(request, f"Your {rate_year.year} {title} was submitted.")
        return redirect("rates:filing-detail", pk=filing.pk)
    return _back_to_form(request, kind, filing, rate_year, "Your draft was saved.")


def _back_to_form(request, kind, filing, rate_year, message):
    messages.success(request, message)
    return redirect(
        FORM_PAGES[kind][1], organization_id=filing.organization_id, year=rate_year.year
    )


@login_required
@require_GET
def my_filings(request):
    return render(
        request,
        "rates/my_filings.html",
        {
            "seasons": selectors.seasons_for_administrator(user=request.user),
            "filings": selectors.recent_filings_for_administrator(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@_editable_filing
def short_form(request, organization, rate_year, filing):
    current, rows = _current_rows(FilingForm.SHORT, organization, rate_year, filing)
    if not rows:
        messages.warning(
            request,
            f"{organization.legal_name} has no approved {rate_year.year - 1} rates to raise; file "
            "the Full Rate Application (Long Form) or the non-charging statement instead.",
        )
        return redirect("rates:my-filings")
    form = ShortForm(request.POST or None, rows=rows, year=rate_year.year)
    return _form_posted(
        request,
        FilingForm.SHORT,
        organization,
        rate_year,
        filing,
        current,
        form,
        lambda started: services.short_form_save(
            filing=started, requested=form.requested(), actor=request.user
        ),
    )


@login_required
@require_GET
def short_form_download(request, organization_id, year):
    organization, rate_year = _organization_and_year(request, organization_id, year)
    filing = _current(
        selectors.filing_for(organization=organization, rate_year=rate_year), FilingForm.SHORT
    )
    rows = selectors.short_form_rows(organization=organization, rate_year=rate_year, filing=filing)
    if not rows:
        raise Http404("No approved rates from last year to prefill.")
    content = spreadsheets.short_form_workbook(
        organization=organization, rate_year=rate_year, rows=rows
    )
    return xlsx_response(f"short-form-{rate_year.year}-{organization.number}.xlsx", content)


@login_required
@require_POST
@_editable_filing
def short_form_upload(request, organization, rate_year, filing):
    upload_form = SpreadsheetUploadForm(request.POST, request.FILES)
    problems = []
    if upload_form.is_valid():
        try:
            filing = _start_and(
                request,
                organization,
                rate_year,
                FilingForm.SHORT,
                lambda started: services.short_form_import(
                    filing=started, file=upload_form.cleaned_data["spreadsheet"], actor=request.user
                ),
            )
            return _back_to_form(
                request,
                FilingForm.SHORT,
                filing,
                rate_year,
                "The spreadsheet's rates were saved. Check them below, then submit.",
            )
        except spreadsheets.SpreadsheetError as error:
            problems = error.problems
        except DomainError as error:
            problems = [error.message]
        for problem in problems:
            upload_form.add_error("spreadsheet", problem)
    return _side_form_refused(
        request, FilingForm.SHORT, organization, rate_year, filing, upload_form
    )


@login_required
@require_http_methods(["GET", "POST"])
@_editable_filing
def long_form(request, organization, rate_year, filing):
    current, rows = _current_rows(FilingForm.LONG, organization, rate_year, filing)
    financials = (
        {(line.kind, line.item): line.amount for line in current.financials.all()}
        if current
        else {}
    )
    initial = {name: getattr(current, name) for name in LongForm.OPERATING} if current else {}
    form = LongForm(
        request.POST or None, rows=rows, year=rate_year.year, financials=financials, initial=initial
    )
    return _form_posted(
        request,
        FilingForm.LONG,
        organization,
        rate_year,
        filing,
        current,
        form,
        lambda started: services.long_form_save(
            filing=started,
            requested=form.requested(),
            financials=form.financials(),
            operating=form.operating(),
            actor=request.user,
        ),
    )


@login_required
@require_POST
@_editable_filing
def long_form_attach(request, organization, rate_year, filing):
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusal_on_form(form):
            filing = _start_and(
                request,
                organization,
                rate_year,
                FilingForm.LONG,
                lambda started: services.filing_attach(
                    filing=started,
                    file=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    actor=request.user,
                ),
            )
            return _back_to_form(
                request, FilingForm.LONG, filing, rate_year, "The document was attached."
            )
    return _side_form_refused(request, FilingForm.LONG, organization, rate_year, filing, form)


@login_required
@require_http_methods(["GET", "POST"])
@_editable_filing
def non_charging(request, organization, rate_year, filing):
    form = NonChargingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            filing = services.non_charging_certify(
                organization=organization,
                rate_year=rate_year,
                signed_name=form.cleaned_data["signed_name"],
                actor=request.user,
            )
            messages.success(
                request,
                f"{organization.legal_name} is recorded as non-charging for {rate_year.year}.",
            )
            return redirect("rates:filing-detail", pk=filing.pk)
    return render(
        request,
        "rates/non_charging.html",
        {"organization": organization, "rate_year": rate_year, "filing": filing, "form": form},
    )


@login_required
@require_GET
def filing_detail(request, pk):
    filing = selectors.filing_with_detail(pk=pk)
    if filing is None or not selectors.user_may_view_filing(user=request.user, filing=filing):
        raise Http404("No such filing among yours.")
    return render(
        request,
        "rates/filing_detail.html",
        {
            "filing": filing,
            "lines": filing.lines.all(),
            "timeline": status_timeline(filing),
            "is_administrator": user_administers(
                user=request.user, organization=filing.organization
            ),
        },
    )


# The public -------------------------------------------------------------------------------------


@require_GET
def allowable_index(request):
    return render(request, "rates/allowable_index.html", {"years": selectors.allowable_years()})


def _allowable(year):
    rate_year = get_object_or_404(RateYear, year=year)
    allowable = selectors.allowable_rates(rate_year=rate_year)
    if not allowable.rows:
        raise Http404("No allowable rates are published for that year.")
    return allowable


@require_GET
def allowable_year(request, year):
    allowable = _allowable(year)
    table = [
        (schedule, [(category, amounts.get(category.pk)) for category in allowable.categories])
        for schedule, amounts in allowable.rows
    ]
    return render(
        request,
        "rates/allowable_year.html",
        {"allowable": allowable, "rate_year": allowable.rate_year, "table": table},
    )


@require_GET
def allowable_csv(request, year):
    allowable = _allowable(year)
    return csv_response(
        f"allowable-rates-{year}.csv",
        spreadsheets.allowable_rates_rows(allowable),
        header=spreadsheets.allowable_rates_header(allowable),
    )


@require_GET
def allowable_xlsx(request, year):
    allowable = _allowable(year)
    return xlsx_response(
        f"allowable-rates-{year}.xlsx", spreadsheets.allowable_rates_workbook(allowable)
    )


# Staff ------------------------------------------------------------------------------------------


def _require_rates_staff(request):
    if not (request.user.is_staff and request.user.has_perm("rates.view_ratefiling")):
        raise PermissionDenied("Rates staff only.")


@login_required
@require_GET
def staff_dashboard(request):
    _require_rates_staff(request)
    years = list(RateYear.objects.order_by("-year"))
    current = next((year for year in years if year.is_open), years[0] if years else None)
    if current is not None:
        return redirect("rates:staff-season", year=current.year)
    return render(request, "rates/staff_season.html", {"years": years, "summary": None})


@login_required
@require_GET
def staff_season(request, year):
    _require_rates_staff(request)
    rate_year = get_object_or_404(RateYear, year=year)
    return render(
        request,
        "rates/staff_season.html",
        {
            "years": RateYear.objects.order_by("-year"),
            "rate_year": rate_year,
            "summary": selectors.season_summary(rate_year=rate_year),
            "filings": selectors.season_filings(rate_year=rate_year),
            "missing": selectors.organizations_not_filed(rate_year=rate_year),
            "statuses": FilingStatus,
        },
    )


@login_required
@require_POST
def staff_send_reminders(request, year):
    _require_rates_staff(request)
    rate_year = get_object_or_404(RateYear, year=year)
    if not rate_year.is_open:
        messages.error(request, f"The {rate_year.year} season is not open; no reminders sent.")
    else:
        enqueue(
            tasks.send_filing_reminders, rate_year.pk
        )  # core.outbox: safe if the broker is down
        messages.success(request, "Reminders are being sent.")
    return redirect(reverse("rates:staff-season", kwargs={"year": rate_year.year}))
