"""The household input under attack: every hostile file ends in one short line naming the
field, with exit code 2, never a traceback (`manage.py assess` and the parser it uses).

Each case is something an operator could be handed, or an API could be sent later: numbers
JSON has not got (NaN, Infinity), numbers too large for a float, text that is not UTF-8,
nesting deep enough to blow the parser's stack, files far too big, impossible dates, and a
date past the last year with rates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from benefits.rules.household_json import (
    MAX_BYTES,
    HouseholdInputError,
    household_from_json,
    read_household,
)
from tests.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
LONE_PARENT = ROOT / "docs/examples/lone-parent.json"
OCT_2025 = date(2025, 10, 1)
pytestmark = pytest.mark.django_db

CHILD = {"date_of_birth": "2020-01-01", "in_approved_education": False, "disability": "none"}


def assess_text(tmp_path, text: str | bytes, *, on: str = "2025-10-01") -> CommandError:
    path = tmp_path / "household.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("assess", str(path), "--date", on, stdout=StringIO())
    return error.value


def assert_one_short_safe_line(message: str) -> None:
    assert len(message) < 300, message
    assert "\n" not in message
    assert "\r" not in message
    # Nothing that hides or reorders text on a terminal or in a log: controls, bidi
    # overrides, lone surrogates.
    assert not [c for c in message if unicodedata.category(c) in ("Cc", "Cf", "Cs")], message


HOSTILE = [
    pytest.param('{"capital": NaN}', "capital: must be a number, not NaN", id="nan-money"),
    pytest.param(
        '{"claimant": {"monthly_earnings": Infinity}}',
        "claimant.monthly_earnings: must be a number, not Infinity",
        id="infinity",
    ),
    pytest.param(
        '{"monthly_rent": -Infinity}', "monthly_rent: must be a number, not -Infinity", id="-inf"
    ),
    pytest.param('{"capital": 1e309}', "capital: must be 10000000 or less", id="1e309"),
    pytest.param('{"capital": -1e309}', "capital: must be 0 or more", id="-1e309"),
    pytest.param('{"capital": -0.01}', "capital: must be 0 or more, not -0.01", id="negative"),
    pytest.param(
        '{"claimant": {"monthly_earnings": 1200.505}}',
        "claimant.monthly_earnings: must be in pounds and pence (2 decimal places at most), not 1200.505",
        id="three-decimals",
    ),
    pytest.param('{"capital": "500"}', 'capital: must be a number, not "500"', id="string-number"),
    pytest.param('{"bedrooms": true}', "bedrooms: must be a whole number, not true", id="bool-int"),
    pytest.param('{"capital": false}', "capital: must be a number, not false", id="bool-money"),
    pytest.param(
        '{"bedrooms": ' + "1" * 5000 + "}", "bedrooms: must be 20 or less", id="5000-digits"
    ),
    pytest.param(
        '{"capital": 1, "capital": 2}', "capital: is given more than once", id="duplicate-key"
    ),
    pytest.param(
        '{"claimant": {"lcwra": true, "lcwra": false}}',
        "claimant.lcwra: is given more than once",
        id="duplicate-nested-key",
    ),
    pytest.param("[]", "(household): must be an object, not a list", id="top-level-array"),
    pytest.param('"household"', "(household): must be an object, not", id="top-level-string"),
    pytest.param(
        "", "(household): is not valid JSON: Expecting value (line 1, column 1)", id="empty-file"
    ),
    pytest.param("  \n ", "(household): is not valid JSON", id="blank-file"),
    pytest.param("{not json", "(household): is not valid JSON", id="not-json"),
    pytest.param(
        "[" * 20_000 + "]" * 20_000, "(household): is nested more than 10 deep", id="deep-arrays"
    ),
    pytest.param(
        '{"a":' * 10_000 + "1" + "}" * 10_000,
        "(household): is nested more than 10 deep",
        id="deep-objects",
    ),
    pytest.param(
        "[" * 100_000 + "]" * 100_000, "(household): is larger than 64 KB", id="100000-arrays"
    ),
    pytest.param(
        '[[[[[[[[[[["\\"]]]]]]]]]]]', "(household): is nested more than 10 deep", id="11-deep"
    ),
    pytest.param(
        '[[[[[[[[[["[[[["]]]]]]]]]]', "(household): must be an object", id="brackets-in-text"
    ),
    pytest.param(
        '{"claimant": {"date_of_birth": "2026-02-30"}}',
        'claimant.date_of_birth: must be a real date, not "2026-02-30"',
        id="30-february",
    ),
    pytest.param(
        '{"claimant": {"date_of_birth": "0000-01-01"}}',
        "claimant.date_of_birth: must be a date from 1800-01-01 to 2199-12-31",
        id="year-0",
    ),
    pytest.param(
        '{"children": [{"date_of_birth": "10000-01-01"}]}',
        "children[0].date_of_birth: must be a date from 1800-01-01 to 2199-12-31",
        id="year-10000",
    ),
    pytest.param(
        '{"claimant": {"date_of_birth": "1990-01-01\\n"}}',
        'claimant.date_of_birth: must be a real date, not "1990-01-01\\n"',
        id="date-with-newline",
    ),
    pytest.param(
        '{"claimant": {"date_of_birth": "1990-0\\u0661-01"}}',
        "claimant.date_of_birth: must be a date from 1800-01-01 to 2199-12-31",
        id="date-with-arabic-digit",
    ),
    pytest.param(
        '{"children": [{"date_of_birth": "2026-01-01"}]}',
        "children[0].date_of_birth: 2026-01-01 is after the assessment date 2025-10-01",
        id="child-not-born-yet",
    ),
    pytest.param(
        '{"claimant": {"date_of_birth": "1895-09-30"}}',
        "claimant.date_of_birth: 1895-09-30 is more than 130 years before the assessment date",
        id="born-too-long-ago",
    ),
    pytest.param(
        '{"housing": "\\ud800"}',
        'housing: must be one of rent_social, rent_private, mortgage, none, not "\\ud800"',
        id="lone-surrogate",
    ),
    pytest.param('{"housing": "\\u0000"}', "housing: must be one of", id="nul"),
    pytest.param('{"housing": "\u202enone"}', 'not "\\u202enone"', id="rtl-override"),
    pytest.param('{"housing": "' + "x" * 60_000 + '"}', "housing: must be one of", id="long-text"),
    pytest.param('{"\u202e\\u0000": 1}', "is not a field of the household", id="hostile-key"),
    pytest.param('{"pets": 2}', "pets: is not a field of the household", id="unknown-key"),
    pytest.param(
        '{"pets": {"cat": NaN}}', "pets.cat: must be a number, not NaN", id="nan-anywhere"
    ),
    pytest.param(
        '{"housing": "none"} {"housing": "none"}', "(household): is not valid JSON", id="two-docs"
    ),
]


@pytest.mark.parametrize(("text", "expected"), HOSTILE)
def test_hostile_input_is_one_short_line_naming_the_field(tmp_path, text, expected):
    error = assess_text(tmp_path, text)

    assert error.returncode == 2
    assert str(error).startswith("Invalid household: ")
    assert expected in str(error)
    assert_one_short_safe_line(str(error))


@pytest.mark.parametrize(
    "text",
    [
        '"' + '\\"' * 30_000,
        '"' + '\\"' * 30_000 + "\\",
        '["' + "\\\\" * 15_000 + '"]',
        "[" * 60_000,
    ],
)
def test_text_made_to_slow_the_checks_down_is_answered_at_once(tmp_path, text):
    """The nesting check reads the text once: 60 KB of escaped quotes took a regex over
    whole strings 40 seconds."""
    started = time.monotonic()
    error = assess_text(tmp_path, text)

    assert time.monotonic() - started < 1
    assert error.returncode == 2


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    error = assess_text(tmp_path, b'{"housing": "caf\xe9"}')

    assert error.returncode == 2
    assert "(household): is not UTF-8 text (byte 0xe9 at position 16)" in str(error)
    after_a_bom = assess_text(tmp_path, b'\xef\xbb\xbf{"housing": "caf\xe9"}')
    assert "(household): is not UTF-8 text (byte 0xe9 at position 19)" in str(after_a_bom)


def test_a_byte_order_mark_is_allowed(tmp_path):
    path = tmp_path / "household.json"
    path.write_bytes(b"\xef\xbb\xbf" + LONE_PARENT.read_bytes())
    out = StringIO()

    call_command("assess", str(path), "--date", "2025-10-01", stdout=out)

    assert json.loads(out.getvalue())["date"] == "2025-10-01"


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.write(b'{"pets": "')
        file.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to the disk

    started = time.monotonic()
    error = assess_text_from(path)

    assert time.monotonic() - started < 2
    assert error.returncode == 2
    assert f"(household): is larger than {MAX_BYTES // 1024} KB" in str(error)


def assess_text_from(path: Path) -> CommandError:
    with pytest.raises(CommandError) as error:
        call_command("assess", str(path), "--date", "2025-10-01", stdout=StringIO())
    return error.value


def test_a_huge_input_on_stdin_is_refused_too(monkeypatch):
    monkeypatch.setattr(sys, "stdin", StringIO('{"pets": "' + "x" * (MAX_BYTES * 4) + '"}'))

    with pytest.raises(CommandError, match="is larger than 64 KB") as error:
        call_command("assess", "-", "--date", "2025-10-01", stdout=StringIO())

    assert error.value.returncode == 2


def test_an_error_about_200_children_names_the_field_and_the_limit_only(tmp_path):
    error = assess_text(tmp_path, json.dumps({"children": [CHILD] * 200}))

    assert str(error) == "Invalid household: children: must have at most 20 items"


def test_an_assessment_date_far_in_the_future_with_a_birth_in_9990_is_refused(tmp_path):
    """It used to reach the rules, whose State Pension age date is year 10058: ValueError."""
    household = '{"claimant": {"date_of_birth": "9990-01-01"}}'

    error = assess_text(tmp_path, household, on="9999-12-31")
    with pytest.raises(HouseholdInputError) as refused:
        read_household(household, on=date(9999, 12, 31))

    assert error.returncode == 2
    assert str(error).startswith("No rates are loaded for 9999-12-31;")
    assert str(refused.value) == (
        "claimant.date_of_birth: must be a date from 1800-01-01 to 2199-12-31 as YYYY-MM-DD, "
        'not "9990-01-01"'
    )


@pytest.mark.parametrize("on", ["2030-01-01", "2027-04-06", "9999-12-31"])
def test_a_date_after_the_last_year_with_rates_is_refused_naming_that_year(on):
    with pytest.raises(CommandError) as error:
        call_command("assess", str(LONE_PARENT), "--date", on, stdout=StringIO())

    assert error.value.returncode == 2
    assert str(error.value) == (
        f"No rates are loaded for {on}; the last year with rates is 2026/27, to 2027-04-05."
    )


def test_the_day_before_the_weekly_rates_of_the_first_year_is_refused():
    """6 April 2025: the monthly rates were in force, the weekly ones from 7 April; every
    benefit assessed failed with KeyError for want of them."""
    with pytest.raises(CommandError) as error:
        call_command("assess", str(LONE_PARENT), "--date", "2025-04-06", stdout=StringIO())

    assert error.value.returncode == 2
    assert str(error.value) == (
        "No rates are loaded for 2025-04-06; the earliest date with rates is 2025-04-07."
    )


def test_the_last_day_of_the_last_year_with_rates_is_assessed():
    out = StringIO()
    call_command("assess", str(LONE_PARENT), "--date", "2027-04-05", stdout=out)

    assert json.loads(out.getvalue())["date"] == "2027-04-05"


@pytest.mark.parametrize("on", ["0001-01-01", "10000-01-01", "2026-02-30", "yesterday", "\u202e"])
def test_an_impossible_assessment_date_is_refused(on):
    with pytest.raises(CommandError) as error:
        call_command("assess", str(LONE_PARENT), "--date", on, stdout=StringIO())

    assert error.value.returncode == 2
    assert_one_short_safe_line(str(error.value))


def test_the_parser_refuses_non_finite_numbers_from_python_callers_too():
    """The screener hands over data it built itself: a NaN there is refused the same way."""
    for value, shown in [(float("nan"), "NaN"), (float("inf"), "Infinity")]:
        with pytest.raises(HouseholdInputError) as error:
            household_from_json({"claimant": {"monthly_earnings": value}}, on=OCT_2025)
        assert str(error.value) == f"claimant.monthly_earnings: must be a number, not {shown}"
        assert error.value.path == ("claimant", "monthly_earnings")


def test_the_parser_reads_bytes_and_text_alike():
    raw = LONE_PARENT.read_bytes()

    assert read_household(raw, on=OCT_2025) == read_household(raw.decode(), on=OCT_2025)


def test_whole_numbers_written_with_a_point_are_read_as_whole_numbers():
    household = read_household('{"bedrooms": 2.0, "claimant": {"caring_hours": 35.0}}', on=OCT_2025)

    assert household.bedrooms == 2
    assert isinstance(household.bedrooms, int)
    assert household.claimant.caring_hours == 35


SUBPROCESS_CASES = [
    (b'{"capital": NaN}', "capital: must be a number, not NaN"),
    (b'{"housing": "caf\xe9"}', "is not UTF-8 text"),
    (b"[" * 50_000, "is nested more than"),
    (b"[" * 100_000, "is larger than 64 KB"),
]


@pytest.mark.parametrize(("raw", "expected"), SUBPROCESS_CASES)
def test_the_command_exits_with_code_2_and_one_line_no_traceback(tmp_path, raw, expected):
    path = tmp_path / "household.json"
    path.write_bytes(raw)

    done = subprocess.run(
        [sys.executable, "manage.py", "assess", str(path), "--date", "2025-10-01"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DATABASE_URL": database_url()},
    )  # fmt: skip

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("CommandError: Invalid household: ")
    assert expected in lines[0]
    assert done.stdout == ""
