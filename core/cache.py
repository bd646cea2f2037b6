"""The cache backend and the one way to count events in a time window.

``RedisCache`` is Django's own backend with two changes, both for the hottest public reads
(verify, the API throttle):

* one ``redis.Redis`` client per connection pool, made once. Django's client makes a new one
  on every call (about 0.1 ms of Python each); a client is thread-safe and only wraps the pool.
* ``count_in_window``: an INCR and an EXPIRE in one pipelined round trip.

and one for faults (docs/reliability.md): **Redis down, pages keep working**. A call that cannot
reach Redis (connection refused, timed out; the pool's timeouts are short, see settings) is
logged (once a minute per process) and answered as a miss: reads return the default, writes and
deletes are dropped, ``count_in_window``/``incr`` count from zero, so throttles let requests
through while Redis is away (fail open: sign-in lockouts are in the database, django-axes, and
still apply). A verify entry that could not be dropped during the outage may be served until
its timeout (``VERIFY_CACHE_SECONDS``) once Redis is back, unless Redis restarted empty.

``count_in_window`` also works on any other backend (LocMem in development and tests) with
``add`` and ``incr``.
"""

import logging
import time

import redis
from django.core.cache import cache as default_cache
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

# What "Redis is not there" looks like; anything else (a wrong command) is a bug and is raised.
UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError)
_LOG_EVERY_SECONDS = 60
_last_logged = 0.0


def _unavailable(operation: str, error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Cache unavailable (%s: %r); serving without it.", operation, error)


def _degrade(method, fallback):
    """Wrap a cache method so an unreachable Redis gives ``fallback(*args, **kwargs)``."""

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            _unavailable(method.__name__, error)
            return fallback(*args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django's private helpers (the stubs leave them out); pinned by the tests of this module.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def count_in_window(self, key, seconds: int) -> int:
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, seconds, nx=True)  # the window starts at the first event
        count, _ = pipeline.execute()
        return count


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_in_window(self, key, seconds: int, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count_in_window(key, seconds)  # type: ignore[attr-defined]

    # Redis down: answer as a miss (see the module's docstring).
    get = _degrade(django_redis.RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _degrade(django_redis.RedisCache.get_many, lambda *a, **k: {})
    has_key = _degrade(django_redis.RedisCache.has_key, lambda *a, **k: False)
    add = _degrade(django_redis.RedisCache.add, lambda *a, **k: True)
    set = _degrade(django_redis.RedisCache.set, lambda *a, **k: None)
    set_many = _degrade(django_redis.RedisCache.set_many, lambda *a, **k: [])
    touch = _degrade(django_redis.RedisCache.touch, lambda *a, **k: False)
    delete = _degrade(django_redis.RedisCache.delete, lambda *a, **k: False)
    delete_many = _degrade(django_redis.RedisCache.delete_many, lambda *a, **k: None)
    incr = _degrade(django_redis.RedisCache.incr, lambda key, delta=1, version=None: delta)
    count_in_window = _degrade(count_in_window, lambda *a, **k: 0)
    clear = _degrade(django_redis.RedisCache.clear, lambda *a, **k: False)


def count_in_window(key: str, seconds: int, *, cache=default_cache) -> int:
    """Count one event under ``key`` and return how many there have been in the window, which
    starts at the key's first event and lasts ``seconds``."""
    if hasattr(cache, "count_in_window"):  # RedisCache (``cache`` may be Django's proxy)
        return cache.count_in_window(key, seconds)
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1
