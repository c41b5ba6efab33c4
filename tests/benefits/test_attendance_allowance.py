"""Attendance Allowance worked cases (benefit-rates.md §7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import attendance_allowance
from benefits.rules.base import Adult, CareNeed, Household, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
JUNE_2026 = date(2026, 6, 1)
PENSIONER = date(1950, 3, 1)


def assess(on=OCT_2025, **facts):
    facts.setdefault("date_of_birth", PENSIONER)
    household = Household(claimant=Adult(**facts))
    return attendance_allowance.assess(household, on, rates_on(on))


def test_help_by_day_for_over_6_months_gets_the_lower_rate():
    # A 75-year-old who has needed help with washing during the day for a year, October 2025:
    # lower rate, £73.90 a week; the agency decides the rate from the claim form.
    result = assess(care_need=CareNeed.DAY_OR_NIGHT, terminally_ill=False, condition_long_term=True)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("73.90")
    assert result.period == "week"
    # That it is only an estimate is a caveat for the screener, never a decision's reason.
    assert any("claim form" in line for line in result.caveats)
    assert not any("estimate" in line for line in result.explanation)


def test_help_by_day_and_night_gets_the_higher_rate_in_2026_27():
    # A 76-year-old who has needed help day and night for over 6 months, June 2026:
    # higher rate, £114.60 a week.
    result = assess(
        JUNE_2026, care_need=CareNeed.DAY_AND_NIGHT, terminally_ill=False, condition_long_term=True
    )
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("114.60")


def test_terminally_ill_gets_the_higher_rate_with_no_6_month_wait():
    # A terminally ill pensioner who needs help only during the day, diagnosed last month,
    # October 2025: special rules, higher rate £110.40 a week; how long is not asked.
    result = assess(care_need=CareNeed.DAY_OR_NIGHT, terminally_ill=True)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("110.40")
    assert result.missing == ()


def test_help_needed_for_less_than_6_months_is_not_yet_eligible():
    # A pensioner who has needed help by day for 2 months, not terminally ill: nothing yet.
    result = assess(
        care_need=CareNeed.DAY_OR_NIGHT, terminally_ill=False, condition_long_term=False
    )
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert any("6 months" in line for line in result.explanation)


def test_no_care_need_is_not_eligible():
    # A pensioner who needs no help with personal care: no Attendance Allowance.
    assert assess(care_need=CareNeed.NONE).verdict is Verdict.NOT_ELIGIBLE


def test_under_state_pension_age_is_pointed_to_pip():
    # A 50-year-old who needs help day and night: Attendance Allowance is for pension age; PIP instead.
    result = assess(date_of_birth=date(1975, 6, 1), care_need=CareNeed.DAY_AND_NIGHT)
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert any("Personal Independence Payment" in line for line in result.explanation)


def test_questions_come_in_order_date_of_birth_care_terminal_illness_how_long():
    unknown = attendance_allowance.assess(Household(), OCT_2025, rates_on(OCT_2025))
    assert unknown.missing == ("claimant.date_of_birth",)
    assert assess().missing == ("claimant.care_need",)
    assert assess(care_need=CareNeed.DAY_AND_NIGHT).missing == ("claimant.terminally_ill",)
    assert assess(care_need=CareNeed.DAY_AND_NIGHT, terminally_ill=False).missing == (
        "claimant.condition_long_term",
    )
