"""New Style Jobseeker's Allowance worked cases (benefit-rates.md §6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import jsa
from benefits.rules.base import Adult, Household, Period, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
MAY_2026 = date(2026, 5, 1)


def jobseeker(**facts) -> Adult:
    answers = {
        "date_of_birth": date(1990, 1, 1),
        "paid_class1_ni_last_2_years": True,
        "illness_prevents_work": False,
        "available_for_work": True,
        "weekly_hours_worked": Decimal(0),
        "in_full_time_education": False,
    }
    answers.update(facts)
    return Adult(**answers)


def assess(claimant: Adult, on: date = OCT_2025):
    return jsa.assess(Household(claimant=claimant), on, rates_on(on))


def test_a_24_year_old_gets_the_under_25_rate():
    # Made redundant at 24 (born 2 Oct 2000), paid NI for years, in October 2025: £72.90 a week.
    result = assess(jobseeker(date_of_birth=date(2000, 10, 2)))
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("72.90")
    assert result.period == Period.WEEK
    assert any("182 days" in line for line in result.explanation)
    assert any("savings" in line for line in result.explanation)


def test_a_25_year_old_gets_the_25_plus_rate():
    # The same person a day older (25th birthday on 1 Oct 2025): £92.05 a week.
    assert assess(jobseeker(date_of_birth=date(2000, 10, 1))).amount == Decimal("92.05")


def test_2026_27_rates():
    # In May 2026: £75.65 a week at 20, £95.55 a week at 40.
    assert assess(jobseeker(date_of_birth=date(2006, 1, 1)), MAY_2026).amount == Decimal("75.65")
    assert assess(jobseeker(date_of_birth=date(1986, 1, 1)), MAY_2026).amount == Decimal("95.55")


def test_illness_points_to_new_style_esa():
    # Off work with a long-term illness: not JSA, and New Style ESA is suggested.
    result = assess(jobseeker(illness_prevents_work=True, available_for_work=None))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.missing == ()
    assert "Employment and Support Allowance" in result.explanation[0]


def test_working_16_hours_is_too_many_but_15_and_a_half_is_not():
    # A part-time shop worker doing 16 hours a week: not eligible; at 15.5 hours: £92.05.
    assert assess(jobseeker(weekly_hours_worked=Decimal(16))).verdict is Verdict.NOT_ELIGIBLE
    assert assess(jobseeker(weekly_hours_worked=Decimal("15.5"))).amount == Decimal("92.05")


def test_no_recent_class_1_ni_rules_out_without_more_questions():
    # Self-employed for the last 3 years, nothing else known yet: not eligible.
    result = assess(Adult(date_of_birth=date(1990, 1, 1), paid_class1_ni_last_2_years=False))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.missing == ()


def test_under_18_and_state_pension_age():
    # A 17-year-old and a 67-year-old: both not eligible.
    assert assess(jobseeker(date_of_birth=date(2008, 1, 1))).verdict is Verdict.NOT_ELIGIBLE
    assert assess(jobseeker(date_of_birth=date(1958, 1, 1))).verdict is Verdict.NOT_ELIGIBLE


def test_not_available_for_work_or_in_full_time_education():
    assert assess(jobseeker(available_for_work=False)).verdict is Verdict.NOT_ELIGIBLE
    assert assess(jobseeker(in_full_time_education=True)).verdict is Verdict.NOT_ELIGIBLE


def test_unknown_facts_are_asked_for_in_order():
    result = assess(Adult())
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == (
        "claimant.date_of_birth",
        "claimant.paid_class1_ni_last_2_years",
        "claimant.illness_prevents_work",
        "claimant.available_for_work",
        "claimant.weekly_hours_worked",
        "claimant.in_full_time_education",
    )
