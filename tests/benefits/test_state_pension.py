"""New State Pension worked cases (benefit-rates.md §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import state_pension
from benefits.rules.base import Adult, Household, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
JUNE_2026 = date(2026, 6, 1)


def assess(born, years=None, on=OCT_2025):
    household = Household(claimant=Adult(date_of_birth=born, ni_qualifying_years=years))
    return state_pension.assess(household, on, rates_on(on))


def test_the_day_before_state_pension_age_is_not_yet_eligible_and_gives_the_date():
    # Born 25 November 1959: State Pension age is the 66th birthday, 25 November 2025.
    # On 24 November 2025 nothing is paid yet, and the NI years are not asked.
    result = assess(date(1959, 11, 25), on=date(2025, 11, 24))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount is None
    assert "You reach State Pension age on 25 November 2025" in result.explanation[0]


def test_on_the_day_of_state_pension_age_35_years_get_the_full_rate():
    # Born 25 November 1959, 35 qualifying years, on 25 November 2025: £230.25 a week.
    result = assess(date(1959, 11, 25), 35, on=date(2025, 11, 25))
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("230.25")
    assert result.period == "week"


def test_born_april_1960_reaches_state_pension_age_at_66_and_a_month():
    # Born 20 April 1960: State Pension age 66 years 1 month, 20 May 2026. The day before:
    # nothing yet. On the day, with 35 years, the full 2026/27 rate: £241.30 a week.
    before = assess(date(1960, 4, 20), 35, on=date(2026, 5, 19))
    assert before.verdict is Verdict.NOT_ELIGIBLE
    assert "20 May 2026" in before.explanation[0]
    on_the_day = assess(date(1960, 4, 20), 35, on=date(2026, 5, 20))
    assert on_the_day.verdict is Verdict.ELIGIBLE
    assert on_the_day.amount == Decimal("241.30")


def test_20_qualifying_years_get_20_35ths_of_the_full_rate():
    # A pensioner born 1 January 1955 with 20 qualifying years, October 2025:
    # 20/35 x £230.25 = £131.571… → £131.57 a week.
    result = assess(date(1955, 1, 1), 20)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("131.57")


def test_20_qualifying_years_in_2026_27():
    # The same pensioner in June 2026: 20/35 x £241.30 = £137.885… → £137.89 a week.
    assert assess(date(1955, 1, 1), 20, on=JUNE_2026).amount == Decimal("137.89")


def test_40_qualifying_years_get_no_more_than_the_full_rate():
    # 40 qualifying years, October 2025: capped at 35, so the full £230.25 a week.
    assert assess(date(1955, 1, 1), 40).amount == Decimal("230.25")


def test_10_qualifying_years_are_the_minimum():
    # 10 qualifying years, October 2025: 10/35 x £230.25 = £65.785… → £65.79 a week.
    assert assess(date(1955, 1, 1), 10).amount == Decimal("65.79")


def test_9_qualifying_years_get_nothing():
    # 9 qualifying years: under the 10-year minimum, no new State Pension.
    result = assess(date(1955, 1, 1), 9)
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount is None
    assert any("at least 10 qualifying years" in line for line in result.explanation)


def test_the_explanation_flags_the_starting_amount_simplification():
    result = assess(date(1955, 1, 1), 20)
    assert any("starting amount" in line and "forecast" in line for line in result.explanation)
    assert any("before April 2016" in line for line in result.explanation)


def test_date_of_birth_is_asked_first_then_qualifying_years():
    unknown = state_pension.assess(Household(), OCT_2025, rates_on(OCT_2025))
    assert unknown.verdict is Verdict.NEED_MORE_INFORMATION
    assert unknown.missing == ("claimant.date_of_birth",)
    assert assess(date(1955, 1, 1)).missing == ("claimant.ni_qualifying_years",)


def test_state_pension_age_rises_month_by_month_for_people_born_1977_to_1978():
    from datetime import date

    from benefits.rules.base import state_pension_age_date

    assert state_pension_age_date(date(1977, 4, 5)) == date(2044, 4, 5)  # 67
    assert state_pension_age_date(date(1977, 4, 6)) == date(2044, 5, 6)  # 67 and 1 month
    assert state_pension_age_date(date(1977, 10, 20)) == date(2045, 5, 20)  # 67 and 7 months
    assert state_pension_age_date(date(1978, 4, 5)) == date(2046, 4, 5)  # 68
    assert state_pension_age_date(date(1978, 4, 6)) == date(2046, 4, 6)  # 68
