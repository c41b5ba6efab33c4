"""Apply the retention schedule (accounts/retention.py): count, or remove, what is due."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.retention import schedule
from representatives.retention import services


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second; nothing when stderr is
    not a terminal (cron, beat, a log file)."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.shown_at = 0.0

    def __call__(self, key: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown_at < 0.1:
            return
        self.shown_at = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{key:<42.42} [{bar}] {done:>10,}/{total:,}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Apply the retention schedule (accounts/retention.py): --dry-run counts what is past "
        "its period and changes nothing; --apply deletes or anonymises it, in batches, each "
        "in its own transaction. Safe to run again: a second run finds nothing. Every run is "
        "recorded (RetentionRun)."
    )

    def add_arguments(self, parser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="count only; change nothing")
        mode.add_argument("--apply", action="store_true", help="delete and anonymise what is due")
        parser.add_argument(
            "--batch-size", type=int, default=services.DEFAULT_BATCH_SIZE,
            help=f"rows per transaction (default {services.DEFAULT_BATCH_SIZE:,})",
        )  # fmt: skip
        parser.add_argument(
            "--by", default="", help="the operator's email, recorded on the run (optional)"
        )

    def handle(self, *args, dry_run: bool, apply: bool, batch_size: int, by: str, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        operator = None
        if by:
            operator = User.objects.filter(email__iexact=by, is_staff=True).first()
            if operator is None:
                raise CommandError(f"No member of staff with the email {by}")
        stderr = options.get("stderr") or sys.stderr
        progress = ProgressBar(stderr) if getattr(stderr, "isatty", lambda: False)() else None
        started = time.perf_counter()
        run = services.apply_retention(
            apply=apply, by=operator, batch_size=batch_size, progress=progress
        )
        elapsed = time.perf_counter() - started
        verb = "removed" if apply else "due (dry run: nothing changed)"
        for rule in schedule():
            count = run.counts.get(rule.key, 0)
            self.stdout.write(f"{rule.key:<42} {rule.action:<9} {count:>12,}")
        self.stdout.write(
            f"{run.total:,} rows {verb}; {run.files_removed:,} files removed; "
            f"{elapsed:.1f} s; run {run.pk}"
        )
