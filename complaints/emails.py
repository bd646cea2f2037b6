"""Emails of the complaints app, one function per email; services send them on commit.
None of them carries the narrative; the subject's notice never names the complainant."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from providers.selectors import provider_contact_email

from .constants import STAGE_DEADLINE_DAYS, Stage
from .models import Complaint


def _send(*, template: str, subject: str, context: dict, recipients: list[str]) -> None:
    recipients = list(dict.fromkeys(address for address in recipients if address))
    if not recipients:
        return
    body = render_to_string(f"complaints/email/{template}.txt", context)
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def _complaint(pk: int) -> Complaint:
    return Complaint.objects.select_related(
        "certification__provider", "organization", "investigator", "incident_town"
    ).get(pk=pk)


def send_receipt(complaint_id: int) -> None:
    complaint = _complaint(complaint_id)
    _send(
        template="receipt",
        subject=f"Complaint received: {complaint.tracking_number}",
        context={"complaint": complaint, "triage_days": STAGE_DEADLINE_DAYS[Stage.RECEIVED]},
        recipients=[complaint.complainant_email],
    )


def send_assignment(complaint_id: int) -> None:
    complaint = _complaint(complaint_id)
    url = settings.SITE_URL + reverse("admin:complaints_complaint_change", args=[complaint.pk])
    _send(
        template="assignment",
        subject=f"Complaint assigned to you: {complaint.tracking_number}",
        context={"complaint": complaint, "url": url},
        recipients=[complaint.investigator.email] if complaint.investigator_id else [],
    )


def _subject_recipients(complaint: Complaint) -> list[str]:
    if complaint.certification_id:
        return [provider_contact_email(complaint.certification.provider)]
    organization = complaint.organization
    return [organization.email, *organization.administrators.values_list("email", flat=True)]


def send_notice(complaint_id: int) -> None:
    complaint = _complaint(complaint_id)
    _send(
        template="notice",
        subject=f"Notice of a complaint: {complaint.tracking_number}",
        context={
            "complaint": complaint,
            "url": settings.SITE_URL + reverse("core:dashboard"),
        },
        recipients=_subject_recipients(complaint),
    )


def send_closure(complaint_id: int) -> None:
    complaint = _complaint(complaint_id)
    _send(
        template="closure",
        subject=f"Complaint closed: {complaint.tracking_number}",
        context={"complaint": complaint},
        recipients=[complaint.complainant_email],
    )
