"""Faults on demand: a broker or cache that is down or hung, for in-process tests.

The drills (tests/drills) start real servers of their own; the helpers here only point this
test process at an address where nothing answers, or where something accepts connections
and then never answers (a Redis that is stopped with SIGSTOP, a firewall that drops the
replies).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

# Nothing listens on port 1: connecting is refused at once, as with a stopped Redis.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def use_broker(url: str) -> None:
    """Point the Celery app at ``url`` and forget the connection and producer pools made for
    the old one (celery caches both; this is what it does itself after a fork)."""
    from portal.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    from django.conf import settings

    use_broker(url)
    try:
        yield
    finally:
        use_broker(settings.CELERY_BROKER_URL)


@contextlib.contextmanager
def hung_server() -> Iterator[str]:
    """A ``redis://`` address that accepts connections (the kernel completes them from the
    listen backlog) and never answers a command: a Redis stopped with SIGSTOP."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        listener.close()


def dead_cache_settings(settings) -> None:
    """The Django cache on a Redis that is down (``settings`` is pytest-django's fixture,
    which resets the cache connections when CACHES changes)."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS_URL},
    }


class Stopwatch:
    """``with Stopwatch() as took: …`` then ``took.seconds``."""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.monotonic()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.monotonic() - self._started


def within(seconds: float, work: Callable[[], object]) -> float:
    """Run ``work`` in a thread; fail if it is still running after ``seconds`` (a publish that
    hangs must fail the test, not hang it). Returns how long it took.

    The thread has its own database connection: use it in transactional tests only."""
    outcome: dict[str, object] = {}

    def run():
        from django.db import connection

        with Stopwatch() as took:
            try:
                work()
            except BaseException as exc:  # reported below, in the test's thread
                outcome["error"] = exc
            finally:
                connection.close()  # this thread's own connection
        outcome["seconds"] = took.seconds

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting on the broker after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["seconds"]
