from __future__ import annotations

from notifications import occasions
from notifications.management.daily import DailyJobCommand


class Command(DailyJobCommand):
    help = (
        "Send the daily reminders (every occasion the apps registered in the reminders "
        "group; it prints them by name) for a date, as the 07:30 beat job does. Running it "
        "again for the same date sends nothing new."
    )
    group = occasions.REMINDERS
    title = "Reminders"
