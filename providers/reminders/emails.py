"""The renewal reminder and the certification card emails (templates under
``templates/providers/email/``). Callers claim first and send outside transactions."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from documents.mail import send_pdf_email

from .. import rules


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def send_renewal_reminder(*, certification, threshold, today: date, to: str) -> None:
    days_left = (certification.expires_on - today).days
    context = {
        "provider": certification.provider,
        "certification": certification,
        "days_left": days_left,
        "days_since": -days_left,
        "grace_ends_on": rules.grace_end(certification.expires_on),
        "renew_url": _site_url()
        + reverse("providers:renewal-start", kwargs={"number": certification.number}),
        "site_url": _site_url(),
    }
    if days_left >= 0:
        subject = f"Your {certification.get_level_display()} certification expires on {certification.expires_on:%B %-d, %Y}"
    else:
        subject = f"Your {certification.get_level_display()} certification expired: renew before {context['grace_ends_on']:%B %-d, %Y}"
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        render_to_string("providers/email/renewal_reminder.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
    )


def send_certification_card(*, certification, pdf: bytes, to: str) -> None:
    context = {
        "provider": certification.provider,
        "certification": certification,
        "site_url": _site_url(),
    }
    send_pdf_email(
        to=[to],
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your certification card ({certification.number})",
        body=render_to_string("providers/email/certification_card.txt", context),
        filename=f"certification-card-{certification.number}.pdf",
        pdf=pdf,
    )
