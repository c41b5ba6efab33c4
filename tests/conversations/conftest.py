from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves (``clock.now = …``), starting on Monday 15 March 2027."""

    class Clock:
        now = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock
