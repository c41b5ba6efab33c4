"""Hostile household JSON, generated (hypothesis): the parser and `manage.py assess` raise
nothing but their own input error, in one short line that names a field, and every input
they accept is assessed without an error.

The generators aim at what breaks parsers and rules: random structures, keys the format
has and keys it has not, the same key twice, extreme numbers (NaN, ±Infinity, 1e309,
integers of thousands of digits, Decimal's signalling NaN), text with NUL, lone
surrogates, bidi overrides and byte order marks, deep nesting, huge arrays, impossible
dates and assessment dates from year 1 to 9999; then the text as str or as bytes, some
with bytes that are not UTF-8.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from benefits.rules import assess_all
from benefits.rules.household_json import (
    MAX_BYTES,
    SCHEMA_PATH,
    HouseholdInputError,
    household_from_json,
    read_household,
)
from tests.benefits.conftest import rates_on

SCHEMA = json.loads(SCHEMA_PATH.read_text())
DEFS = SCHEMA["$defs"]
SHAPES = {  # the objects of the format and their fields
    "household": list(SCHEMA["properties"]),
    "adult": list(DEFS["adult"]["properties"]),
    "child": list(DEFS["child"]["properties"]),
    "non_dependant": list(DEFS["non_dependant"]["properties"]),
    "bereavement": list(DEFS["bereavement"]["properties"]),
}
FIRST_DAY, LAST_DAY = date(2025, 4, 7), date(2027, 4, 5)  # the days with rates
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


class Obj(list):
    """An object as written: its pairs in order, so that a key may come twice."""


class TooManyDigits:
    """An integer of more digits than Python converts by default (4,300)."""

    def __repr__(self) -> str:
        return "9" * 20 + "… (4,400 digits)"


TOO_MANY_DIGITS = TooManyDigits()


# --- Hostile values -------------------------------------------------------------------------

NASTY_STRINGS = [
    "", " ", "\x00", "a\x00b", "\ud800", "\udfff", "\ud83d", "\u202e", "\u202enone", "\u2066x",
    "\ufeff", "\u200b", "NaN", "Infinity", "1e309", "-0", "true", "null", "2026-02-30",
    "0000-01-01", "10000-01-01", "9999-12-31", "9990-01-01", "1990-01-01\n", "1990-1-1",
    "١٩٩٠-٠١-٠١", "1990-01-01T00:00", "+1990-01-01", "1799-12-31", "2199-12-31", "2200-01-01",
    "rent_social", "none", "enhanced", "x" * 2000,
]  # fmt: skip
nasty_text = (
    st.sampled_from(NASTY_STRINGS)
    | st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zs", "Nd", "Lo", "Mn"]), max_size=20)
    | st.text(max_size=20)
)
dates_as_text = st.dates().map(date.isoformat) | st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(0, 10_000),
    st.integers(0, 13),
    st.integers(0, 32),
)
numbers = (
    st.integers()
    | st.integers(min_value=10**20, max_value=10**4000)
    | st.floats()
    | st.decimals()  # NaN, sNaN, ±Infinity, any exponent
    | st.sampled_from([Decimal("1e309"), Decimal("-1e309"), Decimal("1200.505"), Decimal("-0.01"),
                       Decimal("10000000.01"), Decimal("0.001"), TOO_MANY_DIGITS])
)  # fmt: skip
scalars = st.none() | st.booleans() | numbers | nasty_text | dates_as_text


def keys_for(shape: str):
    return st.sampled_from(SHAPES[shape]) | nasty_text


def objects(shape: str, values) -> st.SearchStrategy[Obj]:
    return st.lists(st.tuples(keys_for(shape), values), max_size=8).map(Obj)


any_json = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=6) | objects("household", inner),
    max_leaves=30,
)
value = scalars | any_json


def person(shape: str):
    return objects(shape, value) | value


household_shaped = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["claimant", "partner"]), person("adult")),
        st.tuples(st.just("children"), st.lists(person("child"), max_size=25) | value),
        st.tuples(st.just("non_dependants"), st.lists(person("non_dependant"), max_size=25)),
        st.tuples(st.just("bereavement"), person("bereavement")),
        st.tuples(keys_for("household"), value),
    ),
    max_size=10,
).map(Obj)


def write(data, surrogates_raw: bool = False) -> str:
    """JSON text for generated data; NaN and Infinity as Python's parser reads them."""
    if isinstance(data, Obj):
        return "{" + ", ".join(f"{write(str(k))}: {write(v)}" for k, v in data) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(write(item) for item in data) + "]"
    if isinstance(data, Decimal):
        return str(data)  # 1E+309, NaN, sNaN (not JSON at all), Infinity
    if isinstance(data, TooManyDigits):
        return "9" * 4400
    return json.dumps(data, ensure_ascii=not surrogates_raw)


