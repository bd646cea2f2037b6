"""One function per email of a provider application (renewal, initial certification,
reinstatement); each is called on commit with the application's id. Templates:
templates/providers/email/<template>.txt (renewal's have no prefix: received, returned, ...).
Each goes to the provider's contact email on the record (``provider_contact_email``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from ..contact.selectors import provider_contact_email
from ..models import InitialApplication, ReinstatementApplication, RenewalApplication


def _mail(*, to: str, template: str, subject: str, context: dict) -> None:
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    body = render_to_string(f"providers/email/{template}.txt", context)
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
    )


# --- Renewal ----------------------------------------------------------------------------------


def _renewal(pk: int, template: str, subject: str) -> None:
    application = (
        RenewalApplication.objects.select_related("certification__provider__user", "applicant")
        .prefetch_related("return_reasons")
        .get(pk=pk)
    )
    _mail(
        to=provider_contact_email(application.certification.provider) or application.email,
        template=template,
        subject=subject,
        context={
            "application": application,
            "certification": application.certification,
            "provider": application.certification.provider,
        },
    )


def send_renewal_received(pk: int) -> None:
    _renewal(pk, "received", "Renewal application received")


def send_renewal_returned(pk: int) -> None:
    _renewal(pk, "returned", "Renewal application returned: action needed")


def send_renewal_approved(pk: int) -> None:
    _renewal(pk, "approved", "Renewal approved")


def send_renewal_denied(pk: int) -> None:
    _renewal(pk, "denied", "Renewal application denied")


# --- Initial certification --------------------------------------------------------------------


def _initial(pk: int, template: str, subject: str) -> None:
    application = (
        InitialApplication.objects.select_related("applicant", "certification__provider__user")
        .prefetch_related("return_reasons")
        .get(pk=pk)
    )
    # Before approval there is no record yet: the address typed on the application.
    provider = application.certification.provider if application.certification_id else None
    _mail(
        to=provider_contact_email(provider) or application.email or application.applicant.email,
        template=f"initial_{template}",
        subject=subject,
        context={"application": application, "certification": application.certification},
    )


def send_initial_received(pk: int) -> None:
    _initial(pk, "received", "Initial certification application received")


def send_initial_returned(pk: int) -> None:
    _initial(pk, "returned", "Initial certification application returned: action needed")


def send_initial_approved(pk: int) -> None:
    _initial(pk, "approved", "Certification approved")


def send_initial_denied(pk: int) -> None:
    _initial(pk, "denied", "Initial certification application denied")


# --- Reinstatement ----------------------------------------------------------------------------


def _reinstatement(pk: int, template: str, subject: str) -> None:
    application = (
        ReinstatementApplication.objects.select_related(
            "applicant", "certification__provider__user"
        )
        .prefetch_related("return_reasons")
        .get(pk=pk)
    )
    provider = application.certification.provider
    _mail(
        to=provider_contact_email(provider) or application.applicant.email,
        template=f"reinstatement_{template}",
        subject=subject,
        context={
            "application": application,
            "certification": application.certification,
            "provider": provider,
        },
    )


def send_reinstatement_received(pk: int) -> None:
    _reinstatement(pk, "received", "Reinstatement application received")


def send_reinstatement_returned(pk: int) -> None:
    _reinstatement(pk, "returned", "Reinstatement application returned: action needed")


def send_reinstatement_approved(pk: int) -> None:
    _reinstatement(pk, "approved", "Certification reinstated")


def send_reinstatement_denied(pk: int) -> None:
    _reinstatement(pk, "denied", "Reinstatement application denied")
