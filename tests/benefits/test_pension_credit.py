"""Pension Credit (Guarantee Credit) worked cases (benefit-rates.md §5).

The claimant's State Pension comes from the ``state_pension`` result in the context, as in
``assess_all``; ``assess`` below runs that rule first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import pension_credit, state_pension
from benefits.rules.base import Adult, Context, Household, Result, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
JUNE_2026 = date(2026, 6, 1)
PENSIONER = date(1955, 3, 1)  # State Pension age 1 March 2021


def pensioner(years=9, pension="0", earnings="0", born=PENSIONER):
    """9 qualifying years (no new State Pension) unless told otherwise."""
    return Adult(
        date_of_birth=born,
        ni_qualifying_years=years,
        weekly_pension_income=None if pension is None else Decimal(pension),
        monthly_earnings=None if earnings is None else Decimal(earnings),
    )


def assess(claimant, partner=None, capital="0", on=OCT_2025, carers_allowance=None):
    household = Household(
        claimant=claimant,
        has_partner=partner is not None,
        partner=partner,
        capital=None if capital is None else Decimal(capital),
    )
    rates = rates_on(on)
    context = Context()
    context.results["state_pension"] = state_pension.assess(household, on, rates, context)
    if carers_allowance is not None:
        context.results["carers_allowance"] = carers_allowance
    return pension_credit.assess(household, on, rates, context)


def test_single_with_150_other_pension_and_no_state_pension():
    # A single pensioner with 9 NI years (no new State Pension), a £150 a week works pension,
    # no savings, October 2025: £227.10 - £150 = £77.10 a week.
    result = assess(pensioner(pension="150"))
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("77.10")
    assert result.period == "week"
    assert any("Your other pensions: £150 a week" in line for line in result.explanation)


def test_single_with_150_other_pension_in_2026_27():
    # The same pensioner in June 2026: £238.00 - £150 = £88 a week.
    assert assess(pensioner(pension="150"), on=JUNE_2026).amount == Decimal("88.00")


def test_single_with_20_years_state_pension_and_12750_savings():
    # A single pensioner with 20 NI years (State Pension 20/35 x £230.25 = £131.57) and savings
    # of £12,750 (£2,750 above £10,000 = 5.5 steps of £500 → 6 → £6 a week), October 2025:
    # income £137.57; £227.10 - £137.57 = £89.53 a week.
    result = assess(pensioner(years=20), capital="12750")
    assert result.amount == Decimal("89.53")
    text = " ".join(result.explanation)
    assert "Your State Pension: £131.57 a week" in text
    assert "savings of £12,750" in text


def test_savings_of_exactly_10000_count_for_nothing():
    # A single pensioner with no income and savings of exactly £10,000: the full £227.10 a week.
    assert assess(pensioner(), capital="10000").amount == Decimal("227.10")


def test_savings_of_10001_count_as_1_a_week():
    # £1 above £10,000 is part of a £500 step: £1 a week, so £227.10 - £1 = £226.10 a week.
    assert assess(pensioner(), capital="10001").amount == Decimal("226.10")


def test_deemed_income_steps():
    rates = rates_on(OCT_2025)
    assert pension_credit.deemed_income(Decimal("10000"), rates) == Decimal("0")
    assert pension_credit.deemed_income(Decimal("10001"), rates) == Decimal("1")
    assert pension_credit.deemed_income(Decimal("10500"), rates) == Decimal("1")
    assert pension_credit.deemed_income(Decimal("12750"), rates) == Decimal("6")


def test_couple_both_over_state_pension_age():
    # A couple in June 2026, both over State Pension age: the claimant has 35 NI years (£241.30),
    # the partner 9 (no new State Pension); no other income or savings:
    # £363.25 - £241.30 = £121.95 a week.
    result = assess(pensioner(years=35), partner=pensioner(born=date(1956, 8, 1)), on=JUNE_2026)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("121.95")
    assert any("couple: £363.25" in line for line in result.explanation)


def test_couple_with_two_full_state_pensions_get_nothing():
    # A couple in October 2025, both with 35 NI years: 2 x £230.25 = £460.50 is more than the
    # couple guarantee of £346.60, so no Guarantee Credit.
    result = assess(pensioner(years=35), partner=pensioner(years=35, born=date(1954, 12, 1)))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount is None
    assert any("£460.50" in line and "£346.60" in line for line in result.explanation)


def test_single_with_full_state_pension_is_just_above_the_guarantee():
    # A single pensioner with 35 NI years, October 2025: £230.25 is above £227.10: nothing,
    # but the extra amounts not estimated are mentioned.
    result = assess(pensioner(years=35))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert any("Savings Credit" in line for line in result.caveats)


def test_earnings_are_converted_to_weekly():
    # A single pensioner (9 NI years) earning £260 a month (£260 x 12 ÷ 52 = £60 a week) with a
    # £100 a week pension, October 2025: £227.10 - £160 = £67.10 a week.
    assert assess(pensioner(pension="100", earnings="260")).amount == Decimal("67.10")


def test_carers_allowance_counts_as_income():
    # A single pensioner (9 NI years) with a £100 pension who gets Carer's Allowance of £83.30,
    # October 2025: £227.10 - £183.30 = £43.80 a week.
    carers = Result(benefit="carers_allowance", verdict=Verdict.ELIGIBLE, amount=Decimal("83.30"))
    assert assess(pensioner(pension="100"), carers_allowance=carers).amount == Decimal("43.80")


def test_mixed_age_couple_claims_universal_credit():
    # A 70-year-old whose partner is 60: not both over State Pension age, no Pension Credit.
    result = assess(pensioner(), partner=pensioner(born=date(1965, 5, 1)))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert any("Universal Credit" in line for line in result.explanation)


def test_under_state_pension_age_is_not_eligible():
    # A 60-year-old single person: Pension Credit is for State Pension age.
    assert assess(pensioner(born=date(1965, 5, 1))).verdict is Verdict.NOT_ELIGIBLE


def test_questions_come_in_order_age_partner_then_income():
    rates = rates_on(OCT_2025)
    assert pension_credit.assess(Household(), OCT_2025, rates).missing == (
        "claimant.date_of_birth",
    )
    claimant = Adult(date_of_birth=PENSIONER)
    assert pension_credit.assess(Household(claimant=claimant), OCT_2025, rates).missing == (
        "has_partner",
    )
    couple = Household(claimant=claimant, has_partner=True)
    assert pension_credit.assess(couple, OCT_2025, rates).missing == ("partner.date_of_birth",)
    result = assess(pensioner(years=None, pension=None, earnings=None), capital=None)
    assert result.missing == (
        "capital",
        "claimant.monthly_earnings",
        "claimant.weekly_pension_income",
        "claimant.ni_qualifying_years",
    )
