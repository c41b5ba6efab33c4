"""Personal Independence Payment worked cases (benefit-rates.md §10)."""

from __future__ import annotations

from datetime import date

from benefits.rules import pip
from benefits.rules.base import Adult, CareNeed, Household, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
JUNE_2026 = date(2026, 6, 1)
AGED_40 = date(1985, 5, 1)


def assess(on=OCT_2025, **facts):
    facts.setdefault("date_of_birth", AGED_40)
    return pip.assess(Household(claimant=Adult(**facts)), on, rates_on(on))


def test_a_long_term_daily_living_need_needs_an_assessment_and_shows_the_rates():
    # A 40-year-old with arthritis for a year who needs help dressing, October 2025: the
    # points assessment decides; rates shown £73.90/£110.40 daily living, £29.20/£77.05 mobility.
    result = assess(
        care_need=CareNeed.DAY_OR_NIGHT,
        mobility_need=False,
        terminally_ill=False,
        condition_long_term=True,
    )
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert result.amount is None
    text = " ".join(result.explanation)
    for figure in (
        "£73.90",
        "£110.40",
        "£29.20",
        "£77.05",
        "8 points",
        "12 points",
        "3 months",
        "9 months",
    ):
        assert figure in text


def test_a_mobility_need_in_2026_27_shows_the_2026_27_rates():
    # A 40-year-old who cannot walk far, long-term, June 2026: needs assessment; rates shown
    # £76.70/£114.60 daily living, £30.30/£80 mobility.
    result = assess(
        JUNE_2026,
        care_need=CareNeed.NONE,
        mobility_need=True,
        terminally_ill=False,
        condition_long_term=True,
    )
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    text = " ".join(result.explanation)
    for figure in ("£76.70", "£114.60", "£30.30", "£80 a week"):
        assert figure in text


def test_terminally_ill_needs_an_assessment_without_the_long_term_question():
    # A terminally ill 40-year-old who needs help by day and night: fast-tracked, no 3+9 months.
    result = assess(care_need=CareNeed.DAY_AND_NIGHT, mobility_need=True, terminally_ill=True)
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert result.missing == ()
    assert any("special rules" in line for line in result.explanation)


def test_no_daily_living_or_mobility_need_is_not_eligible():
    # A 40-year-old with no help needed for daily living or getting around: no PIP.
    result = assess(care_need=CareNeed.NONE, mobility_need=False)
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount is None


def test_a_short_term_condition_is_not_eligible():
    # A 40-year-old with a broken leg for 6 weeks, expected to heal in 2 months: no PIP.
    result = assess(
        care_need=CareNeed.NONE, mobility_need=True, terminally_ill=False, condition_long_term=False
    )
    assert result.verdict is Verdict.NOT_ELIGIBLE


def test_over_state_pension_age_is_pointed_to_attendance_allowance():
    # A 70-year-old who needs help day and night: no new PIP claim; Attendance Allowance instead.
    result = assess(date_of_birth=date(1955, 1, 1), care_need=CareNeed.DAY_AND_NIGHT)
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert any("Attendance Allowance" in line for line in result.explanation)


def test_under_16_cannot_claim():
    # A 15-year-old: PIP from 16 (Disability Living Allowance for children instead).
    assert (
        assess(date_of_birth=date(2010, 6, 1), care_need=CareNeed.DAY_AND_NIGHT).verdict
        is Verdict.NOT_ELIGIBLE
    )


def test_questions_come_in_order_date_of_birth_needs_terminal_illness_how_long():
    unknown = pip.assess(Household(), OCT_2025, rates_on(OCT_2025))
    assert unknown.missing == ("claimant.date_of_birth",)
    assert assess().missing == ("claimant.care_need", "claimant.mobility_need")
    assert assess(care_need=CareNeed.DAY_OR_NIGHT, mobility_need=False).missing == (
        "claimant.terminally_ill",
    )
    assert assess(
        care_need=CareNeed.DAY_OR_NIGHT, mobility_need=False, terminally_ill=False
    ).missing == ("claimant.condition_long_term",)
