from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benefits.assessment import assess_household
from benefits.catalogue.selectors import RatesNotAvailable, rates_on
from benefits.rules.household_json import MAX_BYTES, HouseholdInputError, read_household

# Input errors exit with 2, like a command-line usage error; anything else is a bug.
INPUT_ERROR = 2
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Command(BaseCommand):
    help = (
        "Assess every benefit for a household read from JSON (docs/household.schema.json) "
        "and print each verdict, amount, period and explanation as JSON. Use - for stdin. "
        "Invalid input ends in one line naming the field, with exit code 2."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("household", help="path to a household JSON file, or - for stdin")
        parser.add_argument("--date", help="assessment date, YYYY-MM-DD (default: today)")

    def handle(self, *args, household: str, date: str | None = None, **options) -> None:
        on = self._date(date)
        raw = self._read(household)
        try:
            rates_on(on)  # the date first: a household's dates are checked against it
            assessment = assess_household(household=read_household(raw, on=on), on=on)
        except HouseholdInputError as exc:
            raise CommandError(f"Invalid household: {exc}", returncode=INPUT_ERROR) from exc
        except RatesNotAvailable as exc:
            raise CommandError(str(exc), returncode=INPUT_ERROR) from exc
        self.stdout.write(json.dumps(assessment.as_dict(), indent=2, ensure_ascii=False))

    def _read(self, household: str) -> bytes | str:
        """At most one byte more than the parser accepts: a 50 MB file is never read whole."""
        try:
            if household == "-":
                stdin = getattr(sys.stdin, "buffer", sys.stdin)
                return stdin.read(MAX_BYTES + 1)
            with Path(household).open("rb") as file:
                return file.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                f"Cannot read {household}: {exc.strerror or exc}", returncode=INPUT_ERROR
            ) from exc

    def _date(self, value: str | None) -> date:
        if not value:
            return timezone.localdate()
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(
                f"--date must be YYYY-MM-DD, not {json.dumps(value[:20])}", returncode=INPUT_ERROR
            ) from exc
