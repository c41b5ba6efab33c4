"""What ``run_reminders`` and ``run_nudges`` share: a daily job run on demand for a date."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Protocol

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateformat import format as date_format


class DailyReport(Protocol):
    due: dict[str, int]

    @property
    def new(self) -> int: ...

    @property
    def already_sent(self) -> int: ...


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-12-04") from None


class DailyJobCommand(BaseCommand):
    """Run a daily job for ``--date`` (default today): a progress line, a line per kind and
    a summary. The job itself makes a second run for the same date send nothing new."""

    title = ""  # "Reminders", "Nudges"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=day, default=None, metavar="YYYY-MM-DD",
            help="The day to run the job for (default: today).",
        )  # fmt: skip

    def run_job(self, *, today: date) -> tuple[DailyReport, dict[str, int]]:
        """Run the job; return its report and the new ones by kind."""
        raise NotImplementedError

    def handle(self, *args, **options) -> None:
        today: date = options["date"] or timezone.localdate()
        when = date_format(today, "j F Y")
        self.stdout.write(f"{self.title} for {when}: finding what is due…")
        try:
            report, new_by_kind = self.run_job(today=today)
        except Exception as error:
            raise CommandError(f"{self.title} for {when} failed: {error}") from error
        for kind, new in new_by_kind.items():
            due = report.due.get(kind, new)
            self.stdout.write(f"  {kind}: {new} new, {due - new} already sent")
        self.stdout.write(
            self.style.SUCCESS(
                f"{self.title} for {when}: {report.new} new, {report.already_sent} already sent"
            )
        )
