"""`manage.py assess HOUSEHOLD.json [--date]`: the same answers as the screener."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return json.loads(out.getvalue())


def by_code(report: dict) -> dict:
    return {r["benefit"]: r for r in report["results"]}


def test_the_published_lone_parent_example_is_assessed_with_2025_26_rates():
    report = run(str(ROOT / "docs/examples/lone-parent.json"), "--date", "2025-10-01")

    uc = by_code(report)["universal_credit"]
    assert report["date"] == "2025-10-01"
    assert uc["verdict"] == "eligible"
    assert uc["amount"] == "653.00"
    assert uc["period"] == "month"
    assert "Standard allowance, single, 25 or over: £400.14 a month" in uc["explanation"]
    assert by_code(report)["child_benefit"]["amount"] == "43.30"  # £26.05 + £17.25


def test_amounts_change_on_the_day_the_new_rates_start(tmp_path):
    example = str(ROOT / "docs/examples/lone-parent.json")

    day_before = by_code(run(example, "--date", "2026-04-05"))
    first_day = by_code(run(example, "--date", "2026-04-06"))

    assert day_before["child_benefit"]["amount"] == "43.30"
    assert first_day["child_benefit"]["amount"] == "44.95"  # £27.05 + £17.90
    assert "£400.14" in " ".join(day_before["universal_credit"]["explanation"])
    assert "£424.90" in " ".join(first_day["universal_credit"]["explanation"])


def test_a_synthetic_future_rate_takes_effect_on_its_own_start_date():
    from datetime import date
    from decimal import Decimal

    from benefits.catalogue.selectors import invalidate_rates
    from benefits.models import Parameter

    Parameter.objects.filter(name="cb.eldest", effective_to__isnull=True).update(
        effective_to=date(2030, 4, 6)
    )
    Parameter.objects.create(
        name="cb.eldest", value=Decimal("30.00"), unit="week", effective_from=date(2030, 4, 6),
        source="test", description="synthetic",
    )  # fmt: skip
    # The years up to 2030/31 declared loaded: without them 2030 has no rates at all.
    Parameter.objects.bulk_create(
        Parameter(
            name="rates.loaded", value=Decimal(1), unit="flag", source="test",
            description="synthetic", effective_from=date(year, 4, 6),
            effective_to=date(year + 1, 4, 6),
        )
        for year in range(2027, 2031)
    )  # fmt: skip
    invalidate_rates()
    example = str(ROOT / "docs/examples/lone-parent.json")

    assert by_code(run(example, "--date", "2030-04-05"))["child_benefit"]["amount"] == "44.95"
    assert by_code(run(example, "--date", "2030-04-06"))["child_benefit"]["amount"] == "47.90"


@pytest.mark.parametrize(
    ("household", "message"),
    [
        (
            {"claimant": {"date_of_birth": "1990-02-30"}},
            'claimant.date_of_birth: must be a real date, not "1990-02-30"',
        ),
        (
            {"children": [{"date_of_birth": "2019-01-01"}, {"date_of_birth": 5}]},
            "children[1].date_of_birth: must be text, not 5",
        ),
        ({"capital": -5}, "capital: must be 0 or more, not -5"),
        ({"capital": 1e12}, "capital: must be 10000000 or less, not 1000000000000.0"),
        (
            {"claimant": {"monthly_earnings": "lots"}},
            'claimant.monthly_earnings: must be a number, not "lots"',
        ),
        ({"pets": 2}, "pets: is not a field of the household format"),
        ({"children": [{}] * 300}, "children: must have at most 20 items"),
        (
            {"claimant": {"date_of_birth": "2030-01-01"}},
            "claimant.date_of_birth: 2030-01-01 is after the assessment date",
        ),
    ],
)
def test_invalid_input_names_the_field(tmp_path, household, message):
    path = tmp_path / "household.json"
    path.write_text(json.dumps(household))

    with pytest.raises(CommandError) as error:
        run(str(path), "--date", "2025-10-01")

    assert message in str(error.value)


def test_a_date_without_rates_is_a_clear_error():
    with pytest.raises(CommandError, match="earliest date with rates is 2025-04-07"):
        run(str(ROOT / "docs/examples/lone-parent.json"), "--date", "2020-01-01")


def test_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="is not valid JSON"):
        run(str(path))


def test_the_published_schema_is_the_one_the_code_uses():
    assert (ROOT / "docs/household.schema.json").read_text() == (
        ROOT / "benefits/rules/schema/household.schema.json"
    ).read_text()
