"""The cache as a help, never a dependency: with Redis down, people still sign in, edit plans and
record check-ins.

Django's RedisCache raises when Redis does not answer, and every signed-in request reads the cache
(sessions are cached_db; version keys, cached page bodies and allauth's rate limits live there).
ResilientRedisCache treats a failing Redis as an empty cache that keeps nothing: reads miss (the
session then comes from the database, a version key is a new version, so nothing stale is ever
served), writes are dropped (add() says it stored), and a warning is logged. Rate limits fail
open while Redis is down.
"""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
FAILURES = (RedisError, ConnectionError, OSError)


def _degrades(default):
    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except FAILURES as error:
                logger.warning(
                    "Cache unavailable (%s: %s): %s goes without it",
                    type(error).__name__,
                    error,
                    method.__name__,
                )
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


def _missing_default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _degrades(_missing_default)(RedisCache.get)
    get_many = _degrades({})(RedisCache.get_many)
    has_key = _degrades(False)(RedisCache.has_key)
    # True: "stored". allauth takes its rate-limit lock with add(); a False would read as a lock
    # held by someone else, and every sign-in would wait a second and be refused (429).
    add = _degrades(True)(RedisCache.add)
    set = _degrades(None)(RedisCache.set)
    set_many = _degrades([])(RedisCache.set_many)
    touch = _degrades(False)(RedisCache.touch)
    delete = _degrades(False)(RedisCache.delete)
    delete_many = _degrades(None)(RedisCache.delete_many)
    clear = _degrades(None)(RedisCache.clear)

    @wraps(RedisCache.incr)
    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except FAILURES as error:
            logger.warning("Cache unavailable (%s): incr goes without it", error)
            raise ValueError(f"Key {key!r} not found (the cache is unavailable)") from error
