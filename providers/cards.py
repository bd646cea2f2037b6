"""The certification card: a one-page PDF (name, level, number, expiration, a QR code and the
printed URL of the public verification) rendered with the documents app's renderer, emailed
after an approval and downloadable from the dashboard (the ``certification-card`` document)."""

import base64
import logging
import uuid
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from documents.rendering import RenderedPdf, render_pdf

from . import reminder_emails
from .models import Certification
from .reminder_models import CardStatus, CertificationCardEmail
from .reminder_rules import CLAIM_STALE_AFTER, MAX_SEND_ATTEMPTS, NO_EMAIL_REASON
from .rules import CertificationStatus

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


def _claim(certification: Certification, *, now) -> CertificationCardEmail | None:
    token = uuid.uuid4()
    key = {"certification": certification, "expires_on": certification.expires_on}
    try:
        with transaction.atomic():
            return CertificationCardEmail.objects.create(
                **key, status=CardStatus.CLAIMED, claim_token=token, claimed_at=now, attempts=1
            )
    except IntegrityError:
        pass
    retryable = Q(status=CardStatus.FAILED, attempts__lt=MAX_SEND_ATTEMPTS) | Q(
        status=CardStatus.CLAIMED, claimed_at__lt=now - CLAIM_STALE_AFTER
    )
    taken = CertificationCardEmail.objects.filter(retryable, **key).update(
        status=CardStatus.CLAIMED, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return CertificationCardEmail.objects.get(**key) if taken else None


def _mark(row: CertificationCardEmail, **fields) -> None:
    CertificationCardEmail.objects.filter(
        pk=row.pk, claim_token=row.claim_token, status=CardStatus.CLAIMED
    ).update(**fields)


def card_email_send(*, certification_id: int) -> str:
    """Email the current card once per certification and expiration date. Returns what
    happened; a failed send is recorded and re-raised so the task retries it."""
    from .reminder_services import reminder_recipient

    certification = Certification.objects.select_related("provider__user").get(pk=certification_id)
    if certification.status not in CARD_STATUSES:
        return "not issued: the certification is not active"
    row = _claim(certification, now=timezone.now())
    if row is None:
        return "already sent or being sent"
    email = reminder_recipient(certification)
    if not email:
        _mark(row, status=CardStatus.SKIPPED, reason=NO_EMAIL_REASON)
        return "skipped: no email"
    try:
        pdf = card_render(certification).content
        reminder_emails.send_certification_card(certification=certification, pdf=pdf, to=email)
    except Exception as error:
        _mark(row, status=CardStatus.FAILED, reason=repr(error)[:300], email=email)
        raise
    _mark(row, status=CardStatus.SENT, sent_at=timezone.now(), email=email, reason="")
    return "sent"
