"""The UC housing costs element: worked cases (benefit-rates.md §1 and §1a), monthly amounts.

Local Housing Allowance, Sheffield, frozen: shared £350, 1 bedroom £575, 2 bedrooms £620,
3 bedrooms £680, 4 bedrooms £950. Housing cost contribution per non-dependant aged 21 or
over: £93.02 (2025/26), £96.55 (2026/27). Social renters: 14% off for one extra bedroom,
25% for two or more.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import universal_credit
from benefits.rules.base import (
    Adult,
    Child,
    ChildDisability,
    Household,
    Housing,
    NonDependant,
    PipRate,
    Sex,
    Verdict,
)
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
NOV_2026 = date(2026, 11, 25)


def adult(born, earnings=0, **extra) -> Adult:
    return Adult(
        date_of_birth=born, monthly_earnings=Decimal(earnings), lcwra=False, caring_hours=0,
        **extra,
    )  # fmt: skip


def kid(born, sex=None) -> Child:
    return Child(date_of_birth=born, disability=ChildDisability.NONE, sex=sex)


def renting(
    claimant, *, rent, partner=None, children=(), housing=Housing.RENT_PRIVATE,
    non_dependants=(), **extra,
) -> Household:  # fmt: skip
    return Household(
        claimant=claimant, has_partner=partner is not None, partner=partner,
        children=tuple(children), housing=housing, capital=Decimal(0),
        monthly_rent=None if rent is None else Decimal(rent),
        non_dependants=None if non_dependants is None else tuple(non_dependants), **extra,
    )  # fmt: skip


def uc(household, on=OCT_2025):
    return universal_credit.assess(household, on, rates_on(on))


def housing_element(result) -> Decimal:
    return sum(
        (e.amount for e in result.elements if e.code.startswith("uc.housing_cost")), Decimal(0)
    )


LONE_PARENT_KIDS = [kid(date(2016, 2, 10)), kid(date(2019, 7, 22))]  # 9 and 6: they share


def test_private_rent_above_the_lha_is_capped_at_the_rate_for_the_bedrooms_allowed():
    # Lone parent, 32, earning £1,100, two children under 10 (one room): 2 bedrooms allowed.
    # Rent £700, LHA 2 bedrooms £620: element £620.
    # £400.14 + £339.00 + £292.81 + £620.00 = £1,651.95;
    # lower work allowance £411: 55% × (£1,100 − £411) = £378.95; UC £1,273.00.
    result = uc(renting(adult(date(1992, 11, 23), 1100), rent=700, children=LONE_PARENT_KIDS))

    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("1273.00")
    assert housing_element(result) == Decimal("620.00")
    assert result.left_out == ()
    assert (
        "Local Housing Allowance for 2 bedrooms in Sheffield: £620 a month. Universal Credit "
        "covers private rent up to this amount: £620 a month." in result.explanation
    )
    assert "Housing costs element: £620 a month" in result.explanation
    (item,) = [e for e in result.elements if e.code == "uc.housing_costs_element"]
    assert item.rate == "uc.lha.sheffield.2_bedrooms"
    assert "Sch. 4" in item.rule


def test_private_rent_below_the_lha_is_paid_in_full():
    # The same family paying £550: element £550; £1,031.95 + £550 − £378.95 = £1,203.00.
    result = uc(renting(adult(date(1992, 11, 23), 1100), rent=550, children=LONE_PARENT_KIDS))

    assert result.amount == Decimal("1203.00")


def test_a_single_renter_under_35_gets_the_shared_accommodation_rate():
    # Single, 30, no income, rent £500: shared rate £350; £400.14 + £350 = £750.14.
    result = uc(renting(adult(date(1995, 1, 1)), rent=500))

    assert result.amount == Decimal("750.14")
    assert any("shared accommodation rate applies" in line for line in result.explanation)


def test_a_single_renter_aged_35_or_over_gets_the_one_bedroom_rate():
    # Single, 40, rent £700: 1 bedroom £575; £400.14 + £575 = £975.14.
    assert uc(renting(adult(date(1985, 6, 1)), rent=700)).amount == Decimal("975.14")


def test_a_non_dependant_aged_21_or_over_brings_a_housing_cost_contribution():
    # Single, 50, rent £700, her son of 25 lives with her: 2 bedrooms, LHA £620,
    # less £93.02: element £526.98; £400.14 + £526.98 = £927.12.
    son = NonDependant(
        date_of_birth=date(2000, 5, 1), gets_disability_or_carer_benefit=False,
        responsible_for_child_under_5=False,
    )  # fmt: skip
    claimant = adult(date(1975, 3, 1), registered_blind=False, pip_daily_living=PipRate.NONE)
    result = uc(renting(claimant, rent=700, non_dependants=[son]))

    assert result.amount == Decimal("927.12")
    assert housing_element(result) == Decimal("526.98")
    (contribution,) = [e for e in result.elements if e.code == "uc.housing_cost_contribution"]
    assert contribution.amount == Decimal("-93.02")
    assert contribution.rate == "uc.housing.non_dependant_deduction"
    # 2026/27: £424.90 + £620 − £96.55 = £948.35.
    assert uc(renting(claimant, rent=700, non_dependants=[son]), NOV_2026).amount == Decimal(
        "948.35"
    )


def test_no_contribution_when_the_claimant_gets_pip_daily_living():
    # The same household, the mother gets PIP daily living: no contribution,
    # £400.14 + £620 = £1,020.14.
    son = NonDependant(date_of_birth=date(2000, 5, 1))
    claimant = adult(date(1975, 3, 1), pip_daily_living=PipRate.STANDARD)
    result = uc(renting(claimant, rent=700, non_dependants=[son], needs_overnight_carer=False))

    assert result.amount == Decimal("1020.14")
    assert any("get PIP daily living" in line for line in result.explanation)


def test_no_contribution_for_a_non_dependant_under_21_who_still_needs_a_bedroom():
    # Son of 20: a bedroom (2 bedrooms, £620) but no contribution: £1,020.14.
    son = NonDependant(date_of_birth=date(2005, 5, 1))
    result = uc(renting(adult(date(1975, 3, 1)), rent=700, non_dependants=[son]))

    assert result.amount == Decimal("1020.14")


def test_a_non_dependant_on_carers_allowance_pays_no_contribution():
    # Son of 25 gets Carer's Allowance: no contribution: £1,020.14.
    son = NonDependant(date_of_birth=date(2000, 5, 1), gets_disability_or_carer_benefit=True)
    claimant = adult(date(1975, 3, 1), registered_blind=False, pip_daily_living=PipRate.NONE)
    result = uc(renting(claimant, rent=700, non_dependants=[son]))

    assert result.amount == Decimal("1020.14")


def test_social_renters_lose_14_percent_for_one_extra_bedroom_and_25_for_two():
    # Couple, both 30, no children, council rent £480: allowed 1 bedroom.
    # 2 bedrooms: £480 × 86% = £412.80; £628.10 + £412.80 = £1,040.90.
    # 3 bedrooms: £480 × 75% = £360.00; £628.10 + £360.00 = £988.10.
    couple = {"partner": adult(date(1995, 6, 1)), "housing": Housing.RENT_SOCIAL}
    two = uc(renting(adult(date(1995, 1, 1)), rent=480, bedrooms=2, **couple))
    three = uc(renting(adult(date(1995, 1, 1)), rent=480, bedrooms=3, **couple))

    assert two.amount == Decimal("1040.90")
    assert three.amount == Decimal("988.10")
    assert (
        "Your home has 2 bedrooms, 1 more than allowed, so 14% less rent is covered: "
        "£480 − £67.20 = £412.80 a month." in two.explanation
    )


def test_a_social_renter_with_no_spare_bedroom_has_all_the_rent_covered():
    # Couple, rent £480, 1 bedroom: £628.10 + £480 = £1,108.10.
    h = renting(adult(date(1995, 1, 1)), rent=480, bedrooms=1, partner=adult(date(1995, 6, 1)),
                housing=Housing.RENT_SOCIAL)  # fmt: skip
    assert uc(h).amount == Decimal("1108.10")


def test_a_girl_and_a_boy_over_10_need_a_room_each_but_two_girls_share():
    # Lone parent, 40, no earnings, rent £1,000; children born 2012 (13) and 2014 (11).
    # Both born before April 2017: £400.14 + £339.00 + £292.81 = £1,031.95.
    # Girl and boy: 3 bedrooms, LHA £680: £1,711.95. Two girls: 2 bedrooms, £620: £1,651.95.
    mixed = [kid(date(2012, 5, 1), Sex.FEMALE), kid(date(2014, 3, 1), Sex.MALE)]
    girls = [kid(date(2012, 5, 1), Sex.FEMALE), kid(date(2014, 3, 1), Sex.FEMALE)]

    assert uc(renting(adult(date(1985, 6, 1)), rent=1000, children=mixed)).amount == Decimal(
        "1711.95"
    )
    assert uc(renting(adult(date(1985, 6, 1)), rent=1000, children=girls)).amount == Decimal(
        "1651.95"
    )


def test_the_childrens_sex_is_asked_only_when_it_decides_the_bedrooms():
    older = renting(adult(date(1985, 6, 1)), rent=1000,
                    children=[kid(date(2012, 5, 1)), kid(date(2014, 3, 1))])  # fmt: skip
    under_10 = renting(adult(date(1992, 11, 23)), rent=700, children=LONE_PARENT_KIDS)

    assert uc(older).missing == ("children.0.sex", "children.1.sex")
    assert uc(under_10).verdict is Verdict.ELIGIBLE


def test_once_the_rent_is_known_the_facts_the_element_needs_are_asked_for():
    social = renting(adult(date(1995, 1, 1)), rent=480, housing=Housing.RENT_SOCIAL,
                     non_dependants=None)  # fmt: skip
    son = NonDependant(date_of_birth=date(2000, 5, 1))
    with_son = renting(adult(date(1975, 3, 1)), rent=700, non_dependants=[son])

    assert uc(social).missing == ("bedrooms", "non_dependants")
    assert uc(with_son).missing == ("claimant.registered_blind", "claimant.pip_daily_living")


def test_without_the_rent_the_estimate_leaves_the_element_out_and_says_so():
    # The existing lone-parent case, rent not given: £653.00, as before, with the note.
    result = uc(renting(adult(date(1992, 11, 23), 1100), rent=None, children=LONE_PARENT_KIDS))

    assert result.amount == Decimal("653.00")
    assert result.left_out == ("monthly_rent",)
    assert result.as_dict()["left_out"] == ["monthly_rent"]
    assert housing_element(result) == Decimal("0.00")


def test_owners_get_no_housing_costs_element_and_are_told_why():
    # Lone parent with a £650 mortgage: higher work allowance £684, 55% × £416 = £228.80;
    # £1,031.95 − £228.80 = £803.15, and no element for the mortgage.
    h = renting(adult(date(1992, 11, 23), 1100), rent=None, children=LONE_PARENT_KIDS,
                housing=Housing.MORTGAGE, monthly_mortgage=Decimal(650))  # fmt: skip
    result = uc(h)

    assert result.amount == Decimal("803.15")
    assert result.left_out == ()
    assert any(
        line.startswith("Your mortgage payments of £650 a month: Universal Credit has no housing")
        and "Support for Mortgage Interest" in line
        for line in result.explanation
    )
    (item,) = [e for e in result.elements if e.code == "uc.housing_costs_element"]
    assert item.amount == 0
    assert "loan" in item.note
