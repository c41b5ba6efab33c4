from __future__ import annotations

from datetime import date

from notifications import reminders
from notifications.management.daily import DailyJobCommand


class Command(DailyJobCommand):
    help = (
        "Send the daily reminders (information due or overdue, payments soon, late decisions) "
        "for a date, as the 07:30 beat job does. Running it again for the same date sends "
        "nothing new."
    )
    title = "Reminders"

    def run_job(self, *, today: date):
        report = reminders.run(today=today)
        return report, report.reminders
