"""The notice email: one message per person, the same text for all (rendered once a batch)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Notice


def notice_subject(notice: Notice) -> str:
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notice.subject}"


def notice_body(notice: Notice) -> str:
    site_url = settings.SITE_URL.rstrip("/")
    return render_to_string(
        "notices/email/notice.txt",
        {"notice": notice, "notices_url": site_url + reverse("notices:list")},
    )


def notice_message(*, subject: str, body: str, to: str) -> EmailMessage:
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
