"""One function per email of a renewal application; each is called on commit with an id."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import RenewalApplication


def _send(application_pk: int, template: str, subject: str) -> None:
    application = (
        RenewalApplication.objects.select_related("certification__provider", "applicant")
        .prefetch_related("return_reasons")
        .get(pk=application_pk)
    )
    context = {
        "application": application,
        "certification": application.certification,
        "provider": application.certification.provider,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    body = render_to_string(f"providers/email/{template}.txt", context)
    recipient = application.email or application.applicant.email
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient],
    )


def send_received(application_pk: int) -> None:
    _send(application_pk, "received", "Renewal application received")


def send_returned(application_pk: int) -> None:
    _send(application_pk, "returned", "Renewal application returned: action needed")


def send_approved(application_pk: int) -> None:
    _send(application_pk, "approved", "Renewal approved")


def send_denied(application_pk: int) -> None:
    _send(application_pk, "denied", "Renewal application denied")
