"""The shared cache as an optimisation: calls that survive the cache being down.

Django's cache raises when Redis is stopped, unreachable or frozen, and a page that
reads it becomes a 500. Where the cache only saves work (a count, a version, a figure
worked out from the database), use these functions instead of ``django.core.cache``:

- ``get`` answers ``default`` when the cache cannot be reached, as for a miss, and the
  caller works the value out from the database (``is_down()`` tells the two apart, for a
  caller that would rather leave the value out);
- ``set`` and ``add`` fill the cache after a miss; when it is down they do nothing;
- ``delete``, ``delete_many`` and ``set(…, invalidates=True)`` / ``set_many`` change what
  readers see, and are tried even while the cache is thought down: a skipped one would
  leave a stale value behind once it is back. A failed one is logged, never raised (the
  change it follows is committed; the value expires with its timeout).

After a failure the cache is left alone, in this process, for ``CACHE_RETRY_AFTER``
seconds (reads and fills answer at once), so a frozen Redis costs one socket timeout now
and then instead of one per call. The failure is logged once per window.

Not for security state: allauth's rate-limit counters and used one-time codes stay on
``django.core.cache``, so a sign-in that cannot count its failures fails closed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# What a cache that is down raises: redis-py's errors (refused, reset, timed out, a
# loading or read-only server) and the socket errors beneath them.
ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError)

_down_until = 0.0


def is_down() -> bool:
    """Whether a call failed in the last ``CACHE_RETRY_AFTER`` seconds (in this process)."""
    return time.monotonic() < _down_until


def mark_down(error: BaseException) -> None:
    """Record a failure met outside this module (``except cache.ERRORS``), so the calls
    that follow skip the cache too."""
    global _down_until
    if not is_down():
        logger.warning(
            "The cache cannot be reached; pages carry on without it for %s s: %s",
            settings.CACHE_RETRY_AFTER, error,
        )  # fmt: skip
    _down_until = time.monotonic() + settings.CACHE_RETRY_AFTER


def reset() -> None:
    """Forget a failure (tests, after pointing the cache elsewhere)."""
    global _down_until
    _down_until = 0.0


def _stale(keys: Iterable[str]) -> None:
    keys = list(keys)
    logger.warning(
        "Could not update %s cache key(s) (first %s): they may be stale until they expire",
        len(keys), keys[0] if keys else "-",
    )  # fmt: skip


def get(key: str, default: Any = None) -> Any:
    if is_down():
        return default
    try:
        return cache.get(key, default)
    except ERRORS as error:
        mark_down(error)
        return default


def set(key: str, value: Any, timeout: float | None, *, invalidates: bool = False) -> bool:
    """Store ``value``; True if stored. ``invalidates``: the new value replaces one that
    readers must stop seeing (a version), so try even while the cache is thought down."""
    if is_down() and not invalidates:
        return False
    try:
        cache.set(key, value, timeout)
    except ERRORS as error:
        mark_down(error)
        if invalidates:
            _stale([key])
        return False
    return True


def add(key: str, value: Any, timeout: float | None) -> bool:
    """Store ``value`` unless the key exists; True if this call stored it."""
    if is_down():
        return False
    try:
        return bool(cache.add(key, value, timeout))
    except ERRORS as error:
        mark_down(error)
        return False


def set_many(values: Mapping[str, Any], timeout: float | None) -> bool:
    """Store every value (replacing what readers see: always tried); True if stored."""
    try:
        cache.set_many(dict(values), timeout)
    except ERRORS as error:
        mark_down(error)
        _stale(values)
        return False
    return True


def delete(key: str) -> bool:
    """Drop ``key`` (always tried); False if the cache could not be told."""
    try:
        cache.delete(key)
    except ERRORS as error:
        mark_down(error)
        _stale([key])
        return False
    return True


def delete_many(keys: Iterable[str]) -> bool:
    """Drop ``keys`` (always tried); False if the cache could not be told."""
    keys = list(keys)
    try:
        cache.delete_many(keys)
    except ERRORS as error:
        mark_down(error)
        _stale(keys)
        return False
    return True
