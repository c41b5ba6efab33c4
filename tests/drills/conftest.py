"""Fixtures of the fault drills: real servers and processes of their own (tests/drills/servers.py)."""

from __future__ import annotations

import pytest

from tests.drills.servers import RedisServer, stop
from tests.faults import broker_at


@pytest.fixture
def folder(tmp_path):
    """Logs and the SMS provider's file; printed on failure (pytest shows tmp_path)."""
    return tmp_path


@pytest.fixture
def broker(folder):
    """A Redis of the drill's own as the broker, this test process pointed at it."""
    server = RedisServer(folder)
    server.start()
    try:
        with broker_at(server.url):
            yield server
    finally:
        server.stop()


@pytest.fixture
def queue():
    """The queue this test process publishes to (the workers must consume it)."""
    from portal.celery import app

    return app.conf.task_default_queue


@pytest.fixture
def processes():
    """Processes the drill starts; each is stopped at the end, whatever happened."""
    started: list = []
    yield started
    for process in started:
        stop(process)
