"""Webhook signatures in Stripe's scheme (``Stripe-Signature: t=<unix time>,v1=<hex>``, where
the hex is HMAC-SHA256 of ``"<t>.<payload>"`` under the endpoint's secret). The test processor
signs with ``sign`` and the portal checks with ``verify``; the tests sign Stripe events with
``sign`` too, so the Stripe adapter is tested against the very scheme Stripe uses."""

import hashlib
import hmac
import time

from .gateway import InvalidWebhook

TOLERANCE_SECONDS = 300  # Stripe's default: an older delivery is refused as a possible replay


def _digest(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, *, secret: str, timestamp: int | None = None) -> str:
    """The signature header for ``payload``, as the processor sends it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_digest(payload, secret, timestamp)}"


def verify(
    payload: bytes,
    header: str,
    *,
    secret: str,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """Check ``header`` against ``payload``; return its timestamp or raise ``InvalidWebhook``."""
    if not secret:
        raise InvalidWebhook("no webhook secret is configured")
    parts = [part.split("=", 1) for part in (header or "").split(",") if "=" in part]
    timestamps = [value for key, value in parts if key.strip() == "t"]
    signatures = [value for key, value in parts if key.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise InvalidWebhook("malformed signature header")
    timestamp = int(timestamps[0])
    expected = _digest(payload, secret, timestamp)
    if not any(hmac.compare_digest(expected, signature) for signature in signatures):
        raise InvalidWebhook("signature does not match")
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise InvalidWebhook("timestamp outside the tolerance")
    return timestamp
