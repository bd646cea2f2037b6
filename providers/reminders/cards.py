"""The certification card: a one-page PDF (name, level, number, expiration, a QR code and the
printed URL of the public verification) rendered with the documents app's renderer, emailed
after an approval and downloadable from the dashboard (the ``certification-card`` document)."""

import base64
import logging
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse

from core import send_once
from documents.rendering import RenderedPdf, render_pdf

from ..models import Certification
from ..rules import CertificationStatus
from . import emails
from .models import CertificationCardEmail
from .rules import NO_EMAIL_REASON
from .services import reminder_recipient

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "providers/pdf/certification_card.html"
# The statuses a card is issued for: a card says "this person may practise".
CARD_STATUSES = {CertificationStatus.ACTIVE}


def verify_url(number: str) -> str:
    return (
        settings.SITE_URL.rstrip("/")
        + reverse("providers:verify")
        + "?"
        + urlencode({"number": number})
    )


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the PDF renderer fetches nothing from the network)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def card_title(certification: Certification) -> str:
    return f"Certification card {certification.number}"


def card_context(certification: Certification) -> dict:
    url = verify_url(certification.number)
    return {
        "certification": certification,
        "provider": certification.provider,
        "status_label": certification.status_label,
        "verify_url": url,
        "qr_code": qr_code_data_uri(url),
    }


def card_render(certification: Certification) -> RenderedPdf:
    return render_pdf(
        template=CARD_TEMPLATE,
        context=card_context(certification),
        title=card_title(certification),
    )


def card_email_send(*, certification_id: int) -> str:
    """Email the current card once per certification and expiration date (``core.send_once``).
    Returns what happened; a failed send is recorded and re-raised so the task retries it."""
    certification = Certification.objects.select_related("provider__user").get(pk=certification_id)
    if certification.status not in CARD_STATUSES:
        return "not issued: the certification is not active"
    key = {"certification": certification, "expires_on": certification.expires_on}
    row = send_once.claim(CertificationCardEmail, key=key)
    if row is None:
        return "already sent or being sent"
    email = reminder_recipient(certification)

    def send() -> None:
        pdf = card_render(certification).content
        emails.send_certification_card(certification=certification, pdf=pdf, to=email)

    outcome = send_once.deliver(row, email=email, send=send, no_email=NO_EMAIL_REASON)
    return "skipped: no email" if outcome == send_once.SendStatus.SKIPPED else "sent"
