"""High Income Child Benefit Charge worked cases (benefit-rates.md §2).

Charge = 1% of the Child Benefit for every £200 of adjusted net income (ANI) over £60,000,
rounded down to a whole percent, 100% from £80,000; the charge is rounded down to whole
pounds (ITEPA 2003 s.681C(3)). Child Benefit for the tax year = weekly amount × 52.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import child_benefit
from benefits.rules.base import Adult, Child, Household, Period, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
NOV_2026 = date(2026, 11, 25)
ONE_CHILD = (Child(date_of_birth=date(2022, 5, 1)),)
TWO_CHILDREN = (Child(date_of_birth=date(2018, 5, 1)), Child(date_of_birth=date(2022, 5, 1)))


def assess(income, *, partner_income=None, children=ONE_CHILD, on=OCT_2025):
    partner = None if partner_income is None else Adult(adjusted_net_income=Decimal(partner_income))
    household = Household(
        claimant=Adult(adjusted_net_income=None if income is None else Decimal(income)),
        has_partner=partner is not None, partner=partner, children=children,
    )  # fmt: skip
    return child_benefit.assess(household, on, rates_on(on))


def extras(result) -> dict[str, Decimal]:
    return {str(label): amount for label, amount, _period in result.extras}


def test_halfway_up_the_taper_half_the_child_benefit_is_charged():
    # One child, ANI £70,000: £10,000 over = 50 steps of £200 = 50%.
    # Child Benefit for the year: £26.05 × 52 = £1,354.60; charge 50% = £677.30 → £677;
    # net £677.60. The weekly amount stays £26.05.
    result = assess(70000)

    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("26.05")
    (charge,) = result.charges
    assert (charge.code, charge.amount, charge.period) == ("cb.hicbc", Decimal("-677"), Period.YEAR)
    assert charge.label == "High Income Child Benefit Charge (50% of the Child Benefit)"
    assert extras(result) == {
        "Child Benefit for the tax year": Decimal("1354.60"),
        "High Income Child Benefit Charge for the tax year": Decimal("677.00"),
        "Child Benefit less the charge, for the tax year": Decimal("677.60"),
    }
    assert (
        "High Income Child Benefit Charge: the higher adjusted net income in your household is "
        "£70,000 a year. The charge is 1% of the Child Benefit for every £200 over £60,000, and "
        "all of it from £80,000: 50% of £1,354.60 = £677 for the tax year (rounded down to "
        "whole pounds)." in result.explanation
    )
    assert result.as_dict()["charges"][0]["amount"] == "-677.00"


def test_the_higher_earner_of_a_couple_is_charged_and_part_steps_round_down():
    # Two children: £26.05 + £17.25 = £43.30 a week, £2,251.60 a year. ANI £45,000 and
    # £61,999: the higher is £1,999 over = 9.995 steps → 9%; 9% × £2,251.60 = £202.644 → £202;
    # net £2,049.60.
    result = assess(45000, partner_income=61999, children=TWO_CHILDREN)

    assert result.amount == Decimal("43.30")
    assert result.charges[0].amount == Decimal("-202")
    assert extras(result)["Child Benefit less the charge, for the tax year"] == Decimal("2049.60")


def test_from_80000_the_whole_child_benefit_is_charged():
    # ANI £80,000: 100% of £1,354.60 = £1,354 (whole pounds down); net £0.60.
    result = assess(80000)

    assert result.charges[0].amount == Decimal("-1354")
    assert extras(result)["Child Benefit less the charge, for the tax year"] == Decimal("0.60")
    assert any("protects National Insurance credits" in line for line in result.explanation)
    # Above £80,000 it stays 100%.
    assert assess(150000).charges[0].amount == Decimal("-1354")


def test_at_60000_or_less_there_is_no_charge():
    result = assess(60000)

    assert result.charges == ()
    assert result.extras == ()
    assert (
        "No High Income Child Benefit Charge: the higher adjusted net income in your household, "
        "£60,000 a year, is not over £60,000." in result.explanation
    )


def test_2026_27_rates_with_the_same_thresholds():
    # November 2026, one child: £27.05 × 52 = £1,406.60; ANI £65,000 → 25% = £351.65 → £351;
    # net £1,055.60.
    result = assess(65000, on=NOV_2026)

    assert result.charges[0].amount == Decimal("-351")
    assert extras(result)["Child Benefit less the charge, for the tax year"] == Decimal("1055.60")


def test_an_unknown_income_leaves_the_charge_out_and_names_it():
    result = assess(None)
    couple = child_benefit.assess(
        Household(
            claimant=Adult(adjusted_net_income=Decimal(70000)), has_partner=True,
            partner=Adult(), children=TWO_CHILDREN,
        ),
        OCT_2025,
        rates_on(OCT_2025),
    )  # fmt: skip

    assert result.amount == Decimal("26.05")
    assert result.charges == ()
    assert result.left_out == ("claimant.adjusted_net_income",)
    assert any("tax charge" in line for line in result.explanation)
    # One partner's income known is not enough: the other might be the higher earner.
    assert couple.charges == ()
    assert couple.left_out == ("partner.adjusted_net_income",)


def test_without_knowing_about_a_partner_the_charge_waits():
    household = Household(claimant=Adult(adjusted_net_income=Decimal(70000)), children=ONE_CHILD)
    result = child_benefit.assess(household, OCT_2025, rates_on(OCT_2025))

    assert result.charges == ()
    assert result.left_out == ("has_partner",)
