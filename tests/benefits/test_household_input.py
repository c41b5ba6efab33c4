"""The household JSON: the published examples give the documented amounts, new fields are read
with their types, and the schema keeps up with the rules' vocabulary."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from benefits.rules import assess_all
from benefits.rules.base import (
    Adult,
    AttendanceRate,
    Child,
    Household,
    NonDependant,
    PipRate,
    Sex,
)
from benefits.rules.household_json import SCHEMA_PATH, HouseholdInputError, household_from_json
from tests.benefits.conftest import rates_on

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
OCT_2025 = date(2025, 10, 1)


def assess_example(name: str, on: date = OCT_2025) -> dict:
    household = household_from_json(json.loads((EXAMPLES / name).read_text()), on=on)
    return {result.benefit: result for result in assess_all(household, on, rates_on(on))}


def test_renting_with_a_grown_up_son_gets_the_housing_element_less_his_contribution():
    # docs/household-input.md: LHA 2 bedrooms £620 − £93.02 = £526.98; UC £400.14 + £526.98.
    results = assess_example("renting-with-grown-up-son.json")

    assert results["universal_credit"].amount == Decimal("927.12")


def test_a_family_over_60000_sees_child_benefit_and_the_charge():
    # docs/household-input.md: £43.30 a week; 9% of £2,251.60 = £202 charge; net £2,049.60.
    result = assess_example("family-over-60000.json")["child_benefit"]

    assert result.amount == Decimal("43.30")
    assert [c.amount for c in result.charges] == [Decimal("-202.00")]
    assert result.as_dict()["extras"][2] == {
        "label": "Child Benefit less the charge, for the tax year",
        "amount": "2049.60",
        "period": "year",
    }


def test_pensioners_with_awards_in_payment():
    # docs/household-input.md: £346.60 − £176.45 − £105.70 = £64.45 Pension Credit a week;
    # Attendance Allowance lower rate £73.90 in payment; State Pension £176.45.
    results = assess_example("pensioners-with-awards.json")

    assert results["pension_credit"].amount == Decimal("64.45")
    assert results["attendance_allowance"].amount == Decimal("73.90")
    assert results["state_pension"].amount == Decimal("176.45")


def test_new_fields_are_read_with_their_types():
    household = household_from_json(
        {
            "claimant": {
                "pip_daily_living": "enhanced", "pip_mobility": "none",
                "attendance_allowance": "higher", "weekly_state_pension": 80.5,
                "gets_carers_allowance": True, "cares_for_partner": False,
                "registered_blind": False, "adjusted_net_income": 61000,
            },
            "children": [{"date_of_birth": "2015-01-01", "sex": "female"}],
            "housing": "rent_social", "monthly_rent": 480.25, "bedrooms": 3,
            "non_dependants": [{"date_of_birth": "2000-05-01",
                                "gets_disability_or_carer_benefit": False}],
            "needs_overnight_carer": False, "monthly_mortgage": 0,
        }
    )  # fmt: skip

    claimant = household.claimant
    assert claimant.pip_daily_living is PipRate.ENHANCED
    assert claimant.pip_mobility is PipRate.NONE
    assert claimant.attendance_allowance is AttendanceRate.HIGHER
    assert claimant.weekly_state_pension == Decimal("80.5")
    assert claimant.adjusted_net_income == Decimal("61000")
    assert household.children[0].sex is Sex.FEMALE
    assert household.monthly_rent == Decimal("480.25")
    assert household.bedrooms == 3
    assert household.non_dependants == (
        NonDependant(date_of_birth=date(2000, 5, 1), gets_disability_or_carer_benefit=False),
    )
    assert household_from_json({}).non_dependants is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"claimant": {"pip_daily_living": "high"}}, "claimant.pip_daily_living"),
        ({"non_dependants": [{"date_of_birth": "2000-02-30"}]}, "non_dependants[0].date_of_birth"),
        ({"monthly_rent": -1}, "monthly_rent"),
        ({"children": [{"sex": "x"}]}, "children[0].sex"),
    ],
)
def test_invalid_new_fields_name_the_field(data, field):
    with pytest.raises(HouseholdInputError) as error:
        household_from_json(data)
    assert error.value.field == field


def test_a_non_dependant_born_after_the_assessment_date_is_refused():
    with pytest.raises(HouseholdInputError, match=r"non_dependants\[0\]\.date_of_birth"):
        household_from_json({"non_dependants": [{"date_of_birth": "2030-01-01"}]}, on=OCT_2025)


def test_the_schema_has_every_fact_the_rules_read():
    schema = json.loads(SCHEMA_PATH.read_text())
    defs = schema["$defs"]
    for model, properties in [
        (Household, schema["properties"]),
        (Adult, defs["adult"]["properties"]),
        (Child, defs["child"]["properties"]),
        (NonDependant, defs["non_dependant"]["properties"]),
    ]:
        assert {f.name for f in dataclasses.fields(model)} == set(properties), model.__name__
