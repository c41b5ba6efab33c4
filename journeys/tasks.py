"""Thin, idempotent tasks: a second run of the daily job tells nobody twice."""

from __future__ import annotations

from celery import shared_task

from journeys import nudges
from notifications import occasions


@shared_task(ignore_result=True)
def send_nudges() -> None:
    """The daily nudges: every occasion in the nudges group."""
    occasions.run(group=nudges.GROUP)
