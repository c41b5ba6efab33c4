"""Thin, idempotent tasks: a second run tells nobody twice and makes no slot twice."""

from __future__ import annotations

from celery import shared_task

from appointments import generation, reminders
from appointments.models import BOOKING_WEEKS
from notifications import occasions


@shared_task(ignore_result=True)
def send_reminders() -> None:
    """Every 10 minutes: the reminders 24 hours and 2 hours before appointments."""
    occasions.run(group=reminders.GROUP)


@shared_task(ignore_result=True)
def generate_slots_ahead() -> None:
    """Nightly: slots for every active availability, as far ahead as people can book."""
    generation.generate_slots(weeks=BOOKING_WEEKS + 1)
