"""The client's address, the one way every throttle and log reads it.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (settings; 0 by default) the client is the
address the outermost trusted proxy appended to ``X-Forwarded-For``: the N-th entry from the
right, as DRF's ``NUM_PROXIES`` reads it. Entries further left were written by the client
itself and prove nothing. With no proxy configured the header is ignored entirely, so a forged
``X-Forwarded-For`` cannot buy a caller a fresh allowance.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    address = (address or "").strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address to throttle and log ``request`` under: a valid IP, or None when the request
    carries none (callers key their counters on ``"unknown"`` then)."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry for entry in forwarded.split(",") if entry.strip()]
        if entries:
            # Fewer entries than proxies: the request skipped a proxy; the leftmost is the best
            # anyone can say, and it came from a trusted hop.
            chosen = _valid(entries[-min(proxies, len(entries))])
            if chosen:
                return chosen
    return remote
