"""Degrade, don't crash: an unreachable Redis is a cache miss, an unreachable database a 503 page.

These run anywhere (no server needed: nothing listens on port 1). The same cases against real
services going down and coming back are in tests/faults/."""

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path

from core.cache import RedisCache, count_in_window


@pytest.fixture
def unreachable_cache():
    return RedisCache(
        "redis://127.0.0.1:1/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


def test_an_unreachable_redis_cache_answers_as_a_miss(unreachable_cache):
    assert unreachable_cache.get("k", "default") == "default"
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert unreachable_cache.has_key("k") is False
    unreachable_cache.set("k", 1)  # dropped, no error
    unreachable_cache.set_many({"a": 1})
    unreachable_cache.delete("k")
    unreachable_cache.delete_many(["a"])
    assert unreachable_cache.get_or_set("k", 5) == 5
    assert unreachable_cache.incr("n") == 1


def test_throttles_fail_open_while_redis_is_unreachable(unreachable_cache):
    counts = [count_in_window("throttle:x", 60, cache=unreachable_cache) for _ in range(3)]
    assert counts == [0, 0, 0]  # not counted: under any limit, so requests go through


def test_a_wrong_redis_command_still_raises(unreachable_cache, monkeypatch):
    import redis

    def broken(*args, **kwargs):
        raise redis.ResponseError("WRONGTYPE")

    monkeypatch.setattr(unreachable_cache._cache, "get", broken)
    with pytest.raises(redis.ResponseError):
        unreachable_cache.get("k")


def _database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def _database_down_in_middleware(get_response):
    def middleware(request):
        raise OperationalError("server closed the connection unexpectedly")

    return middleware


urlpatterns = [path("down/", _database_down)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_meeting_an_unreachable_database_answers_the_503_page(client):
    response = client.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_middleware_meeting_an_unreachable_database_answers_the_503_page(client, settings):
    settings.MIDDLEWARE = [f"{__name__}._database_down_in_middleware"]
    settings.ROOT_URLCONF = "oems_portal.urls"
    client.raise_request_exception = False  # as in production: the handler answers
    response = client.get("/")
    assert response.status_code == 503
    assert "The portal is temporarily unavailable" in response.content.decode()


def test_other_errors_stay_500(client, settings):
    def boom(get_response):
        def middleware(request):
            raise ValueError("a bug")

        return middleware

    import sys

    sys.modules[__name__].boom = boom
    settings.MIDDLEWARE = [f"{__name__}.boom"]
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
