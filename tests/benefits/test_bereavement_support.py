"""Bereavement Support Payment worked cases (benefit-rates.md §9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import bereavement_support
from benefits.rules.base import Adult, Bereavement, Child, Household, Period, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
JUN_2026 = date(2026, 6, 1)
WIDOW = Adult(date_of_birth=date(1985, 6, 1))
CHILD_AGED_5 = Child(date_of_birth=date(2020, 3, 1))


def died(on: date, **facts) -> Bereavement:
    answers = {"was_married_or_civil_partners": True, "partner_paid_ni_or_industrial_cause": True}
    answers.update(facts)
    return Bereavement(partner_died_on=on, **answers)


def assess(bereavement, children=(), claimant=WIDOW, on=OCT_2025):
    household = Household(
        claimant=claimant,
        children=None if children is None else tuple(children),
        bereavement=bereavement,
    )
    return bereavement_support.assess(household, on, rates_on(on))


def test_higher_rate_claimed_on_time():
    # A mother of a 5-year-old whose husband died on 1 Sep 2025, claiming on 1 Oct 2025:
    # £3,500 first payment and 18 monthly payments of £350 (£9,800 in all).
    result = assess(died(date(2025, 9, 1)), [CHILD_AGED_5])
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("350.00")
    assert result.period == Period.MONTH
    assert result.extras == (("First payment", Decimal("3500.00"), Period.ONCE),)
    assert any("18 monthly payments" in line for line in result.explanation)
    assert "£9,800 in all." in result.explanation


def test_standard_rate_claimed_on_time():
    # A widower with no children whose civil partner died on 1 Sep 2025:
    # £2,500 first payment and 18 monthly payments of £100 (£4,300 in all).
    result = assess(died(date(2025, 9, 1)), [])
    assert result.amount == Decimal("100.00")
    assert result.extras == (("First payment", Decimal("2500.00"), Period.ONCE),)
    assert "£4,300 in all." in result.explanation


def test_claiming_exactly_3_months_after_the_death_still_gets_everything():
    # Death 1 Jul 2025, claim 1 Oct 2025: all 18 payments of £100 (£4,300).
    assert "£4,300 in all." in assess(died(date(2025, 7, 1)), []).explanation


def test_claiming_5_months_after_the_death_loses_2_monthly_payments():
    # Death 1 May 2025, claim 1 Oct 2025: 2 months past the 3-month window, so 16 monthly
    # payments. Standard rate: £2,500 + 16 of £100 = £4,100.
    result = assess(died(date(2025, 5, 1)), [])
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("100.00")
    assert result.extras[0][1] == Decimal("2500.00")
    assert any("16 of the 18" in line for line in result.explanation)
    assert "£4,100 in all." in result.explanation


def test_claiming_14_months_after_the_death_loses_the_first_payment():
    # Death 1 Aug 2024, claim 1 Oct 2025 (higher rate): 11 months late, so 7 monthly payments
    # of £350 = £2,450, and no first payment (it needs a claim within 12 months).
    result = assess(died(date(2024, 8, 1)), [CHILD_AGED_5])
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("350.00")
    assert result.extras == ()
    assert "£2,450 in all." in result.explanation


def test_claiming_22_months_after_the_death_is_too_late_and_asks_nothing_more():
    # Death 1 Dec 2023, claim 1 Oct 2025: nothing is payable after 21 months.
    result = assess(Bereavement(partner_died_on=date(2023, 12, 1)), None, Adult())
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.missing == ()
    assert "21 months" in result.explanation[0]


def test_the_last_monthly_payment_needs_a_claim_by_20_months():
    # Death 1 Jan 2024: a claim on 1 Sep 2025 (20 months) gets 1 payment of £100;
    # on 15 Sep 2025 none are left.
    assert "£100 in all." in assess(died(date(2024, 1, 1)), [], on=date(2025, 9, 1)).explanation
    late = assess(died(date(2024, 1, 1)), [], on=date(2025, 9, 15))
    assert late.verdict is Verdict.NOT_ELIGIBLE


def test_pregnant_at_the_death_gets_the_higher_rate_without_asking_about_children():
    # Pregnant (due 1 Mar 2026) when her husband died on 1 Sep 2025: £350 a month.
    expecting = Adult(date_of_birth=date(1992, 1, 1), baby_due_date=date(2026, 3, 1))
    result = assess(died(date(2025, 9, 1)), None, expecting)
    assert result.amount == Decimal("350.00")


def test_a_17_year_old_counts_only_in_approved_education():
    # A 17-year-old at college at the death: higher rate; one who left school: standard rate.
    at_college = Child(date_of_birth=date(2008, 1, 1), in_approved_education=True)
    working = Child(date_of_birth=date(2008, 1, 1), in_approved_education=False)
    assert assess(died(date(2025, 9, 1)), [at_college]).amount == Decimal("350.00")
    assert assess(died(date(2025, 9, 1)), [working]).amount == Decimal("100.00")
    unknown = assess(died(date(2025, 9, 1)), [Child(date_of_birth=date(2008, 1, 1))])
    assert unknown.missing == ("children.0.in_approved_education",)


def test_same_amounts_in_2026_27():
    # Death 1 May 2026, claim 1 Jun 2026, one child: £3,500 and £350 a month (unchanged).
    result = assess(died(date(2026, 5, 1)), [CHILD_AGED_5], on=JUN_2026)
    assert result.amount == Decimal("350.00")
    assert result.extras[0][1] == Decimal("3500.00")


def test_over_state_pension_age_at_the_death():
    # A 70-year-old widow: not eligible.
    result = assess(died(date(2025, 9, 1)), [], Adult(date_of_birth=date(1955, 1, 1)))
    assert result.verdict is Verdict.NOT_ELIGIBLE


def test_death_before_april_2017_and_unmarried_partners_are_not_eligible():
    assert assess(died(date(2017, 4, 5)), []).verdict is Verdict.NOT_ELIGIBLE
    unmarried = assess(died(date(2025, 9, 1), was_married_or_civil_partners=False), [])
    assert unmarried.verdict is Verdict.NOT_ELIGIBLE
    assert any("secondary source" in line for line in unmarried.explanation)


def test_no_bereavement_facts_asks_then_answers():
    # Not asked yet: ask. Asked, and no one has died: not eligible.
    assert assess(None).missing == ("bereavement",)
    assert assess(Bereavement()).verdict is Verdict.NOT_ELIGIBLE
    partial = assess(Bereavement(was_married_or_civil_partners=True))
    assert partial.missing == ("bereavement.partner_died_on",)


def test_unknown_facts_are_asked_for_in_order():
    result = assess(Bereavement(partner_died_on=date(2025, 9, 1)), None, Adult())
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == (
        "bereavement.was_married_or_civil_partners",
        "claimant.date_of_birth",
        "bereavement.partner_paid_ni_or_industrial_cause",
        "children",
    )
