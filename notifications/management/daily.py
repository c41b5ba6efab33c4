"""What ``run_reminders`` and ``run_nudges`` share: a group of occasions run on demand for
a date, as its daily beat job runs it."""

from __future__ import annotations

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateformat import format as date_format

from notifications import occasions


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-12-04") from None


class DailyJobCommand(BaseCommand):
    """Run the occasions of ``group`` for ``--date`` (default today): a progress line, a
    line per occasion and a summary. The engine makes a second run for the same date send
    nothing new."""

    group = ""  # the group of occasions (notifications.occasions)
    title = ""  # "Reminders", "Nudges"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=day, default=None, metavar="YYYY-MM-DD",
            help="The day to run the job for (default: today).",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        today: date = options["date"] or timezone.localdate()
        when = date_format(today, "j F Y")
        self.stdout.write(f"{self.title} for {when}: finding what is due…")
        try:
            report = occasions.run(group=self.group, today=today)
        except Exception as error:
            raise CommandError(f"{self.title} for {when} failed: {error}") from error
        for name, new in report.told.items():
            due = report.due.get(name, new)
            self.stdout.write(f"  {name}: {new} new, {due - new} already sent")
        self.stdout.write(
            self.style.SUCCESS(
                f"{self.title} for {when}: {report.new} new, {report.already_sent} already sent"
            )
        )
