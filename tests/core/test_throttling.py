"""The API throttle and the window counter under it: on LocMem here, on Redis in CI (where
``count_in_window`` is one pipelined INCR + EXPIRE)."""

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from core.cache import count_in_window
from core.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


def test_count_in_window_counts_and_the_key_expires():
    assert [count_in_window("test:window", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.get("test:window") == 3
    cache.delete("test:window")
    assert count_in_window("test:window", 60) == 1


def test_anonymous_api_callers_get_429_with_retry_after_past_the_rate(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    api = APIClient()
    statuses = [api.get("/api/v1/verify/E999999/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    refused = api.get("/api/v1/verify/E999999/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # another address has its own allowance
    assert api.get("/api/v1/verify/E999999/", REMOTE_ADDR="10.0.0.9").status_code == 404


def test_the_portal_uses_the_one_round_trip_throttles():
    assert [cls.__module__ for cls in api_settings.DEFAULT_THROTTLE_CLASSES] == [
        "core.throttling",
        "core.throttling",
    ]
