"""The email a provider gets when licensing staff decide their name change request, sent by
the outbox after the decision commits (templates/providers/email/name_change_*.txt)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import NameChangeRequest, NameChangeStatus
from .selectors import provider_contact_email

SUBJECTS = {
    NameChangeStatus.APPROVED: "Your name change is approved",
    NameChangeStatus.DENIED: "Your name change request was denied",
}


def send_name_change_decided(pk: int) -> None:
    name_change = NameChangeRequest.objects.select_related("provider__user").get(pk=pk)
    to = provider_contact_email(name_change.provider)
    if not to or name_change.status not in SUBJECTS:
        return
    site_url = settings.SITE_URL.rstrip("/")
    body = render_to_string(
        f"providers/email/name_change_{name_change.status}.txt",
        {
            "name_change": name_change,
            "provider": name_change.provider,
            "contact_url": site_url + reverse("providers:contact"),
        },
    )
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{SUBJECTS[name_change.status]}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
    )
