"""API throttles: DRF's anonymous and per-user rates and cache keys, counted in fixed windows.

DRF's own throttles keep every request's timestamp in one cache entry, read and rewritten
whole on each request: two round trips and a list as long as the rate. These count with
``core.cache.count_in_window``: one pipelined round trip and one integer. The price of a fixed
window: a client can spend a whole window's allowance at its end and again at the start of
the next. Retry-After is the time left in the window.
"""

from rest_framework import throttling

from .cache import count_in_window


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


class AnonRateThrottle(_FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_FixedWindowMixin, throttling.UserRateThrottle):
    pass
