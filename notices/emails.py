"""The notice email: one message per person, the same text for all. A batch renders it once
(``NoticeMessages``); each person's copy differs only in its To and Message-ID headers."""

import re
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Notice

# Addresses that go into the header as they are (what Django's sanitize_address leaves alone);
# any other address gets a message built the ordinary way.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_TO = "notice-recipient@placeholder.invalid"


def notice_subject(notice: Notice) -> str:
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notice.subject}"


def notice_body(notice: Notice) -> str:
    site_url = settings.SITE_URL.rstrip("/")
    return render_to_string(
        "notices/email/notice.txt",
        {"notice": notice, "notices_url": site_url + reverse("notices:list")},
    )


class _Rendered:
    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, linesep: str = "\r\n") -> bytes:
        return self.data


class PrerenderedMessage(EmailMessage):
    """An ``EmailMessage`` whose MIME form was rendered already (by ``NoticeMessages``): the
    SMTP backend sends the bytes as they are; other backends see an ordinary message."""

    def __init__(self, *args, rendered: bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.rendered = rendered

    def message(self, *, policy=None):
        if isinstance(self.connection, SMTPBackend):
            return _Rendered(self.rendered)
        return super().message()


class NoticeMessages:
    """``messages(address)``: the notice's email to ``address``, rendered once for the batch."""

    def __init__(self, notice: Notice):
        self.subject, self.body = notice_subject(notice), notice_body(notice)
        template = EmailMessage(self.subject, self.body, settings.DEFAULT_FROM_EMAIL, [_TO])
        data = template.message().as_bytes(linesep="\r\n")
        self.head, _, self.tail = data.partition(b"\r\n\r\n")
        self.head = re.sub(rb"\r\nMessage-ID: [^\r]*", b"", self.head)

    def __call__(self, address: str) -> EmailMessage:
        if not _PLAIN_ADDRESS.fullmatch(address):
            return EmailMessage(self.subject, self.body, settings.DEFAULT_FROM_EMAIL, [address])
        head = self.head.replace(_TO.encode(), address.encode())
        message_id = make_msgid(domain=DNS_NAME).encode()
        rendered = head + b"\r\nMessage-ID: " + message_id + b"\r\n\r\n" + self.tail
        return PrerenderedMessage(
            self.subject, self.body, settings.DEFAULT_FROM_EMAIL, [address], rendered=rendered
        )
