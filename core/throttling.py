"""API throttles: DRF's anonymous and per-user rates and cache keys, counted in fixed windows.

DRF's own throttles keep every request's timestamp in one cache entry, read and rewritten
whole on each request: two round trips and a list as long as the rate. These count with
``core.cache.count_in_window``: one pipelined round trip and one integer. The price of a fixed
window: a client can spend a whole window's allowance at its end and again at the start of
the next. Retry-After is the time left in the window.

Every throttle keys on ``core.client_address`` (the trusted-proxy setting), never on DRF's
own ``NUM_PROXIES`` reading. ``VerifyRateThrottle`` is the one allowance the verification
lookup spends, as JSON (``/api/v1/verify/``) and as a page (``/verify/``).
"""

from rest_framework import throttling

from .cache import count_in_window
from .client_address import client_address


class _FixedWindowMixin(throttling.SimpleRateThrottle):
    # Set by SimpleRateThrottle.__init__ from the rate ("100/hour" -> 100, 3600).
    num_requests: int
    duration: int

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        count = count_in_window(f"{self.key}:{window}", self.duration, cache=self.cache)
        return count <= self.num_requests

    def wait(self):
        return max(self.window_ends - self.now, 0)

    def get_ident(self, request):
        return client_address(request) or "unknown"


class AnonRateThrottle(_FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_FixedWindowMixin, throttling.UserRateThrottle):
    pass


class VerifyRateThrottle(AnonRateThrottle):
    """The anonymous rate, per address, for every verification lookup: signed in or not, page
    or API, one allowance (the API's anonymous rate, ``API_THROTTLE_ANON``)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def verify_lookup_allowed(request) -> tuple[bool, int]:
    """Spend one verification lookup of ``request``'s address: (allowed, seconds to wait)."""
    throttle = VerifyRateThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, max(int(throttle.wait() + 0.999), 1)
