"""One function per rates email; each takes ids, reads fresh rows and renders
``templates/rates/email/<name>.txt`` (first line: subject). Callers send them on commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from organizations.models import Organization

from .models import RateFiling, RateYear


def _recipients(organization: Organization) -> list[str]:
    addresses = [organization.email] if organization.email else []
    for email in organization.administrators.values_list("email", flat=True):
        if email and email not in addresses:
            addresses.append(email)
    return addresses


def _send(template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    subject, _, body = render_to_string(f"rates/email/{template}.txt", context).partition("\n")
    send_mail(subject.strip(), body.lstrip(), None, recipients)


def send_invitation(*, organization: Organization, rate_year: RateYear) -> None:
    _send(
        "invitation",
        {
            "organization": organization,
            "rate_year": rate_year,
            "filing_url": reverse("rates:my-filings"),
        },
        _recipients(organization),
    )


def send_reminder(*, organization: Organization, rate_year: RateYear) -> None:
    _send(
        "reminder",
        {
            "organization": organization,
            "rate_year": rate_year,
            "filing_url": reverse("rates:my-filings"),
        },
        _recipients(organization),
    )


def send_filing_status(*, filing: RateFiling) -> None:
    _send(
        "filing_status",
        {
            "filing": filing,
            "organization": filing.organization,
            "filing_url": reverse("rates:filing-detail", kwargs={"pk": filing.pk}),
        },
        _recipients(filing.organization),
    )
