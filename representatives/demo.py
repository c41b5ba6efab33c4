"""Demo representatives: filled in by the representatives issue."""

from __future__ import annotations

SIGNINS: list = []


def seed(*, stdout) -> None:
    return None
