"""Maternity Allowance worked cases (benefit-rates.md §8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import maternity_allowance
from benefits.rules.base import Adult, Household, Period, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
MAY_2026 = date(2026, 5, 1)


def expecting(**facts) -> Adult:
    answers = {
        "date_of_birth": date(1995, 1, 1),
        "pregnant": True,
        "baby_due_date": date(2026, 1, 15),
        "worked_26_of_66_weeks": True,
        "earned_30_a_week_in_13_weeks": True,
        "entitled_to_smp": False,
        "average_weekly_earnings": Decimal("150"),
    }
    answers.update(facts)
    return Adult(**answers)


def assess(claimant: Adult, on: date = OCT_2025):
    return maternity_allowance.assess(Household(claimant=claimant), on, rates_on(on))


def test_low_earnings_get_90_percent_of_average_weekly_earnings():
    # A self-employed cleaner averaging £150 a week, baby due 15 Jan 2026, in October 2025:
    # 90% of £150 = £135 a week (below the standard rate of £187.18), for 39 weeks.
    result = assess(expecting())
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("135.00")
    assert result.period == Period.WEEK
    assert any("39 weeks" in line for line in result.explanation)


def test_higher_earnings_are_capped_at_the_standard_rate():
    # Averaging £300 a week: 90% would be £270, so the standard rate of £187.18 a week.
    assert assess(expecting(average_weekly_earnings=Decimal(300))).amount == Decimal("187.18")


def test_2026_27_standard_rate():
    # Baby due 1 Aug 2026, averaging £400 a week, in May 2026: £194.32 a week (NOT CONFIRMED rate).
    result = assess(
        expecting(baby_due_date=date(2026, 8, 1), average_weekly_earnings=Decimal(400)), MAY_2026
    )
    assert result.amount == Decimal("194.32")


def test_claim_and_payment_dates_are_explained():
    # Due Thursday 15 Jan 2026: claim from 26 weeks pregnant (9 Oct 2025); the due week
    # starts Sunday 11 Jan 2026, so payments from 26 Oct 2025 at the earliest.
    text = " ".join(assess(expecting()).explanation)
    assert "9 October 2025" in text
    assert "26 October 2025" in text


def test_entitled_to_smp_gets_it_from_the_employer_instead():
    result = assess(expecting(entitled_to_smp=True, average_weekly_earnings=None))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.missing == ()
    assert "Statutory Maternity Pay" in result.explanation[0]


def test_too_little_work_mentions_the_lower_rate():
    # Worked only 10 of the 66 weeks: not eligible; the £27 lower rate is mentioned.
    result = assess(expecting(worked_26_of_66_weeks=False, earned_30_a_week_in_13_weeks=None))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.missing == ()
    assert any("£27" in line for line in result.explanation)


def test_pregnancy_is_asked_first_and_no_means_not_eligible():
    asked = assess(Adult(date_of_birth=date(1995, 1, 1)))
    assert asked.verdict is Verdict.NEED_MORE_INFORMATION
    assert asked.missing == ("claimant.pregnant",)
    not_pregnant = assess(Adult(date_of_birth=date(1995, 1, 1), pregnant=False))
    assert not_pregnant.verdict is Verdict.NOT_ELIGIBLE


def test_pregnant_without_a_due_date_is_asked_for_it():
    result = assess(Adult(date_of_birth=date(1995, 1, 1), pregnant=True))
    assert result.missing == ("claimant.baby_due_date",)


def test_a_due_date_more_than_39_weeks_ago_is_too_late():
    # Baby due 1 Dec 2024, assessed 1 Oct 2025 (43 weeks later): not eligible.
    assert assess(expecting(baby_due_date=date(2024, 12, 1))).verdict is Verdict.NOT_ELIGIBLE


def test_unknown_facts_are_asked_for_in_order():
    result = assess(Adult(pregnant=True, baby_due_date=date(2026, 1, 15)))
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == (
        "claimant.worked_26_of_66_weeks",
        "claimant.earned_30_a_week_in_13_weeks",
        "claimant.entitled_to_smp",
        "claimant.average_weekly_earnings",
    )
