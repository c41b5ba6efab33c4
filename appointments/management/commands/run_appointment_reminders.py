from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from appointments import reminders
from notifications import occasions


class Command(BaseCommand):
    help = (
        "Send the appointment reminders due now (24 hours and 2 hours before), as the beat "
        "job does every 10 minutes. Running it again sends nothing new."
    )

    def handle(self, *args, **options) -> None:
        try:
            report = occasions.run(group=reminders.GROUP)
        except Exception as error:
            raise CommandError(f"Appointment reminders failed: {error}") from error
        for name, new in report.told.items():
            due = report.due.get(name, new)
            self.stdout.write(f"  {name}: {new} new, {due - new} already sent")
        self.stdout.write(
            self.style.SUCCESS(
                f"Appointment reminders: {report.new} new, {report.already_sent} already sent "
                f"({report.seconds:.1f} s)"
            )
        )
