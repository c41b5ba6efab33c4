"""Cache-down drill: a real redis-server is killed, frozen and restarted under a running
portal, and a signed-in citizen's pages keep working throughout.

The portal runs as a live server (its own threads, real HTTP); the cache is a private
redis-server this test starts on a free port, so stopping it touches nothing else.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings as django_settings

from lib import cache as safe_cache
from notifications.services import notify
from tests.helpers import closed_port, select, wait_until

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.drill]

REDIS_SERVER = "/usr/bin/redis-server"
PAGES = ["/your-services/", "/notifications/", "/account/profile/"]


class PrivateRedis:
    """A redis-server of this test's own: started, killed, frozen, thawed, restarted."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        try:
            wait_until(lambda: self._answers(client), timeout=10)
        finally:
            client.close()

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """Still accepting connections (the kernel does that) but never answering."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(settings) -> Iterator[PrivateRedis]:
    if not os.path.exists(REDIS_SERVER):
        pytest.skip(f"{REDIS_SERVER} is not installed")
    server = PrivateRedis(closed_port())
    server.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    settings.CACHE_RETRY_AFTER = 1  # the drill need not wait the production 5 s
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def signed_in(client, citizen, live_server):
    """Open a page of the live portal as the citizen (their session cookie): status,
    seconds taken, and the header's unread count (None when the header shows none)."""
    notify(customer=citizen.customer, kind="message", title="Hello", link="/your-services/")
    client.force_login(citizen)
    name = django_settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    address = urlsplit(live_server.url)
    host, port = address.hostname, address.port

    def open_page(path: str) -> tuple[int, float, str | None]:
        server = http.client.HTTPConnection(host, port, timeout=30)
        started = time.monotonic()
        try:
            server.request("GET", path, headers={"Cookie": cookie})
            response = server.getresponse()
            body = response.read()
        finally:
            server.close()
        seconds = time.monotonic() - started
        counts = select(body, '#notifications-badge span[class="portal-count"]')
        return response.status, seconds, counts[0].text.strip() if counts else None

    return open_page


def test_pages_survive_the_cache_being_killed_and_restarted(private_redis, signed_in):
    for page in PAGES:
        assert signed_in(page)[::2] == (200, "1")

    private_redis.kill()

    for page in PAGES:
        status, seconds, count = signed_in(page)
        assert (status, count) == (200, None), page  # the page, without the count
        assert seconds < 2, (page, seconds)

    private_redis.start()  # empty, as after a crash without persistence

    assert wait_until(lambda: signed_in("/your-services/")[2] == "1", timeout=15)
    assert not safe_cache.is_down()


def test_pages_survive_the_cache_hanging(private_redis, signed_in):
    assert signed_in("/your-services/")[::2] == (200, "1")
    baseline = signed_in("/notifications/")[1]  # the page with a cache that answers
    timeout = django_settings.CACHES["default"]["OPTIONS"]["socket_timeout"]

    private_redis.freeze()
    try:
        status, first, count = signed_in("/your-services/")
        assert (status, count) == (200, None)
        assert first < 2 * timeout + 1, first  # one socket timeout, not one per cache call
        # Then the portal leaves the frozen cache alone: no timeout at all. (Without that,
        # this page would wait on two cache reads: the header's customer and its count.)
        _status, second, _count = signed_in("/notifications/")
        assert second < baseline + timeout, (baseline, second)
    finally:
        private_redis.thaw()

    assert wait_until(lambda: signed_in("/your-services/")[2] == "1", timeout=15)
