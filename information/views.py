"""Public pages: help, FAQ and contact, hospital directories (with CSV), EMS Council awards,
reports; dismissing a site alert."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.cache import count_in_window
from core.client_address import client_address
from core.errors import refusal_on_form
from core.exports import csv_response

from . import selectors, services
from .constants import (
    DISMISSED_ALERTS,
    DISMISSED_ALERTS_KEPT,
    NOMINATION_RATE_LIMIT,
    NOMINATION_RATE_WINDOW_SECONDS,
)
from .forms import DirectoryFilterForm, NominationForm, StrokeFilterForm, TraumaFilterForm
from .models import AwardCategory, Publication

# --- Hospital directories ----------------------------------------------------------------------


@dataclass(frozen=True)
class Directory:
    """What differs between the public hospital directories (one template and one CSV shape
    serve both)."""

    title: str
    intro: str
    noun: str
    csv_url_name: str
    csv_name: str
    authority_label: str
    until_label: str
    csv_labels: tuple[str, str, str]  # authority, since, until
    filter_form: type[DirectoryFilterForm]
    towns: Callable[[], list[str]]
    centers: Callable[..., Any]
    authority: Callable[[Any], str]
    since: Callable[[Any], date]
    until: Callable[[Any], date]

    def filtered(self, request):
        form = self.filter_form(request.GET or None, towns=self.towns())
        return form, self.centers(**form.filters())


STROKE_CENTERS = Directory(
    title="Certified stroke centers",
    intro="Public Act 17-146 (Sec. 40) requires any hospital certified as a comprehensive stroke "
    "center, primary stroke center or acute stroke-ready hospital to submit the attestation of "
    "its nationally recognized certifying organization to the Commissioner of Public Health. "
    "Hospitals are listed while their attestation is current.",
    noun="certified stroke center",
    csv_url_name="information:stroke-centers-csv",
    csv_name="certified-stroke-centers",
    authority_label="Certifying organization",
    until_label="Attestation expires",
    csv_labels=("Certifying organization", "Certified from", "Attestation expires"),
    filter_form=StrokeFilterForm,
    towns=selectors.stroke_center_towns,
    centers=selectors.stroke_centers,
    authority=lambda center: center.get_certifying_organization_display(),
    since=lambda center: center.certified_from,
    until=lambda center: center.attestation_expires,
)
TRAUMA_CENTERS = Directory(
    title="Designated trauma centers",
    intro="Pursuant to Regulations of Connecticut State Agencies Sec. 19a-177-4, hospitals "
    "seeking designation as a trauma facility must be verified by the American College of "
    "Surgeons Committee on Trauma and apply to OEMS. Hospitals are listed while their "
    "designation is current.",
    noun="designated trauma center",
    csv_url_name="information:trauma-centers-csv",
    csv_name="designated-trauma-centers",
    authority_label="Verified by",
    until_label="Designated until",
    csv_labels=("Verification body", "Designated from", "Designated until"),
    filter_form=TraumaFilterForm,
    towns=selectors.trauma_center_towns,
    centers=selectors.trauma_centers,
    authority=lambda center: center.verification_body,
    since=lambda center: center.designated_from,
    until=lambda center: center.designated_until,
)


def _directory(request, directory: Directory):
    form, centers = directory.filtered(request)
    return render(
        request,
        "information/hospital_directory.html",
        {
            "directory": directory,
            "form": form,
            "centers": centers,
            "rows": [(c, directory.authority(c), directory.until(c)) for c in centers],
            "query": request.GET.urlencode(),
        },
    )


def _directory_csv(request, directory: Directory):
    _, centers = directory.filtered(request)
    return csv_response(
        f"{directory.csv_name}-{timezone.localdate():%Y-%m-%d}.csv",
        (
            [
                center.hospital.name,
                center.hospital.town,
                center.hospital.address,
                center.get_level_display(),
                directory.authority(center),
                directory.since(center).isoformat(),
                directory.until(center).isoformat(),
            ]
            for center in centers
        ),
        header=["Hospital", "Town", "Address", "Level", *directory.csv_labels],
    )


def stroke_centers(request):
    return _directory(request, STROKE_CENTERS)


def trauma_centers(request):
    return _directory(request, TRAUMA_CENTERS)


def stroke_centers_csv(request):
    return _directory_csv(request, STROKE_CENTERS)


def trauma_centers_csv(request):
    return _directory_csv(request, TRAUMA_CENTERS)


# --- Awards ------------------------------------------------------------------------------------


def awards(request):
    today = timezone.localdate()
    period = selectors.open_period(today=today)
    recipients_by_year: dict[int, list] = {}
    for recipient in selectors.award_recipients():
        recipients_by_year.setdefault(recipient.period.year, []).append(recipient)
    return render(
        request,
        "information/awards.html",
        {
            "period": period,
            "closed_message": None if period else services.nomination_closed_message(today=today),
            "categories": selectors.award_categories(),
            "recipients_by_year": recipients_by_year,
        },
    )


def _over_rate_limit(request) -> bool:
    """Count one nomination from this address; True once it is over the limit in the window."""
    key = f"information:nominations:{client_address(request) or 'unknown'}"
    return count_in_window(key, NOMINATION_RATE_WINDOW_SECONDS) > NOMINATION_RATE_LIMIT


def nominate(request, category):
    category = get_object_or_404(selectors.award_categories(), slug=category)
    today = timezone.localdate()
    period = selectors.open_period(today=today)
    context = {"category": category, "period": period}
    if period is None:
        context["closed_message"] = services.nomination_closed_message(today=today)
        return render(request, "information/nominate.html", context, status=200)

    if request.method == "POST":
        form = NominationForm(request.POST, request.FILES)
        if form.is_bot():
            # Say nothing a bot could learn from; nothing is saved.
            return redirect("information:nominate-thanks", category=category.slug)
        if form.is_valid():
            if _over_rate_limit(request):
                form.add_error(
                    None,
                    "Too many nominations were sent from your connection in the last hour. "
                    "Please try again later or email the office.",
                )
            else:
                with refusal_on_form(form):
                    data = form.cleaned_data
                    services.nomination_submit(
                        category=category,
                        nominee_name=data["nominee_name"],
                        nominee_affiliation=data["nominee_affiliation"],
                        nominator_name=data["nominator_name"],
                        nominator_email=data["nominator_email"],
                        nominator_phone=data["nominator_phone"],
                        narrative=data["narrative"],
                        attachment=data.get("attachment"),
                        submission_token=data["submission_token"],
                        today=today,
                    )
                    messages.success(
                        request,
                        "Thank you: your nomination was received. A receipt is on its way to "
                        "your email.",
                    )
                    return redirect("information:nominate-thanks", category=category.slug)
    else:
        form = NominationForm()
    context["form"] = form
    return render(request, "information/nominate.html", context)


def nominate_thanks(request, category):
    category = get_object_or_404(AwardCategory, slug=category)
    return render(request, "information/nominate_thanks.html", {"category": category})


# --- Publications ------------------------------------------------------------------------------


def publication_index(request):
    return render(
        request, "information/publication_index.html", {"publications": selectors.publications()}
    )


def publication_detail(request, slug):
    publication = get_object_or_404(
        Publication.objects.published().prefetch_related("files"), slug=slug
    )
    return render(request, "information/publication_detail.html", {"publication": publication})


# --- Help, FAQ, contact and the site-wide alert ------------------------------------------------


def _with_topics_and_contact(template: str):
    def view(request):
        context = {"topics": selectors.help_topics(), "contact": selectors.contact_details()}
        return render(request, template, context)

    return view


help_index = _with_topics_and_contact("information/help_index.html")
contact = _with_topics_and_contact("information/contact.html")


def help_topic(request, slug):
    topic = get_object_or_404(selectors.help_topics(), slug=slug)
    return render(
        request,
        "information/help_topic.html",
        {
            "topic": topic,
            "body": selectors.fill_facts(topic.body, selectors.help_facts()),
            "questions": selectors.faq_entries().filter(topic=topic),
        },
    )


def faq(request):
    facts = selectors.help_facts()
    entries = [
        (entry, selectors.fill_facts(entry.answer, facts)) for entry in selectors.faq_entries()
    ]
    return render(request, "information/faq.html", {"entries": entries})


@require_POST
def alert_dismiss(request, pk):
    """Hide one alert for the rest of this session; a plain form, so it works without JS."""
    dismissed = request.session.get(DISMISSED_ALERTS, [])
    if pk not in dismissed:
        request.session[DISMISSED_ALERTS] = [*dismissed, pk][-DISMISSED_ALERTS_KEPT:]
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    return redirect(target)
