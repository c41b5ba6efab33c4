"""Read a household from JSON: the `assess` command, the screener's answers, tests (and an
API later).

The format is the JSON Schema in ``benefits/rules/schema/household.schema.json``, published as
``docs/household.schema.json``. Two ways in, one validation:

- ``read_household(raw, on=…)`` takes the text as it came (bytes or str: a file, stdin, a
  request body) and refuses what could hurt the parser before parsing it: more than
  ``MAX_BYTES``, text that is not UTF-8, nesting deeper than ``MAX_DEPTH``. JSON's parser in
  Python also accepts ``NaN`` and ``Infinity`` and keeps the last of two equal keys: both
  are refused, and numbers are read exactly (as ``Decimal``), so ``1e309`` is a number too
  large rather than an infinity.
- ``household_from_json(data, on=…)`` takes data already parsed (the screener builds it
  from its answers) and checks the same things that can still be wrong there.

Anything refused raises ``HouseholdInputError``: one short line (under 300 characters)
naming the JSON path, e.g. ``children[1].date_of_birth: must be a real date, not
"2019-02-30"``. Values are quoted with JSON escapes, so control characters, bidi overrides
and lone surrogates in the input never reach a terminal or a log as themselves.
"""

from __future__ import annotations

import codecs
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator

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

# A household is a few kilobytes (20 children and 20 other adults, indented, stay under
# 16 KB); anything much larger is a mistake or an attack, refused before it is read whole.
MAX_BYTES = 64 * 1024
# The format nests three deep (household → children → a child); refused before parsing,
# since Python's JSON parser recurses once per level.
MAX_DEPTH = 10
# Births more than this long before the assessment date are a typing mistake (the
# screener's date-of-birth question has the same limit).
MAX_AGE_YEARS = 130

type JsonPath = tuple[str | int, ...]


class HouseholdInputError(ValueError):
    """Input the household format refuses: ``path`` is where (``()`` for the whole text),
    ``message`` what is wrong; ``str()`` is one line, ``field: message``."""

    def __init__(self, path: JsonPath, message: str) -> None:
        self.path = tuple(path)
        self.field = _path(self.path)
        self.message = _clip(message, 160)
        super().__init__(f"{self.field}: {self.message}")


# --- Text → data --------------------------------------------------------------------------


