"""One function per email this app sends; templates under templates/information/email/."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import roles

from .models import AttestationWarning, Nomination


def _send(*, template: str, context: dict, to: list[str]) -> None:
    context = {**context, "SITE_URL": settings.SITE_URL.rstrip("/")}
    subject = render_to_string(f"information/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"information/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def supervisor_emails() -> list[str]:
    return sorted(
        get_user_model()
        .objects.filter(groups__name=roles.SUPERVISOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def send_attestation_warning(warning: AttestationWarning) -> None:
    """To every supervisor: a stroke-center attestation lapses soon."""
    recipients = supervisor_emails()
    if not recipients:
        return
    certification = warning.certification
    _send(
        template="attestation_warning",
        context={
            "warning": warning,
            "certification": certification,
            "hospital": certification.hospital,
            "admin_path": reverse(
                "admin:information_strokecertification_change", args=[certification.pk]
            ),
        },
        to=recipients,
    )


def send_nomination_receipt(nomination: Nomination) -> None:
    _send(
        template="nomination_receipt",
        context={"nomination": nomination, "awards_path": reverse("information:awards")},
        to=[nomination.nominator_email],
    )
