from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benefits.assessment import RatesNotAvailable, assess_household
from benefits.rules.household_json import HouseholdInputError, household_from_json


class Command(BaseCommand):
    help = (
        "Assess every benefit for a household read from JSON (docs/household.schema.json) "
        "and print each verdict, amount, period and explanation as JSON. Use - for stdin."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("household", help="path to a household JSON file, or - for stdin")
        parser.add_argument("--date", help="assessment date, YYYY-MM-DD (default: today)")

    def handle(self, *args, household: str, date: str | None = None, **options) -> None:
        on = self._date(date)
        try:
            text = (
                sys.stdin.read()
                if household == "-"
                else Path(household).read_text(encoding="utf-8")
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {household}: {exc.strerror}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{household} is not valid JSON: {exc}") from exc
        try:
            assessment = assess_household(household=household_from_json(data, on=on), on=on)
        except HouseholdInputError as exc:
            raise CommandError(f"Invalid household: {exc}") from exc
        except RatesNotAvailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(assessment.as_dict(), indent=2, ensure_ascii=False))

    def _date(self, value: str | None) -> date:
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc
