"""Email with a PDF attached, through Django's email backends (console in development, locmem
in tests, SMTP when EMAIL_URL is set; see docs/documents.md)."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage


def send_pdf_email(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    filename: str,
    pdf: bytes,
    from_email: str | None = None,
    connection=None,
) -> int:
    """Send one message with ``pdf`` attached as ``filename``; returns the number sent (0/1).
    Callers send on commit (``transaction.on_commit``) so a rolled-back change mails nothing."""
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        connection=connection,
    )
    message.attach(filename, pdf, "application/pdf")
    return message.send()


def send_document_job(*, job, to: Sequence[str], subject: str | None = None, body: str = "") -> int:
    """Mail a finished document job's PDF."""
    with job.file.open("rb") as handle:
        pdf = handle.read()
    return send_pdf_email(
        to=to,
        subject=subject or job.title,
        body=body or f"{job.title} is attached ({job.page_count} pages).",
        filename=job.filename,
        pdf=pdf,
    )
