"""Read a household from JSON (the `assess` command, tests, the API later).

The format is the JSON Schema in ``benefits/rules/schema/household.schema.json``, published as
``docs/household.schema.json``. Invalid input raises ``HouseholdInputError`` naming the
field, e.g. ``children[1].date_of_birth: '2019-02-30' is not a date``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from benefits.rules.base import (
    Adult,
    AttendanceRate,
    Bereavement,
    CareNeed,
    Child,
    ChildDisability,
    Household,
    Housing,
    NonDependant,
    PipRate,
    Sex,
)

SCHEMA_PATH = Path(__file__).parent / "schema" / "household.schema.json"


class HouseholdInputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


@cache
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _path(parts: Iterable[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(household)"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _money(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _adult(data: dict[str, Any] | None) -> Adult | None:
    if data is None:
        return None
    values = dict(data)
    for key in ("date_of_birth", "baby_due_date"):
        values[key] = _date(values.get(key))
    for key in ("monthly_earnings", "weekly_hours_worked", "weekly_pension_income",
                "weekly_earnings_for_carers", "average_weekly_earnings",
                "weekly_state_pension", "adjusted_net_income"):  # fmt: skip
        values[key] = _money(values.get(key))
    for key, kind in (("care_need", CareNeed), ("pip_daily_living", PipRate),
                      ("pip_mobility", PipRate), ("attendance_allowance", AttendanceRate)):  # fmt: skip
        if values.get(key) is not None:
            values[key] = kind(values[key])
    return Adult(**values)


def _child(data: dict[str, Any]) -> Child:
    values = dict(data)
    values["date_of_birth"] = _date(values.get("date_of_birth"))
    if values.get("disability") is not None:
        values["disability"] = ChildDisability(values["disability"])
    if values.get("sex") is not None:
        values["sex"] = Sex(values["sex"])
    return Child(**values)


def _non_dependant(data: dict[str, Any]) -> NonDependant:
    values = dict(data)
    values["date_of_birth"] = _date(values.get("date_of_birth"))
    return NonDependant(**values)


def household_from_data(data: dict[str, Any]) -> Household:
    """A household from data already checked (the facts, built by ``benefits.assessment``)."""
    return household_from_json(data, validate=False)


def household_from_json(data: Any, *, on: date | None = None, validate: bool = True) -> Household:
    errors = (
        sorted(validator().iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
        if validate
        else []
    )
    if errors:
        first = errors[0]
        raise HouseholdInputError(_path(first.absolute_path), first.message)
    if on is not None:
        _check_dates(data, on)
    bereavement = data.get("bereavement")
    return Household(
        claimant=_adult(data.get("claimant")) or Adult(),
        has_partner=data.get("has_partner"),
        partner=_adult(data.get("partner")),
        children=None if "children" not in data else tuple(_child(c) for c in data["children"]),
        housing=Housing(data["housing"]) if data.get("housing") else None,
        capital=_money(data.get("capital")),
        lives_in_great_britain=data.get("lives_in_great_britain"),
        monthly_rent=_money(data.get("monthly_rent")),
        monthly_mortgage=_money(data.get("monthly_mortgage")),
        bedrooms=data.get("bedrooms"),
        non_dependants=None
        if "non_dependants" not in data
        else tuple(_non_dependant(n) for n in data["non_dependants"]),
        needs_overnight_carer=data.get("needs_overnight_carer"),
        bereavement=None
        if bereavement is None
        else Bereavement(
            partner_died_on=_date(bereavement.get("partner_died_on")),
            was_married_or_civil_partners=bereavement.get("was_married_or_civil_partners"),
            partner_paid_ni_or_industrial_cause=bereavement.get(
                "partner_paid_ni_or_industrial_cause"
            ),
        ),
    )


def _check_dates(data: dict[str, Any], on: date) -> None:
    """Dates of birth and deaths cannot be after the assessment date."""
    checks = [("claimant.date_of_birth", (data.get("claimant") or {}).get("date_of_birth")),
              ("partner.date_of_birth", (data.get("partner") or {}).get("date_of_birth")),
              ("bereavement.partner_died_on", (data.get("bereavement") or {}).get("partner_died_on"))]  # fmt: skip
    checks += [(f"non_dependants[{i}].date_of_birth", n.get("date_of_birth"))
               for i, n in enumerate(data.get("non_dependants") or ())]  # fmt: skip
    for field, value in checks:
        if value and date.fromisoformat(value) > on:
            raise HouseholdInputError(
                field, f"{value} is after the assessment date {on.isoformat()}"
            )
