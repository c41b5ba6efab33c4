from __future__ import annotations

from journeys import nudges
from notifications.management.daily import DailyJobCommand


class Command(DailyJobCommand):
    help = (
        "Send the daily nudges (State Pension age, a child turning 16 or 20, an award ending) "
        "for a date, as the 08:15 beat job does. Running it again for the same date sends "
        "nothing new."
    )
    group = nudges.GROUP
    title = "Nudges"