class _NotANumber:
    """``NaN``, ``Infinity`` or ``-Infinity``: not JSON, but Python's parser reads them.
    Kept as a marker so that the error can say where it was."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _RepeatedKey(dict[str, Any]):
    """An object that gave one key twice (the parser would keep the last, silently)."""

    repeated: str = ""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    marked = _RepeatedKey(found)
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            marked.repeated = key
            break
        seen.add(key)
    return marked


def _integer(text: str) -> int | Decimal:
    # Python refuses to convert integers of more than 4,300 digits (ValueError); no count in
    # the format has more than a few, so a longer one is kept as a number too large.
    return int(text) if len(text) <= 50 else Decimal(text)


# What nesting depends on: brackets, and quotes and backslashes (brackets in strings do not
# count). One pass, no backtracking: a regex matching whole strings rescans the rest of the
# text from every quote of an unterminated one, quadratic (40 s for 60 KB of \").
_NESTING = re.compile(r'[\\"\[\]{}]')


def _nested_deeper_than(text: str, limit: int) -> bool:
    depth, in_string, escaped_at = 0, False, -1
    for match in _NESTING.finditer(text):
        char, at = match.group(), match.start()
        if in_string:
            if at == escaped_at:
                continue
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def parse_household_text(raw: bytes | str) -> Any:
    """The JSON value in ``raw``, or ``HouseholdInputError`` about the whole text."""
    size = (
        len(raw)
        if isinstance(raw, bytes) or len(raw) > MAX_BYTES
        else len(raw.encode("utf-8", "surrogatepass"))
    )
    if size > MAX_BYTES:
        raise HouseholdInputError(
            (), gettext("is larger than %(limit)d KB") % {"limit": MAX_BYTES // 1024}
        )
    if isinstance(raw, bytes):
        body = raw.removeprefix(codecs.BOM_UTF8)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HouseholdInputError(
                (),
                gettext("is not UTF-8 text (byte 0x%(byte)02x at position %(position)d)")
                % {"byte": body[exc.start], "position": exc.start + len(raw) - len(body)},
            ) from None
    else:
        text = raw.removeprefix("\ufeff")
    if _nested_deeper_than(text, MAX_DEPTH):
        raise HouseholdInputError(
            (), gettext("is nested more than %(limit)d deep") % {"limit": MAX_DEPTH}
        )
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=_integer,
            parse_constant=_NotANumber,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise HouseholdInputError(
            (),
            gettext("is not valid JSON: %(problem)s (line %(line)d, column %(column)d)")
            % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
        ) from None


def read_household(raw: bytes | str, *, on: date) -> Household:
    """The household in ``raw`` (a file's bytes, stdin, a request body) on ``on``."""
    return household_from_json(parse_household_text(raw), on=on)


# --- Data → household ---------------------------------------------------------------------


def _is_number(checker: object, value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_integer(checker: object, value: object) -> bool:
    """A whole number, however written (``2``, ``2.0``): JSON Schema's meaning."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()


def _multiple_of(
    validator: Validator, step: float | int, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """Exact, unlike floats (1200.10 / 0.01 is not a whole number in binary): the value as
    written, as a fraction."""
    if not validator.is_type(instance, "number"):
        return
    if (Fraction(Decimal(str(instance))) / Fraction(Decimal(str(step)))).denominator != 1:
        yield ValidationError(f"not a multiple of {step}")


@cache
def validator() -> Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    base = Draft202012Validator
    checker = base.TYPE_CHECKER.redefine_many({"number": _is_number, "integer": _is_integer})
    # jsonschema's extend is untyped: the class it makes is a Validator.
    exact: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
        base, {"multipleOf": _multiple_of}, type_checker=checker
    )
    return exact(schema, format_checker=FormatChecker())


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def _path(parts: Iterable[str | int], limit: int = 100) -> str:
    r"""``children[1].date_of_birth``; a key that is no plain name is quoted
    (``pets["\u202e"]``). Past ``limit`` characters, whole parts give way to "…"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            piece = f"[{part}]"
        elif _NAME.fullmatch(part):
            piece = f".{part}" if text else part
        else:
            piece = f"[{_quoted(part, 16)}]"
        if len(text) + len(piece) > limit:
            return text + "…"
        text += piece
    return text or "(household)"


def _quoted(text: str, limit: int) -> str:
    """``text`` as a JSON string, ASCII only (every control, bidi override or lone
    surrogate escaped), cut to ``limit`` characters between escapes."""
    pieces: list[str] = []
    size = 0
    for char in text:
        piece = json.dumps(char)[1:-1] if char != "\x7f" else "\\u007f"
        if size + len(piece) > limit:
            return '"' + "".join(pieces) + '…"'
        pieces.append(piece)
        size += len(piece)
    return '"' + "".join(pieces) + '"'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _non_finite(value: object) -> str | None:
    """``NaN``, ``Infinity`` or ``-Infinity`` for a float or Decimal that is no finite number
    (a Decimal's signalling NaN included: comparing one raises)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-Infinity" if value < 0 else "Infinity")
    if isinstance(value, Decimal) and not value.is_finite():
        return "NaN" if value.is_nan() else ("-Infinity" if value.is_signed() else "Infinity")
    return None


def _brief(value: object, limit: int = 30) -> str:
    """A value as it could be written in JSON, short, with every unusual character escaped."""
    if isinstance(value, _NotANumber):
        return value.text
    if isinstance(value, str):
        return _quoted(value, limit)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if (name := _non_finite(value)) is not None:
        return name
    if isinstance(value, int) and value.bit_length() > 100:
        return gettext("a number of more than 30 digits")  # str() refuses past 4,300 digits
    if isinstance(value, int | float | Decimal):
        return _clip(str(value), limit)
    if isinstance(value, list | tuple):
        return gettext("a list")
    if isinstance(value, dict):
        return gettext("an object")
    return _clip(type(value).__name__, limit)


def _refuse_what_schemas_cannot_see(data: Any) -> None:
    """Non-numbers, repeated keys and deep nesting, anywhere (unknown fields included),
    before the schema, which looks only where the format has fields. Iterative: data
    nested deeper than ``MAX_DEPTH`` is refused without recursing into it."""
    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            raise HouseholdInputError(
                path[:MAX_DEPTH],
                gettext("is nested more than %(limit)d deep") % {"limit": MAX_DEPTH},
            )
        if isinstance(value, _NotANumber) or _non_finite(value) is not None:
            raise HouseholdInputError(
                path, gettext("must be a number, not %(value)s") % {"value": _brief(value)}
            )
        if isinstance(value, int) and value.bit_length() > 100:
            # No field takes a number of 30 digits, and jsonschema's messages would try to
            # write this one out (ValueError past 4,300 digits).
            raise HouseholdInputError(path, gettext("is far too large a number"))
        if isinstance(value, _RepeatedKey):
            raise HouseholdInputError((*path, value.repeated), gettext("is given more than once"))
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


def _kind(name: str) -> str:
    kinds = {
        "number": gettext("a number"),
        "integer": gettext("a whole number"),
        "string": gettext("text"),
        "boolean": gettext("true or false"),
        "object": gettext("an object"),
        "array": gettext("a list"),
    }
    return kinds.get(name, name)


def _schema_error(error: ValidationError) -> HouseholdInputError:
    """The schema's complaint, short: the limit and the value (quoted, clipped), never the
    whole instance (an array of 200 children is 24 KB of repr)."""
    path: JsonPath = tuple(error.absolute_path)
    value, rule, limit = error.instance, error.validator, error.validator_value
    shown = _brief(value)
    if rule == "type":
        message = gettext("must be %(kind)s, not %(value)s") % {
            "kind": _kind(str(limit)),
            "value": shown,
        }
    elif rule == "enum":
        message = gettext("must be one of %(choices)s, not %(value)s") % {
            "choices": ", ".join(str(choice) for choice in error.schema.get("enum", ())),  # type: ignore[union-attr]
            "value": shown,
        }
    elif rule == "minimum":
        message = gettext("must be %(limit)s or more, not %(value)s") % {
            "limit": limit,
            "value": shown,
        }
    elif rule == "maximum":
        message = gettext("must be %(limit)s or less, not %(value)s") % {
            "limit": limit,
            "value": shown,
        }
    elif rule == "multipleOf":
        message = gettext(
            "must be in pounds and pence (2 decimal places at most), not %(value)s"
        ) % {"value": shown}
    elif rule == "maxItems":
        message = gettext("must have at most %(limit)s items") % {"limit": limit}
    elif rule == "additionalProperties":
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        unknown = [key for key in value if key not in known] if isinstance(value, dict) else []
        path = (*path, unknown[0]) if unknown else path
        message = gettext("is not a field of the household format")
    elif rule == "format" and limit == "date":
        message = gettext("must be a real date, not %(value)s") % {"value": shown}
    elif rule == "pattern" and error.schema.get("format") == "date":  # type: ignore[union-attr]
        message = gettext(
            "must be a date from 1800-01-01 to 2199-12-31 as YYYY-MM-DD, not %(value)s"
        ) % {"value": shown}
    else:
        message = gettext("is not valid (%(rule)s)") % {"rule": rule}
    return HouseholdInputError(path, message)


def _first_schema_error(data: Any) -> HouseholdInputError | None:
    # The first few errors are enough to name one; a list of thousands gives thousands.
    errors = list(itertools.islice(validator().iter_errors(data), 50))
    if not errors:
        return None
    return min(
        (_schema_error(e) for e in errors),
        key=lambda e: (
            [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in e.path],
            e.message,
        ),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _money(value: float | int | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _whole(value: float | int | Decimal | None) -> int | None:
    return None if value is None else int(value)


MONEY_AND_HOURS = ("monthly_earnings", "weekly_hours_worked", "weekly_pension_income",
                   "weekly_earnings_for_carers", "average_weekly_earnings",
                   "weekly_state_pension", "adjusted_net_income")  # fmt: skip
COUNTS = ("caring_hours", "ni_qualifying_years")


def _adult(data: dict[str, Any] | None) -> Adult | None:
    if data is None:
        return None
    values = dict(data)
    for key in ("date_of_birth", "baby_due_date"):
        values[key] = _date(values.get(key))
    for key in MONEY_AND_HOURS:
        values[key] = _money(values.get(key))
    for key in COUNTS:
        if key in values:
            values[key] = _whole(values[key])
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
    """The household in parsed JSON ``data``; with ``on``, dates are checked against it."""
    if validate:
        _refuse_what_schemas_cannot_see(data)
        error = _first_schema_error(data)
        if error is not None:
            raise error
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
        bedrooms=_whole(data.get("bedrooms")),
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


def _years_before(on: date, years: int) -> date:
    if on.year - years < 1:
        return date.min
    if (on.month, on.day) == (2, 29):
        return date(on.year - years, 2, 28)
    return on.replace(year=on.year - years)


def _check_dates(data: dict[str, Any], on: date) -> None:
    """Nobody is born, and no partner dies, after the assessment date (a child not born
    yet would otherwise be left out without a word); nobody was born more than 130 years
    before it."""
    births: list[tuple[JsonPath, Any]] = [
        (("claimant", "date_of_birth"), (data.get("claimant") or {}).get("date_of_birth")),
        (("partner", "date_of_birth"), (data.get("partner") or {}).get("date_of_birth")),
    ]
    for group in ("children", "non_dependants"):
        births += [((group, i, "date_of_birth"), person.get("date_of_birth"))
                   for i, person in enumerate(data.get(group) or ())]  # fmt: skip
    died = (data.get("bereavement") or {}).get("partner_died_on")
    earliest = _years_before(on, MAX_AGE_YEARS)
    for path, value in [*births, (("bereavement", "partner_died_on"), died)]:
        if value and date.fromisoformat(value) > on:
            raise HouseholdInputError(
                path,
                gettext("%(date)s is after the assessment date %(on)s")
                % {"date": value, "on": on.isoformat()},
            )
    for path, value in births:
        if value and date.fromisoformat(value) < earliest:
            raise HouseholdInputError(
                path,
                gettext("%(date)s is more than %(years)d years before the assessment date")
                % {"date": value, "years": MAX_AGE_YEARS},
            )
