"""Carer's Allowance worked cases (benefit-rates.md §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import carers_allowance
from benefits.rules.base import Adult, Context, Household, Period, Result, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
MAY_2026 = date(2026, 5, 1)


def carer(**facts) -> Adult:
    answers = {
        "date_of_birth": date(1980, 3, 1),
        "caring_hours": 40,
        "cared_for_gets_qualifying_benefit": True,
        "weekly_earnings_for_carers": Decimal(0),
        "in_full_time_education": False,
    }
    answers.update(facts)
    return Adult(**answers)


def assess(claimant: Adult, on: date = OCT_2025, context: Context | None = None):
    return carers_allowance.assess(Household(claimant=claimant), on, rates_on(on), context)


def with_state_pension(weekly: str) -> Context:
    pension = Result(
        benefit="state_pension",
        verdict=Verdict.ELIGIBLE,
        amount=Decimal(weekly),
        period=Period.WEEK,
    )
    return Context(results={"state_pension": pension})


def test_earnings_exactly_at_the_limit_still_get_the_full_rate():
    # A 45-year-old caring 40 hours a week for her mother on Attendance Allowance, earning
    # exactly £196 a week net, in October 2025: £83.30 a week.
    result = assess(carer(weekly_earnings_for_carers=Decimal("196.00")))
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("83.30")
    assert result.period == Period.WEEK
    assert any("one person" in line for line in result.explanation)
    assert any("2 of the last 3 years" in line for line in result.explanation)


def test_a_penny_over_the_earnings_limit_is_a_cliff_edge():
    # The same carer earning £196.01 a week net: nothing (the limit is £196).
    result = assess(carer(weekly_earnings_for_carers=Decimal("196.01")))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount is None
    assert "£196.01" in result.explanation[0]
    assert "£196" in result.explanation[0]
    assert "cliff edge" in result.explanation[1]


def test_the_2026_27_limit_is_204_and_the_rate_86_45():
    # Earning £204 a week net in May 2026 (limit £204): £86.45 a week.
    result = assess(carer(weekly_earnings_for_carers=Decimal("204")), MAY_2026)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("86.45")
    # £204 would have been over the 2025/26 limit of £196.
    assert assess(carer(weekly_earnings_for_carers=Decimal("204"))).verdict is Verdict.NOT_ELIGIBLE


def test_34_hours_of_care_is_not_enough_and_earnings_are_not_asked():
    # A son caring 34 hours a week, earnings not given yet: not eligible, no more questions.
    result = assess(carer(caring_hours=34, weekly_earnings_for_carers=None))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.missing == ()
    assert "35" in result.explanation[0]


def test_35_hours_of_care_is_enough():
    # The same son caring 35 hours a week with no earnings: £83.30 a week.
    assert assess(carer(caring_hours=35)).amount == Decimal("83.30")


def test_full_state_pension_leaves_only_underlying_entitlement():
    # A 70-year-old caring for his wife, with the full new State Pension of £230.25 a week:
    # nothing paid, but underlying entitlement (worth it for the Pension Credit carer addition).
    result = assess(carer(date_of_birth=date(1955, 1, 1)), context=with_state_pension("230.25"))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount is None
    assert any("underlying entitlement" in line for line in result.explanation)
    assert any("Pension Credit" in line for line in result.explanation)


def test_a_small_state_pension_is_topped_up_to_the_carers_allowance_rate():
    # A carer with a State Pension of £50 a week in October 2025:
    # £83.30 minus £50 = £33.30 a week of Carer's Allowance.
    result = assess(carer(date_of_birth=date(1955, 1, 1)), context=with_state_pension("50.00"))
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("33.30")
    assert any("tops it up by £33.30" in line for line in result.explanation)


def test_a_state_pension_not_in_payment_does_not_reduce_carers_allowance():
    # State Pension assessed as not eligible (too few qualifying years): full £83.30.
    context = Context(results={"state_pension": Result("state_pension", Verdict.NOT_ELIGIBLE)})
    assert assess(carer(), context=context).amount == Decimal("83.30")


def test_cared_for_person_without_a_qualifying_benefit():
    # Caring 50 hours a week for a neighbour who gets no disability benefit: not eligible.
    result = assess(carer(caring_hours=50, cared_for_gets_qualifying_benefit=False))
    assert result.verdict is Verdict.NOT_ELIGIBLE


def test_a_full_time_student_cannot_get_it():
    # A 19-year-old at university full time, caring 35 hours a week: not eligible.
    result = assess(carer(date_of_birth=date(2006, 1, 1), in_full_time_education=True))
    assert result.verdict is Verdict.NOT_ELIGIBLE


def test_a_15_year_old_is_too_young():
    result = assess(carer(date_of_birth=date(2010, 6, 1)))
    assert result.verdict is Verdict.NOT_ELIGIBLE


def test_unknown_facts_are_asked_for_in_the_screeners_order():
    result = assess(Adult())
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == (
        "claimant.date_of_birth",
        "claimant.caring_hours",
        "claimant.cared_for_gets_qualifying_benefit",
        "claimant.weekly_earnings_for_carers",
        "claimant.in_full_time_education",
    )
