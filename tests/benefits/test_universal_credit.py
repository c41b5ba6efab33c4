"""Universal Credit worked cases (benefit-rates.md §1), monthly amounts.

Each case: the household in plain words, and the amount worked out by hand from the
published rates in force on the assessment date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from benefits.rules import universal_credit
from benefits.rules.base import Adult, Child, ChildDisability, Household, Housing, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)  # 2025/26 rates, two-child limit
NOV_2026 = date(2026, 11, 25)  # 2026/27 rates, no two-child limit, split LCWRA


def adult(born, earnings=0, *, lcwra=False, caring=0, qualifying=None, **extra) -> Adult:
    return Adult(
        date_of_birth=born, monthly_earnings=Decimal(earnings), lcwra=lcwra, caring_hours=caring,
        cared_for_gets_qualifying_benefit=qualifying, **extra,
    )  # fmt: skip


def kid(born, **extra) -> Child:
    return Child(
        date_of_birth=born, disability=extra.pop("disability", ChildDisability.NONE), **extra
    )


def household(claimant, *, partner=None, children=(), housing=Housing.RENT_PRIVATE, capital=0):
    return Household(
        claimant=claimant, has_partner=partner is not None, partner=partner,
        children=tuple(children), housing=housing, capital=Decimal(capital),
    )  # fmt: skip


def uc(h, on=OCT_2025):
    return universal_credit.assess(h, on, rates_on(on))


def test_single_30_no_income_gets_the_25_or_over_standard_allowance():
    # Single, 30, renting, nothing coming in: £400.14 a month.
    result = uc(household(adult(date(1995, 1, 1))))
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("400.14")
    assert "Standard allowance, single, 25 or over: £400.14 a month" in result.explanation


def test_single_23_gets_the_under_25_rate():
    # Single, 23: £316.98.
    assert uc(household(adult(date(2002, 6, 1)))).amount == Decimal("316.98")


def test_couple_both_under_25():
    # Couple aged 22 and 21: £497.55.
    h = household(adult(date(2003, 1, 1)), partner=adult(date(2004, 1, 1)))
    assert uc(h).amount == Decimal("497.55")


def test_couple_where_one_partner_is_under_25_gets_the_higher_joint_rate():
    # Claimant 24, partner 26: one is 25 or over, so £628.10.
    h = household(adult(date(2001, 3, 1)), partner=adult(date(1999, 3, 1)))
    assert uc(h).amount == Decimal("628.10")


def test_single_without_children_has_no_work_allowance():
    # Single, 30, earning £500: 55% of £500 = £275 off £400.14 = £125.14.
    assert uc(household(adult(date(1995, 1, 1), 500))).amount == Decimal("125.14")


def test_lone_parent_renting_with_two_children_and_earnings():
    # Lone parent, 33, renting privately, earning £1,100, children born 2016 and 2019.
    # £400.14 + £339.00 (eldest born before 6 April 2017) + £292.81 = £1,031.95;
    # work allowance £411 (housing costs): 55% × (£1,100 − £411) = £378.95; UC £653.00.
    h = household(
        adult(date(1992, 11, 23), 1100),
        children=[kid(date(2016, 2, 10)), kid(date(2019, 7, 22))],
        capital=300,
    )
    result = uc(h)
    assert result.amount == Decimal("653.00")
    assert (
        "Child element, first child (born before 6 April 2017): £339 a month" in result.explanation
    )


def test_work_allowance_is_higher_without_housing_costs():
    # Same parent with a mortgage: work allowance £684: 55% × £416 = £228.80; £803.15.
    h = household(adult(date(1992, 11, 23), 1100), children=[kid(date(2016, 2, 10)), kid(date(2019, 7, 22))],
                  housing=Housing.MORTGAGE)  # fmt: skip
    assert uc(h).amount == Decimal("803.15")


def test_two_child_limit_leaves_out_a_third_child_born_after_april_2017():
    # October 2025, single parent, no earnings, children born 2016, 2018, 2020:
    # £400.14 + £339.00 + £292.81 = £1,031.95; the 2020 child is not counted.
    kids = [
        kid(date(2016, 1, 1)),
        kid(date(2018, 1, 1)),
        kid(date(2020, 1, 1), two_child_limit_exception=False),
    ]
    result = uc(household(adult(date(1990, 1, 1)), children=kids, housing=Housing.RENT_SOCIAL))
    assert result.amount == Decimal("1031.95")
    assert "Two-child limit applied: 1 child not counted" in result.explanation


def test_two_child_limit_is_gone_from_april_2026():
    # The same family in November 2026: £424.90 + £351.88 + 2 × £303.94 = £1,384.66.
    kids = [kid(date(2016, 1, 1)), kid(date(2018, 1, 1)), kid(date(2020, 1, 1))]
    result = uc(
        household(adult(date(1990, 1, 1)), children=kids, housing=Housing.RENT_SOCIAL), NOV_2026
    )
    assert result.amount == Decimal("1384.66")


def test_children_born_before_april_2017_always_count_and_a_later_third_does_not():
    # Children born 2012 and 2015 count; the 2018 child would be the third: not counted.
    kids = [
        kid(date(2012, 5, 1)),
        kid(date(2015, 5, 1)),
        kid(date(2018, 5, 1), two_child_limit_exception=False),
    ]
    assert uc(household(adult(date(1985, 1, 1)), children=kids)).amount == Decimal("1031.95")


def test_a_two_child_limit_exception_counts_the_child():
    # As above but the 2018 child is adopted: + £292.81 = £1,324.76.
    kids = [
        kid(date(2012, 5, 1)),
        kid(date(2015, 5, 1)),
        kid(date(2018, 5, 1), two_child_limit_exception=True),
    ]
    assert uc(household(adult(date(1985, 1, 1)), children=kids)).amount == Decimal("1324.76")


def test_the_exception_is_asked_only_when_the_limit_bites():
    kids = [kid(date(2016, 1, 1)), kid(date(2018, 1, 1)), kid(date(2020, 1, 1))]
    result = uc(household(adult(date(1990, 1, 1)), children=kids))
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == ("children.2.two_child_limit_exception",)
    assert (
        uc(household(adult(date(1990, 1, 1)), children=kids), NOV_2026).verdict is Verdict.ELIGIBLE
    )


def test_disabled_child_addition():
    # One child born 2019 on the higher rate: £400.14 + £292.81 + £495.87 = £1,188.82.
    h = household(
        adult(date(1990, 1, 1)), children=[kid(date(2019, 1, 1), disability=ChildDisability.HIGHER)]
    )
    assert uc(h).amount == Decimal("1188.82")


@pytest.mark.parametrize(
    ("capital", "expected"),
    [
        ("5999.99", "400.14"),  # under £6,000: ignored
        ("6000", "400.14"),  # at £6,000: still ignored
        ("6000.01", "395.79"),  # a part of £250 over: £4.35
        ("6250", "395.79"),  # exactly one £250: £4.35
        ("6250.01", "391.44"),  # and a part: £8.70
        ("16000", "226.14"),  # 40 × £4.35 = £174.00
    ],
)
def test_capital_and_tariff_income(capital, expected):
    # Single, 30, no earnings, savings as given.
    assert uc(household(adult(date(1995, 1, 1)), capital=capital)).amount == Decimal(expected)


def test_capital_over_16000_means_no_universal_credit():
    result = uc(household(adult(date(1995, 1, 1)), capital="16000.01"))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert "over the £16,000 limit" in result.explanation[0]


def test_lcwra_element_before_and_after_april_2026():
    # Single, 40, LCWRA, no earnings: 2025/26 £400.14 + £423.27 = £823.41.
    sick = adult(
        date(1985, 1, 1),
        lcwra=True,
        lcwra_claim_before_2026=False,
        severe_conditions_or_terminal=False,
    )
    assert uc(household(sick)).amount == Decimal("823.41")
    # November 2026, a new claim not meeting the severe conditions: £424.90 + £217.26.
    assert uc(household(sick), NOV_2026).amount == Decimal("642.16")
    # A claim from before April 2026 keeps the protected rate: £424.90 + £429.80.
    protected = adult(date(1985, 1, 1), lcwra=True, lcwra_claim_before_2026=True)
    assert uc(household(protected), NOV_2026).amount == Decimal("854.70")


def test_lcwra_brings_a_work_allowance():
    # Single, 40, LCWRA, renting, earning £1,000: £823.41 − 55% × (£1,000 − £411) = £499.46.
    sick = adult(date(1985, 1, 1), 1000, lcwra=True)
    assert uc(household(sick)).amount == Decimal("499.46")


def test_carer_element():
    # Single, 45, caring 40 hours for someone on PIP daily living: £400.14 + £201.68.
    carer = adult(date(1980, 1, 1), caring=40, qualifying=True)
    assert uc(household(carer)).amount == Decimal("601.82")


def test_a_single_claimant_cannot_have_both_lcwra_and_carer_elements():
    both = adult(date(1980, 1, 1), lcwra=True, caring=40, qualifying=True)
    result = uc(household(both))
    assert result.amount == Decimal("823.41")  # LCWRA only


def test_earnings_above_the_point_where_uc_tapers_to_nothing():
    # Lone parent, one child born 2020, renting, earning £3,000:
    # £692.95 − 55% × (£3,000 − £411) = £692.95 − £1,423.95 < 0: nothing.
    result = uc(household(adult(date(1990, 1, 1), 3000), children=[kid(date(2020, 1, 1))]))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert result.amount == Decimal("0.00")


def test_over_state_pension_age_points_to_pension_credit():
    result = uc(household(adult(date(1950, 1, 1), weekly_pension_income=Decimal(0))))
    assert result.verdict is Verdict.NOT_ELIGIBLE
    assert "Pension Credit" in result.explanation[0]


def test_a_mixed_age_couple_claims_universal_credit():
    # Claimant 70, partner 60: the younger partner is under State Pension age.
    old = adult(date(1955, 1, 1), weekly_pension_income=Decimal(0))
    young = adult(date(1965, 1, 1), weekly_pension_income=Decimal(0))
    assert uc(household(old, partner=young)).amount == Decimal("628.10")


def test_an_empty_household_is_asked_who_is_in_it_first():
    result = universal_credit.assess(Household(), OCT_2025, rates_on(OCT_2025))
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == ("claimant.date_of_birth", "has_partner")


def test_a_17_year_old_counts_only_in_approved_education():
    # October 2025, single parent, one child aged 17 at college, born before April 2017:
    # £400.14 + £339.00 = £739.14.
    at_college = kid(date(2008, 6, 1), in_approved_education=True)
    working = kid(date(2008, 6, 1), in_approved_education=False)
    assert uc(household(adult(date(1985, 1, 1)), children=[at_college])).amount == Decimal("739.14")
    # Not in education: not in the award, and no work allowance from them.
    assert uc(household(adult(date(1985, 1, 1)), children=[working])).amount == Decimal("400.14")


def test_disabled_child_addition_is_paid_for_a_child_outside_the_two_child_limit():
    # October 2025: the third child (born 2020, not counted) gets the lower addition £158.76:
    # £1,031.95 + £158.76 = £1,190.71.
    kids = [kid(date(2016, 1, 1)), kid(date(2018, 1, 1)),
            kid(date(2020, 1, 1), disability=ChildDisability.LOWER, two_child_limit_exception=False)]  # fmt: skip
    assert uc(household(adult(date(1990, 1, 1)), children=kids)).amount == Decimal("1190.71")


def test_a_couple_gets_the_better_lcwra_rate_of_the_two():
    # November 2026: the partner's claim began before April 2026 (protected £429.80).
    claimant = adult(
        date(1985, 1, 1),
        lcwra=True,
        lcwra_claim_before_2026=False,
        severe_conditions_or_terminal=False,
    )
    partner = adult(date(1986, 1, 1), lcwra=True, lcwra_claim_before_2026=True)
    # £666.97 + £429.80 = £1,096.77.
    assert uc(household(claimant, partner=partner), NOV_2026).amount == Decimal("1096.77")