@st.composite
def hostile_text(draw) -> str | bytes:
    kind = draw(st.sampled_from(["household", "any", "deep", "huge", "mangled"]))
    if kind == "deep":
        depth = draw(st.integers(5, 60_000))
        opener = draw(st.sampled_from(["[", '{"a":', '{"children":']))
        text = opener * depth + draw(st.sampled_from(["", "1", "]" * depth, "}" * depth]))
    elif kind == "huge":
        count = draw(st.integers(21, 3_000))
        item = draw(st.sampled_from(["{}", '{"date_of_birth": "2020-01-01"}', "0", '"\\u202e"']))
        text = '{"children": [' + ", ".join([item] * count) + "]}"
    else:
        data = draw(household_shaped if kind in ("household", "mangled") else any_json)
        text = write(data)
        if kind == "mangled":
            cut = draw(st.integers(0, len(text)))
            junk = draw(st.sampled_from(["", "\ufeff", "\x00", "NaN", "]", "}", ",", '"', "\\"]))
            text = text[:cut] + junk + text[cut:]
    as_bytes = draw(st.booleans())
    if not as_bytes:
        return text
    raw = text.encode("utf-8", "surrogatepass")  # a raw surrogate is not UTF-8
    if draw(st.booleans()):
        raw = (
            draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
            + raw
            + draw(st.sampled_from([b"", b"\xff", b"\xc0\x80", b"\xed\xa0\x80"]))
        )
    return raw


assessment_dates = st.dates() | st.dates(FIRST_DAY, LAST_DAY)

PATH = re.compile(
    r'\(household\)|([A-Za-z_]\w*|\[\d+\]|\[".*"…?\])(\.[A-Za-z_]\w*|\[\d+\]|\[".*"…?\])*…?'
)


def assert_short_line_naming_a_field(message: str, field: str) -> None:
    assert len(message) < 300, message
    assert "\n" not in message, message
    assert "\r" not in message, message
    assert not [c for c in message if unicodedata.category(c) in ("Cc", "Cf", "Cs")], message
    assert PATH.fullmatch(field), field


def outcome(call, *args, expected=HouseholdInputError, **kwargs):
    """(result, None), or (None, the error) when ``call`` raises ``expected``: anything
    else it raises fails the test."""
    try:
        return call(*args, **kwargs), None
    except expected as error:
        return None, error


def assess_if_rates(household, on: date) -> None:
    """A household the parser accepts is one the rules can assess."""
    if FIRST_DAY <= on <= LAST_DAY:
        results = assess_all(household, on, rates_on(on))
        assert len(results) == 10


@given(raw=hostile_text(), on=assessment_dates)
@settings(max_examples=400, **SETTINGS)
def test_the_parser_raises_only_its_input_error_short_and_naming_a_field(raw, on):
    household, error = outcome(read_household, raw, on=on)

    if error is not None:
        assert_short_line_naming_a_field(str(error), error.field)
        assert str(error).startswith(f"{error.field}: ")
    else:
        assess_if_rates(household, on)


@given(data=household_shaped | any_json, on=assessment_dates)
@settings(max_examples=300, **SETTINGS)
def test_python_data_is_held_to_the_same_rules(data, on):
    """The screener hands over data it built, not text: the same checks, the same error."""

    def plain(item):
        if isinstance(item, Obj):
            return {str(k): plain(v) for k, v in item}
        if isinstance(item, list):
            return [plain(v) for v in item]
        return 10**4400 if isinstance(item, TooManyDigits) else item

    household, error = outcome(household_from_json, plain(data), on=on)

    if error is not None:
        assert_short_line_naming_a_field(str(error), error.field)
    else:
        assess_if_rates(household, on)


# --- Valid households -------------------------------------------------------------------------


def born_between(on: date, youngest: int, oldest: int):
    return st.integers(youngest * 365, oldest * 365).map(
        lambda d: (on - timedelta(days=d)).isoformat()
    )


