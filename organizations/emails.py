"""Emails of the organizations app; each is sent on commit by the service that causes it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from providers.selectors import provider_contact_email

from .models import (
    Affiliation,
    ApplicationStatus,
    ChiefChangeReport,
    Organization,
    OrganizationApplication,
)


def _send(*, template: str, to: list[str], context: dict) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"organizations/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"organizations/email/{template}.txt", context)
    send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, to)


def send_link_pin(*, organization, pin: str, requested_by, valid_minutes: int) -> None:
    _send(
        template="link_pin",
        to=[organization.email],
        context={
            "organization": organization,
            "pin": pin,
            "requested_by": requested_by,
            "valid_minutes": valid_minutes,
        },
    )


def send_application_status(application_id: int, status: str, note: str = "") -> None:
    """The status and note are those of the transition, not whatever the row says by the time
    the email goes out."""
    application = OrganizationApplication.objects.select_related("applicant", "organization").get(
        pk=application_id
    )
    _send(
        template="application_status",
        to=[application.applicant.email],
        context={
            "application": application,
            "status": status,
            "status_label": ApplicationStatus(status).label,
            "note": note,
        },
    )


def send_chief_report_status(report_id: int) -> None:
    report = ChiefChangeReport.objects.select_related("organization", "reported_by").get(
        pk=report_id
    )
    recipients = sorted({report.reported_by.email, report.organization.email})
    _send(template="chief_report_status", to=recipients, context={"report": report})


def send_administrator_transferred(
    organization_id: int, new_administrator_id: int, previous_id: int
) -> None:
    """Ids in (it runs from the outbox, core.outbox): the organization and both people."""
    users = get_user_model().objects.in_bulk([new_administrator_id, previous_id])
    organization = Organization.objects.get(pk=organization_id)
    new_administrator, previous = users[new_administrator_id], users[previous_id]
    _send(
        template="administrator_transferred",
        to=sorted({new_administrator.email, organization.email}),
        context={
            "organization": organization,
            "new_administrator": new_administrator,
            "previous": previous,
        },
    )


def _affiliation(affiliation_id: int):
    return Affiliation.objects.select_related("organization", "provider__user").get(
        pk=affiliation_id
    )


def _administrator_emails(organization) -> list[str]:
    emails = sorted(organization.administrators.values_list("email", flat=True))
    return emails or [organization.email]


def _provider_email(provider) -> list[str]:
    address = provider_contact_email(provider)
    return [address] if address else []


def send_affiliation_requested(affiliation_id: int) -> None:
    """To the organization's administrators: a provider asks to join the roster."""
    affiliation = _affiliation(affiliation_id)
    _send(
        template="affiliation_requested",
        to=_administrator_emails(affiliation.organization),
        context={"affiliation": affiliation},
    )


def send_affiliation_decided(affiliation_id: int) -> None:
    """To the provider: approved or declined."""
    affiliation = _affiliation(affiliation_id)
    recipients = _provider_email(affiliation.provider)
    if recipients:
        _send(template="affiliation_decided", to=recipients, context={"affiliation": affiliation})


def send_affiliation_ended(affiliation_id: int) -> None:
    """To both sides."""
    affiliation = _affiliation(affiliation_id)
    recipients = sorted(
        {*_provider_email(affiliation.provider), *_administrator_emails(affiliation.organization)}
    )
    _send(template="affiliation_ended", to=recipients, context={"affiliation": affiliation})
