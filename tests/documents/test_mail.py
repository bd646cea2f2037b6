"""A PDF goes out through a real SMTP server started by the test, and comes back intact."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from documents.mail import send_document_job, send_pdf_email
from documents.rendering import html_to_pdf

from .pdf_text import pdf_pages_text


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def _attachment(raw: bytes):
    message = email.message_from_bytes(raw, policy=policy.default)
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    return message, parts[0]


def test_a_pdf_attachment_survives_a_real_smtp_server(smtp_server):
    pdf = html_to_pdf("<h1>Certification card</h1><p>Jane Q. Medic, EMT E-123456</p>")
    assert (
        send_pdf_email(
            to=["jane@example.com"],
            subject="Your certification card",
            body="Your card is attached.",
            filename="card",
            pdf=pdf,
        )
        == 1
    )

    assert len(smtp_server.messages) == 1
    mail_from, recipients, raw = smtp_server.messages[0]
    assert recipients == ["jane@example.com"]
    assert "no-reply@oems.example.gov" in mail_from
    message, attachment = _attachment(raw)
    assert message["Subject"] == "Your certification card"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "card.pdf"
    received = attachment.get_content()
    assert received == pdf
    assert "Jane Q. Medic, EMT E-123456" in pdf_pages_text(received)[0]


@pytest.mark.django_db
def test_a_finished_document_job_is_mailed_with_its_pdf(
    smtp_server, make_organizations, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    from documents import services

    make_organizations(2)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.document_request(
            kind="organization-directory", params={}, user=AnonymousUser()
        )
    job.refresh_from_db()
    assert send_document_job(job=job, to=["office@example.org"]) == 1
    message, attachment = _attachment(smtp_server.messages[0][2])
    assert message["Subject"] == "EMS organization directory"
    assert attachment.get_filename() == job.filename
    assert "Town 001 EMS" in pdf_pages_text(attachment.get_content())[0]
