"""The itemised award: every element of an eligible result, nil ones included, adds up.

An award statement lists each element of the benefit with its rule and rate, and the lines
must add up to the amount paid. Worked households per benefit, then a property for all.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits.rules import (
    assess_all,
    attendance_allowance,
    bereavement_support,
    carers_allowance,
    child_benefit,
    jsa,
    maternity_allowance,
    pension_credit,
    pip,
    state_pension,
    universal_credit,
)
from benefits.rules.base import (
    Adult,
    Bereavement,
    CareNeed,
    Child,
    ChildDisability,
    Context,
    Household,
    Housing,
    Period,
    Result,
    Verdict,
)
from tests.benefits.conftest import rates_on
from tests.benefits.test_properties import DATES, born, households

OCT_2025 = date(2025, 10, 1)
NOV_2026 = date(2026, 11, 25)

UC_UNEARNED = [
    "uc.unearned_income.carers_allowance",
    "uc.unearned_income.state_pension",
    "uc.unearned_income.jsa",
    "uc.unearned_income.maternity_allowance",
]


def codes(result: Result) -> list[str]:
    return [element.code for element in result.elements]


def element(result: Result, code: str):
    (found,) = [element for element in result.elements if element.code == code]
    return found


def assert_itemised(result: Result, on: date) -> None:
    """The contract every eligible result keeps: see ``benefits.rules.base.Element``."""
    rates = rates_on(on)
    assert result.verdict is Verdict.ELIGIBLE
    assert result.elements, f"{result.benefit} gives no elements"
    assert sum(element.amount for element in result.elements) == result.amount
    for item in result.elements:
        assert item.period is result.period
        assert item.amount == item.amount.quantize(Decimal("0.01"))
        # Each line cites the law it comes from, for the person and for an appeal.
        assert re.search(r"(Act|Regulations|Order) \d{4}", item.rule), item
        assert item.label
        for name in filter(None, item.rate.split(", ")):
            assert name in rates, f"{item.code}: {name} is not a parameter in force on {on}"
        if item.amount == 0:
            assert item.note, f"{item.code} came to nil without saying why"


# --- Universal Credit -------------------------------------------------------------------------


def working_age(born_on, earnings="0", **facts) -> Adult:
    answers = {
        "date_of_birth": born_on,
        "monthly_earnings": Decimal(earnings),
        "lcwra": False,
        "caring_hours": 0,
    }
    answers.update(facts)
    return Adult(**answers)


def kid(born_on, disability=ChildDisability.NONE, **facts) -> Child:
    return Child(date_of_birth=born_on, disability=disability, **facts)


def uc(
    claimant, *, partner=None, children=(), housing=Housing.RENT_PRIVATE, capital="0", on=OCT_2025
):
    household = Household(
        claimant=claimant, has_partner=partner is not None, partner=partner,
        children=tuple(children), housing=housing, capital=Decimal(capital),
    )  # fmt: skip
    return universal_credit.assess(household, on, rates_on(on))


def test_single_person_with_no_income_lists_every_element_and_deduction_at_nil():
    # Single, 30, renting, nothing coming in: £400.14, and every other line nil with a reason.
    result = uc(working_age(date(1995, 1, 1)))

    assert_itemised(result, OCT_2025)
    assert codes(result) == [
        "uc.standard_allowance",
        "uc.child_element",
        "uc.disabled_child_addition",
        "uc.lcwra_element",
        "uc.carer_element",
        "uc.housing_costs_element",
        "uc.earnings_deduction",
        *UC_UNEARNED,
        "uc.unearned_income.pension",
        "uc.capital_tariff_income",
    ]
    assert element(result, "uc.housing_costs_element").note == (
        "Not included: tell us how much rent you pay to include help with it."
    )
    assert result.left_out == ("monthly_rent",)
    standard = element(result, "uc.standard_allowance")
    assert standard.label == "Standard allowance (single, 25 or over)"
    assert standard.amount == Decimal("400.14")
    assert standard.rate == "uc.standard_allowance.single_25_plus"
    assert "Universal Credit Regulations 2013, reg. 36" in standard.rule
    assert element(result, "uc.child_element").note == "No children in the award."
    assert element(result, "uc.earnings_deduction").note == "No earnings."
    assert (
        element(result, "uc.capital_tariff_income").note == "Savings of £6,000 or less are ignored."
    )
    assert element(result, "uc.unearned_income.jsa").note == "Not assessed, so not counted."


def test_lone_parent_with_earnings_itemises_children_and_the_earnings_deduction():
    # Lone parent, 33, renting, earning £1,100, children born 2016 and 2019 (October 2025):
    # £400.14 + £339.00 + £292.81 − 55% × (£1,100 − £411) = £653.00.
    result = uc(
        working_age(date(1992, 5, 1), "1100"),
        children=[kid(date(2016, 9, 1)), kid(date(2019, 2, 1))],
    )

    assert_itemised(result, OCT_2025)
    assert result.amount == Decimal("653.00")
    children = [item for item in result.elements if item.code == "uc.child_element"]
    assert [(item.amount, item.rate) for item in children] == [
        (Decimal("339.00"), "uc.child_element.first_born_before_2017"),
        (Decimal("292.81"), "uc.child_element.other"),
    ]
    earnings = element(result, "uc.earnings_deduction")
    assert earnings.amount == Decimal("-378.95")
    assert earnings.rate == "uc.taper, uc.work_allowance.lower"
    assert "reg. 22" in earnings.rule
    assert element(result, "uc.disabled_child_addition").note == (
        "No child in the award gets a disability benefit or is registered blind."
    )


def test_a_child_left_out_by_the_two_child_limit_is_listed_at_nil():
    # Three children, the youngest born 2020 with no exception, October 2025: two child elements.
    result = uc(
        working_age(date(1990, 1, 1)),
        children=[kid(date(2016, 1, 1)), kid(date(2018, 1, 1)), kid(date(2020, 1, 1), two_child_limit_exception=False)],
    )  # fmt: skip

    assert_itemised(result, OCT_2025)
    children = [item for item in result.elements if item.code == "uc.child_element"]
    assert [item.amount for item in children] == [
        Decimal("339.00"),
        Decimal("292.81"),
        Decimal("0.00"),
    ]
    assert "two-child limit" in children[2].note
    assert "born 1 January 2020" in children[2].label


def test_from_april_2026_every_child_has_an_element():
    result = uc(
        working_age(date(1990, 1, 1)),
        children=[kid(date(2016, 1, 1)), kid(date(2018, 1, 1)), kid(date(2020, 1, 1), two_child_limit_exception=False, disability=ChildDisability.HIGHER)],
        on=NOV_2026,
    )  # fmt: skip

    assert_itemised(result, NOV_2026)
    children = [item for item in result.elements if item.code == "uc.child_element"]
    assert [item.amount for item in children] == [
        Decimal("351.88"),
        Decimal("303.94"),
        Decimal("303.94"),
    ]
    addition = element(result, "uc.disabled_child_addition")
    assert (addition.amount, addition.rate) == (Decimal("514.71"), "uc.disabled_child.higher")


def test_a_carer_with_lcwra_gets_the_lcwra_element_and_a_nil_carer_element():
    # Couple, November 2026: the claimant has LCWRA (new claim, no severe conditions) and
    # cares 40 hours; the partner cares too. One LCWRA element, one carer element, one nil.
    claimant = working_age(
        date(1985, 1, 1), lcwra=True, lcwra_claim_before_2026=False,
        severe_conditions_or_terminal=False, caring_hours=40, cared_for_gets_qualifying_benefit=True,
    )  # fmt: skip
    partner = working_age(date(1986, 1, 1), caring_hours=40, cared_for_gets_qualifying_benefit=True)
    result = uc(claimant, partner=partner, on=NOV_2026)

    assert_itemised(result, NOV_2026)
    lcwra = element(result, "uc.lcwra_element")
    assert (lcwra.amount, lcwra.rate) == (Decimal("217.26"), "uc.lcwra.new_claim")
    carers = [item for item in result.elements if item.code == "uc.carer_element"]
    assert [(item.label, item.amount) for item in carers] == [
        ("Carer element (you)", Decimal("0.00")),
        ("Carer element (your partner)", Decimal("209.34")),
    ]
    assert "LCWRA" in carers[0].note
    assert [item.code for item in result.elements].count("uc.unearned_income.pension") == 2


def test_deductions_rounded_line_by_line_still_add_up_to_the_award():
    # Earnings of £700.33 (55% is £385.1815), savings of £6,001 (£4.35), and Carer's
    # Allowance of £83.30 a week (£360.9666… a month), all through assess_all.
    claimant = Adult(
        date_of_birth=date(1990, 1, 1), monthly_earnings=Decimal("700.33"), lcwra=False,
        caring_hours=40, cared_for_gets_qualifying_benefit=True,
        weekly_earnings_for_carers=Decimal("100"), in_full_time_education=False,
        paid_class1_ni_last_2_years=False, pregnant=False,
    )  # fmt: skip
    household = Household(
        claimant=claimant, has_partner=False, children=(kid(date(2019, 1, 1)),),
        housing=Housing.NONE, capital=Decimal("6001"),
    )  # fmt: skip
    results = {
        result.benefit: result for result in assess_all(household, OCT_2025, rates_on(OCT_2025))
    }
    result = results["universal_credit"]

    assert_itemised(result, OCT_2025)
    assert element(result, "uc.unearned_income.carers_allowance").amount == Decimal("-360.97")
    assert element(result, "uc.capital_tariff_income").amount == Decimal("-4.35")
    assert (
        element(result, "uc.unearned_income.jsa").note == "Not paid to you, so nothing is counted."
    )


def test_a_benefit_still_undecided_is_a_nil_line_saying_so():
    household = Household(
        claimant=working_age(date(1990, 1, 1)), has_partner=False, children=(),
        housing=Housing.RENT_SOCIAL, capital=Decimal(0),
    )  # fmt: skip
    context = Context(results={"jsa": Result("jsa", Verdict.NEED_MORE_INFORMATION, missing=("x",))})
    result = universal_credit.assess(household, OCT_2025, rates_on(OCT_2025), context)

    assert element(result, "uc.unearned_income.jsa").note == ("Not known yet, so not counted.")


# --- Pension Credit ---------------------------------------------------------------------------


def pensioner(years=9, pension="0", earnings="0", born_on=date(1955, 3, 1)) -> Adult:
    return Adult(
        date_of_birth=born_on, ni_qualifying_years=years,
        weekly_pension_income=Decimal(pension), monthly_earnings=Decimal(earnings),
    )  # fmt: skip


def pc(claimant, partner=None, capital="0", on=OCT_2025, carers_allowance=None):
    household = Household(
        claimant=claimant,
        has_partner=partner is not None,
        partner=partner,
        capital=Decimal(capital),
    )
    rates = rates_on(on)
    context = Context()
    context.results["state_pension"] = state_pension.assess(household, on, rates, context)
    if carers_allowance is not None:
        context.results["carers_allowance"] = carers_allowance
    return pension_credit.assess(household, on, rates, context)


def test_pension_credit_is_the_guarantee_less_each_kind_of_income():
    # Single, 20 NI years (£131.57 State Pension), savings £12,750 (£6): £89.53 a week.
    result = pc(pensioner(years=20), capital="12750")

    assert_itemised(result, OCT_2025)
    assert codes(result) == [
        "pc.standard_minimum_guarantee",
        "pc.income.state_pension",
        "pc.income.other_pensions",
        "pc.income.earnings",
        "pc.income.carers_allowance",
        "pc.income.capital",
    ]
    assert [item.amount for item in result.elements] == [
        Decimal("227.10"), Decimal("-131.57"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
        Decimal("-6.00"),
    ]  # fmt: skip
    assert element(result, "pc.standard_minimum_guarantee").rate == "pc.guarantee.single"
    assert element(result, "pc.income.other_pensions").note == "No other pensions."
    assert element(result, "pc.income.carers_allowance").note == "Not assessed, so not counted."


def test_a_couple_has_lines_for_the_partners_income():
    # June 2026: the claimant has 35 years (£241.30), the partner 9 (no State Pension),
    # the partner earns £260 a month (£60 a week): £363.25 − £301.30 = £61.95.
    result = pc(
        pensioner(years=35),
        partner=pensioner(earnings="260", born_on=date(1956, 8, 1)),
        on=date(2026, 6, 1),
    )

    assert_itemised(result, date(2026, 6, 1))
    assert result.amount == Decimal("61.95")
    assert "pc.income.partner_state_pension" in codes(result)
    assert element(result, "pc.income.partner_earnings").amount == Decimal("-60.00")
    assert (
        "fewer than 10 qualifying years" in element(result, "pc.income.partner_state_pension").note
    )
    assert element(result, "pc.income.capital").note == "Savings of £10,000 or less do not count."


def test_carers_allowance_is_a_pension_credit_income_line():
    carers = Result(
        "carers_allowance", Verdict.ELIGIBLE, amount=Decimal("83.30"), period=Period.WEEK
    )
    result = pc(pensioner(pension="100"), carers_allowance=carers)

    assert_itemised(result, OCT_2025)
    assert element(result, "pc.income.carers_allowance").amount == Decimal("-83.30")
    assert element(result, "pc.income.other_pensions").amount == Decimal("-100.00")


# --- Flat-rate benefits -----------------------------------------------------------------------


def test_child_benefit_for_one_child_has_a_nil_line_for_other_children():
    result = child_benefit.assess(
        Household(children=(Child(date_of_birth=date(2020, 1, 1)),)), OCT_2025, rates_on(OCT_2025)
    )

    assert_itemised(result, OCT_2025)
    assert codes(result) == ["cb.eldest_child", "cb.additional_children"]
    assert element(result, "cb.additional_children").note == (
        "No other children count for Child Benefit."
    )


def test_child_benefit_for_three_children():
    children = tuple(Child(date_of_birth=date(year, 1, 1)) for year in (2015, 2018, 2021))
    result = child_benefit.assess(Household(children=children), OCT_2025, rates_on(OCT_2025))

    assert_itemised(result, OCT_2025)
    assert [item.amount for item in result.elements] == [Decimal("26.05"), Decimal("34.50")]
    assert element(result, "cb.additional_children").rate == "cb.additional"


def carer(**facts) -> Adult:
    answers = {
        "date_of_birth": date(1980, 3, 1), "caring_hours": 40,
        "cared_for_gets_qualifying_benefit": True, "weekly_earnings_for_carers": Decimal(0),
        "in_full_time_education": False,
    }  # fmt: skip
    answers.update(facts)
    return Adult(**answers)


def test_carers_allowance_without_a_state_pension_has_a_nil_overlap_line():
    result = carers_allowance.assess(Household(claimant=carer()), OCT_2025, rates_on(OCT_2025))

    assert_itemised(result, OCT_2025)
    assert codes(result) == ["ca.carers_allowance", "ca.state_pension_overlap"]
    assert element(result, "ca.state_pension_overlap").note == "You do not get a State Pension."


def test_carers_allowance_topping_up_a_small_state_pension_takes_the_pension_off():
    pension = Result("state_pension", Verdict.ELIGIBLE, amount=Decimal("50.00"), period=Period.WEEK)
    result = carers_allowance.assess(
        Household(claimant=carer(date_of_birth=date(1955, 1, 1))), OCT_2025, rates_on(OCT_2025),
        Context(results={"state_pension": pension}),
    )  # fmt: skip

    assert_itemised(result, OCT_2025)
    assert [item.amount for item in result.elements] == [Decimal("83.30"), Decimal("-50.00")]


def test_a_full_state_pension_has_a_nil_reduction_for_missing_years():
    household = Household(claimant=Adult(date_of_birth=date(1955, 3, 1), ni_qualifying_years=35))
    result = state_pension.assess(household, OCT_2025, rates_on(OCT_2025))

    assert_itemised(result, OCT_2025)
    assert codes(result) == ["sp.new_state_pension", "sp.missing_years"]
    assert "35 or more qualifying years" in element(result, "sp.missing_years").note


def test_a_part_state_pension_is_the_full_rate_less_the_missing_years():
    # 20 of 35 years: £230.25 − £98.68 = £131.57.
    household = Household(claimant=Adult(date_of_birth=date(1955, 3, 1), ni_qualifying_years=20))
    result = state_pension.assess(household, OCT_2025, rates_on(OCT_2025))

    assert_itemised(result, OCT_2025)
    assert [item.amount for item in result.elements] == [Decimal("230.25"), Decimal("-98.68")]
    assert element(result, "sp.missing_years").rate == "sp.full_rate, sp.full_years"


def jobseeker(born_on) -> Adult:
    return Adult(
        date_of_birth=born_on, paid_class1_ni_last_2_years=True, illness_prevents_work=False,
        available_for_work=True, weekly_hours_worked=Decimal(0), in_full_time_education=False,
    )  # fmt: skip


def test_jsa_has_one_personal_rate_by_age():
    young = jsa.assess(
        Household(claimant=jobseeker(date(2003, 1, 1))), OCT_2025, rates_on(OCT_2025)
    )
    older = jsa.assess(
        Household(claimant=jobseeker(date(1990, 1, 1))), OCT_2025, rates_on(OCT_2025)
    )

    assert_itemised(young, OCT_2025)
    assert_itemised(older, OCT_2025)
    assert [(item.code, item.rate) for item in young.elements] == [
        ("jsa.personal_rate", "jsa.under_25")
    ]
    assert [(item.code, item.rate) for item in older.elements] == [
        ("jsa.personal_rate", "jsa.25_plus")
    ]


def test_attendance_allowance_has_one_rate_line():
    def aa(care_need, terminally_ill=False):
        claimant = Adult(
            date_of_birth=date(1950, 1, 1), care_need=care_need, terminally_ill=terminally_ill,
            condition_long_term=True,
        )  # fmt: skip
        return attendance_allowance.assess(
            Household(claimant=claimant), OCT_2025, rates_on(OCT_2025)
        )

    for result, rate in [
        (aa(CareNeed.DAY_OR_NIGHT), "aa.lower"),
        (aa(CareNeed.DAY_AND_NIGHT), "aa.higher"),
        (aa(CareNeed.DAY_OR_NIGHT, terminally_ill=True), "aa.higher"),
    ]:
        assert_itemised(result, OCT_2025)
        assert [(item.code, item.rate) for item in result.elements] == [("aa.weekly_rate", rate)]


def expecting(earnings) -> Adult:
    return Adult(
        date_of_birth=date(1995, 1, 1), pregnant=True, baby_due_date=date(2026, 1, 15),
        worked_26_of_66_weeks=True, earned_30_a_week_in_13_weeks=True, entitled_to_smp=False,
        average_weekly_earnings=Decimal(earnings),
    )  # fmt: skip


def test_maternity_allowance_on_low_earnings_is_the_standard_rate_less_the_earnings_limit():
    # 90% of £150 = £135: £187.18 − £52.18.
    result = maternity_allowance.assess(
        Household(claimant=expecting("150")), OCT_2025, rates_on(OCT_2025)
    )

    assert_itemised(result, OCT_2025)
    assert [(item.code, item.amount) for item in result.elements] == [
        ("ma.standard_rate", Decimal("187.18")),
        ("ma.earnings_limit", Decimal("-52.18")),
    ]


def test_maternity_allowance_on_higher_earnings_has_a_nil_earnings_limit():
    result = maternity_allowance.assess(
        Household(claimant=expecting("300")), OCT_2025, rates_on(OCT_2025)
    )

    assert_itemised(result, OCT_2025)
    assert "at least the standard rate" in element(result, "ma.earnings_limit").note


def test_bereavement_support_itemises_the_monthly_payment_and_keeps_the_first_payment_extra():
    household = Household(
        claimant=Adult(date_of_birth=date(1985, 6, 1)),
        children=(Child(date_of_birth=date(2020, 3, 1)),),
        bereavement=Bereavement(
            partner_died_on=date(2025, 9, 1), was_married_or_civil_partners=True,
            partner_paid_ni_or_industrial_cause=True,
        ),
    )  # fmt: skip
    result = bereavement_support.assess(household, OCT_2025, rates_on(OCT_2025))

    assert_itemised(result, OCT_2025)
    assert [(item.code, item.amount, item.rate) for item in result.elements] == [
        ("bsp.monthly_payment", Decimal("350.00"), "bsp.higher.monthly")
    ]
    assert result.extras == (("First payment", Decimal("3500.00"), Period.ONCE),)


def test_pip_needs_an_assessment_so_it_has_no_elements():
    claimant = Adult(
        date_of_birth=date(1990, 1, 1), care_need=CareNeed.DAY_AND_NIGHT, mobility_need=True,
        terminally_ill=False, condition_long_term=True,
    )  # fmt: skip
    result = pip.assess(Household(claimant=claimant), OCT_2025, rates_on(OCT_2025))

    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert result.elements == ()


def test_elements_are_in_the_result_dictionary():
    result = uc(working_age(date(1995, 1, 1)))

    first, second = result.as_dict()["elements"][:2]
    assert first == {
        "code": "uc.standard_allowance",
        "label": "Standard allowance (single, 25 or over)",
        "amount": "400.14",
        "period": "month",
        "rule": "Universal Credit Regulations 2013, reg. 36",
        "rate": "uc.standard_allowance.single_25_plus",
        "note": "",
    }
    assert (second["amount"], second["note"]) == ("0.00", "No children in the award.")


# --- Properties -------------------------------------------------------------------------------

maybe_money = st.decimals(min_value=0, max_value=3000, places=2)
complete_adults = st.builds(
    Adult,
    date_of_birth=born(18, 90),
    monthly_earnings=maybe_money,
    weekly_hours_worked=st.decimals(min_value=0, max_value=40, places=1),
    weekly_pension_income=st.decimals(min_value=0, max_value=300, places=2),
    lcwra=st.booleans(),
    lcwra_claim_before_2026=st.booleans(),
    severe_conditions_or_terminal=st.booleans(),
    care_need=st.sampled_from(list(CareNeed)),
    mobility_need=st.booleans(),
    condition_long_term=st.booleans(),
    terminally_ill=st.booleans(),
    caring_hours=st.integers(min_value=0, max_value=60),
    cared_for_gets_qualifying_benefit=st.booleans(),
    weekly_earnings_for_carers=st.decimals(min_value=0, max_value=300, places=2),
    in_full_time_education=st.booleans(),
    paid_class1_ni_last_2_years=st.booleans(),
    available_for_work=st.booleans(),
    illness_prevents_work=st.booleans(),
    ni_qualifying_years=st.integers(min_value=0, max_value=45),
    pregnant=st.booleans(),
    baby_due_date=born(-1, 1),
    worked_26_of_66_weeks=st.booleans(),
    earned_30_a_week_in_13_weeks=st.booleans(),
    entitled_to_smp=st.booleans(),
    average_weekly_earnings=st.decimals(min_value=0, max_value=600, places=2),
)
complete_households = st.builds(
    Household,
    claimant=complete_adults,
    has_partner=st.booleans(),
    partner=complete_adults,
    children=st.lists(
        st.builds(
            Child,
            date_of_birth=born(0, 19),
            in_approved_education=st.booleans(),
            disability=st.sampled_from(list(ChildDisability)),
            two_child_limit_exception=st.booleans(),
        ),
        max_size=5,
    ).map(tuple),
    housing=st.sampled_from(list(Housing)),
    capital=st.decimals(min_value=0, max_value=20_000, places=2),
    lives_in_great_britain=st.just(True),
    bereavement=st.builds(
        Bereavement,
        partner_died_on=st.none() | born(0, 2),
        was_married_or_civil_partners=st.booleans(),
        partner_paid_ni_or_industrial_cause=st.booleans(),
    ),
)


def assert_elements_add_up(results: list[Result]) -> None:
    for result in results:
        if result.verdict is not Verdict.ELIGIBLE:
            continue
        assert result.elements, f"{result.benefit} is eligible but gives no elements"
        for item in result.elements:
            if item.amount == 0:
                assert item.note, f"{result.benefit}: {item.code} is nil without a note"
        if result.amount is not None:
            assert sum(item.amount for item in result.elements) == result.amount, result.benefit
            assert all(item.period is result.period for item in result.elements)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(household=households, on=DATES)
def test_for_any_household_eligible_elements_add_up_to_the_amount(household, on):
    assert_elements_add_up(assess_all(household, on, rates_on(on)))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(household=complete_households, on=DATES)
def test_for_any_fully_answered_household_eligible_elements_add_up_to_the_amount(household, on):
    assert_elements_add_up(assess_all(household, on, rates_on(on)))