def money(maximum: int = 10_000_000):
    return st.decimals(0, maximum, places=2).map(lambda d: float(d) if d % 1 else int(d))


@st.composite
def valid_household(draw, on: date) -> dict:
    def maybe(strategy):
        return draw(st.none() | strategy)

    def adult(youngest: int) -> dict:
        fields = {
            "date_of_birth": maybe(born_between(on, youngest, 129)),
            "monthly_earnings": maybe(money(20_000)),
            "weekly_hours_worked": maybe(st.integers(0, 168)),
            "lcwra": maybe(st.booleans()),
            "care_need": maybe(st.sampled_from(["none", "day_or_night", "day_and_night"])),
            "caring_hours": maybe(st.integers(0, 168)),
            "cared_for_gets_qualifying_benefit": maybe(st.booleans()),
            "ni_qualifying_years": maybe(st.integers(0, 60)),
            "pregnant": maybe(st.booleans()),
            "baby_due_date": maybe(
                st.dates(on - timedelta(days=300), on + timedelta(days=300)).map(date.isoformat)
            ),
            "pip_daily_living": maybe(st.sampled_from(["none", "standard", "enhanced"])),
            "weekly_state_pension": maybe(money(500)),
            "adjusted_net_income": maybe(money(200_000)),
            "registered_blind": maybe(st.booleans()),
        }
        return {k: v for k, v in fields.items() if v is not None}

    has_partner = draw(st.booleans())
    data = {
        "claimant": adult(16),
        "has_partner": has_partner,
        "children": [
            {"date_of_birth": draw(born_between(on, 0, 19)),
             "disability": draw(st.sampled_from(["none", "lower", "higher"]))}
            for _ in range(draw(st.integers(0, 20)))
        ],
        "housing": draw(st.sampled_from(["rent_social", "rent_private", "mortgage", "none"])),
        "capital": draw(money()),
        "monthly_rent": draw(money(5_000)),
        "bedrooms": draw(st.integers(0, 20)),
        "non_dependants": [{"date_of_birth": draw(born_between(on, 16, 100))}
                           for _ in range(draw(st.integers(0, 3)))],
        "bereavement": draw(st.just({}) | st.builds(
            lambda d: {"partner_died_on": (on - timedelta(days=d)).isoformat(),
                       "was_married_or_civil_partners": True},
            st.integers(0, 3000))),
    }  # fmt: skip
    if has_partner:
        data["partner"] = adult(16)
    return data


@st.composite
def dated_valid_household(draw) -> tuple[date, dict]:
    on = draw(st.dates(FIRST_DAY, LAST_DAY))
    return on, draw(valid_household(on))


@given(dated=dated_valid_household())
@settings(max_examples=150, **SETTINGS)
def test_valid_households_are_read_and_assessed(dated):
    on, data = dated
    household = read_household(json.dumps(data), on=on)

    assess_if_rates(household, on)


# --- The command ------------------------------------------------------------------------------


def run_assess(raw: str | bytes, on: date) -> dict:
    raw = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    out = io.StringIO()
    with mock.patch("sys.stdin", stdin):
        call_command("assess", "-", "--date", on.isoformat(), stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
@given(raw=hostile_text(), on=assessment_dates)
@settings(max_examples=150, **SETTINGS)
def test_the_command_ends_in_one_short_line_with_exit_code_2(raw, on):
    report, error = outcome(run_assess, raw, on, expected=CommandError)

    if error is not None:
        assert error.returncode == 2
        message = str(error)
        if message.startswith("Invalid household: "):
            field = message.removeprefix("Invalid household: ").split(": ", 1)[0]
            assert_short_line_naming_a_field(message, field)
        else:
            assert message.startswith(f"No rates are loaded for {on.isoformat()}")
            assert not FIRST_DAY <= on <= LAST_DAY
    else:
        assert FIRST_DAY <= on <= LAST_DAY
        assert len(report["results"]) == 10


@pytest.mark.django_db
@given(dated=dated_valid_household())
@settings(max_examples=40, **SETTINGS)
def test_the_command_assesses_valid_households(dated):
    on, data = dated
    assume(len(json.dumps(data)) <= MAX_BYTES)

    report = run_assess(json.dumps(data), on)

    assert report["date"] == on.isoformat()
    assert len(report["results"]) == 10
