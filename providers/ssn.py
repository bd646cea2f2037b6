"""The one home of SSN handling: an SSN is never stored, only its keyed hash (HMAC-SHA256 with
``settings.SSN_HMAC_KEY``) to compare, and its last four digits to show."""

import hashlib
import hmac
import re

from django.conf import settings

from core.errors import DomainError

SSN_DIGITS = re.compile(r"^\d{9}$")


def ssn_digits(ssn: str) -> str:
    return re.sub(r"[\s-]", "", ssn or "")


def ssn_hash(ssn: str) -> str:
    """The keyed hash that stands in for an SSN (HMAC-SHA256 with settings.SSN_HMAC_KEY)."""
    return hmac.new(
        settings.SSN_HMAC_KEY.encode(), ssn_digits(ssn).encode(), hashlib.sha256
    ).hexdigest()


def ssn_keyed(ssn: str, *, field: str = "ssn") -> tuple[str, str]:
    """(keyed hash, last four digits) of a typed SSN; the clear SSN goes no further."""
    digits = ssn_digits(ssn)
    if not SSN_DIGITS.match(digits):
        raise DomainError("An SSN has nine digits.", field=field)
    return ssn_hash(digits), digits[-4:]
