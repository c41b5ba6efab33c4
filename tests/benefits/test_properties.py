"""Properties every rule must keep, for any well-typed household (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits.rules import assess_all, child_benefit, universal_credit
from benefits.rules.base import (
    Adult,
    AttendanceRate,
    Bereavement,
    CareNeed,
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

DATES = st.sampled_from([date(2025, 10, 1), date(2026, 4, 5), date(2026, 4, 6), date(2026, 11, 25)])
money = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False)
maybe = st.none() | st.booleans()


def born(min_age: int, max_age: int):
    return st.integers(min_value=min_age * 365, max_value=max_age * 365).map(
        lambda days: date(2026, 11, 25) - timedelta(days=days)
    )


adults = st.builds(
    Adult,
    date_of_birth=st.none() | born(16, 95),
    monthly_earnings=st.none() | money,
    weekly_hours_worked=st.none() | st.decimals(min_value=0, max_value=80, places=1),
    weekly_pension_income=st.none() | st.decimals(min_value=0, max_value=2000, places=2),
    lcwra=maybe,
    lcwra_claim_before_2026=maybe,
    severe_conditions_or_terminal=maybe,
    care_need=st.none() | st.sampled_from(list(CareNeed)),
    mobility_need=maybe,
    condition_long_term=maybe,
    terminally_ill=maybe,
    caring_hours=st.none() | st.integers(min_value=0, max_value=168),
    cared_for_gets_qualifying_benefit=maybe,
    weekly_earnings_for_carers=st.none() | st.decimals(min_value=0, max_value=5000, places=2),
    in_full_time_education=maybe,
    paid_class1_ni_last_2_years=maybe,
    available_for_work=maybe,
    illness_prevents_work=maybe,
    ni_qualifying_years=st.none() | st.integers(min_value=0, max_value=50),
    baby_due_date=st.none() | born(-1, 1),
    worked_26_of_66_weeks=maybe,
    earned_30_a_week_in_13_weeks=maybe,
    entitled_to_smp=maybe,
    average_weekly_earnings=st.none() | st.decimals(min_value=0, max_value=5000, places=2),
    pip_daily_living=st.none() | st.sampled_from(list(PipRate)),
    pip_mobility=st.none() | st.sampled_from(list(PipRate)),
    attendance_allowance=st.none() | st.sampled_from(list(AttendanceRate)),
    weekly_state_pension=st.none() | st.decimals(min_value=0, max_value=400, places=2),
    gets_carers_allowance=maybe,
    cares_for_partner=maybe,
    registered_blind=maybe,
    adjusted_net_income=st.none() | st.decimals(min_value=0, max_value=200_000, places=0),
)
children = st.builds(
    Child,
    date_of_birth=st.none() | born(0, 19),
    in_approved_education=maybe,
    disability=st.none() | st.sampled_from(list(ChildDisability)),
    two_child_limit_exception=maybe,
    sex=st.none() | st.sampled_from(list(Sex)),
)
non_dependants = st.builds(
    NonDependant,
    date_of_birth=st.none() | born(16, 90),
    gets_disability_or_carer_benefit=maybe,
    responsible_for_child_under_5=maybe,
)
households = st.builds(
    Household,
    claimant=adults,
    has_partner=maybe,
    partner=st.none() | adults,
    children=st.none() | st.lists(children, max_size=6).map(tuple),
    housing=st.none() | st.sampled_from(list(Housing)),
    capital=st.none() | st.decimals(min_value=0, max_value=1_000_000, places=2),
    lives_in_great_britain=maybe,
    bereavement=st.none()
    | st.builds(
        Bereavement,
        partner_died_on=st.none() | born(0, 3),
        was_married_or_civil_partners=maybe,
        partner_paid_ni_or_industrial_cause=maybe,
    ),
    monthly_rent=st.none() | st.decimals(min_value=0, max_value=3000, places=2),
    monthly_mortgage=st.none() | st.decimals(min_value=0, max_value=3000, places=2),
    bedrooms=st.none() | st.integers(min_value=0, max_value=8),
    non_dependants=st.none() | st.lists(non_dependants, max_size=3).map(tuple),
    needs_overnight_carer=maybe,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(household=households, on=DATES)
def test_rules_never_raise_and_never_return_a_negative_amount(household, on):
    for result in assess_all(household, on, rates_on(on)):
        assert result.amount is None or result.amount >= 0
        if result.verdict is Verdict.NEED_MORE_INFORMATION:
            assert result.missing, f"{result.benefit} needs information but names none"
        for _label, amount, _period in result.extras:
            assert amount >= 0


complete_working_age = st.builds(
    Adult,
    date_of_birth=born(18, 60),
    monthly_earnings=money,
    lcwra=st.booleans(),
    lcwra_claim_before_2026=st.booleans(),
    severe_conditions_or_terminal=st.booleans(),
    caring_hours=st.integers(min_value=0, max_value=60),
    cared_for_gets_qualifying_benefit=st.booleans(),
    weekly_pension_income=st.just(Decimal(0)),
)


@settings(max_examples=300, deadline=None)
@given(
    claimant=complete_working_age,
    kids=st.lists(
        st.builds(
            Child,
            date_of_birth=born(0, 15),
            disability=st.sampled_from(list(ChildDisability)),
            two_child_limit_exception=st.booleans(),
        ),
        max_size=5,
    ),
    housing=st.sampled_from(list(Housing)),
    capital=st.decimals(min_value=0, max_value=16_000, places=2),
    raise_by=st.decimals(min_value=Decimal("0.01"), max_value=5000, places=2),
    on=DATES,
)
def test_universal_credit_never_increases_when_earnings_rise(
    claimant, kids, housing, capital, raise_by, on
):
    household = Household(
        claimant=claimant, has_partner=False, children=tuple(kids), housing=housing, capital=capital
    )
    richer = replace(
        household, claimant=replace(claimant, monthly_earnings=claimant.monthly_earnings + raise_by)
    )
    before = universal_credit.assess(household, on, rates_on(on))
    after = universal_credit.assess(richer, on, rates_on(on))
    assert before.verdict is not Verdict.NEED_MORE_INFORMATION
    assert (after.amount or 0) <= (before.amount or 0)


@settings(max_examples=300, deadline=None)
@given(
    kids=st.lists(
        st.builds(Child, date_of_birth=born(0, 19), in_approved_education=st.booleans()), max_size=8
    ),
    newborn=born(0, 15),
    on=DATES,
)
def test_adding_a_child_never_lowers_child_benefit(kids, newborn, on):
    before = child_benefit.assess(Household(children=tuple(kids)), on, rates_on(on))
    after = child_benefit.assess(
        Household(children=(*kids, Child(date_of_birth=newborn))), on, rates_on(on)
    )
    assert (after.amount or 0) >= (before.amount or 0)


@settings(max_examples=300, deadline=None)
@given(
    claimant=complete_working_age,
    kids=st.lists(
        st.builds(
            Child,
            date_of_birth=born(0, 15),
            disability=st.sampled_from(list(ChildDisability)),
            two_child_limit_exception=st.booleans(),
            sex=st.sampled_from(list(Sex)),
        ),
        max_size=4,
    ),
    housing=st.sampled_from([Housing.RENT_PRIVATE, Housing.RENT_SOCIAL]),
    rent=st.decimals(min_value=0, max_value=2000, places=2),
    more=st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    bedrooms=st.integers(min_value=1, max_value=6),
    on=DATES,
)
def test_a_higher_rent_never_lowers_universal_credit(
    claimant, kids, housing, rent, more, bedrooms, on
):
    household = Household(
        claimant=replace(claimant, pip_daily_living=PipRate.NONE, registered_blind=False),
        has_partner=False, children=tuple(kids), housing=housing, capital=Decimal(0),
        monthly_rent=rent, bedrooms=bedrooms, non_dependants=(), needs_overnight_carer=False,
    )  # fmt: skip
    before = universal_credit.assess(household, on, rates_on(on))
    after = universal_credit.assess(replace(household, monthly_rent=rent + more), on, rates_on(on))
    assert before.verdict is not Verdict.NEED_MORE_INFORMATION, before.missing
    assert (after.amount or 0) >= (before.amount or 0)


@settings(max_examples=300, deadline=None)
@given(
    income=st.decimals(min_value=0, max_value=200_000, places=2),
    more=st.decimals(min_value=Decimal("0.01"), max_value=50_000, places=2),
    kids=st.lists(st.builds(Child, date_of_birth=born(0, 15)), min_size=1, max_size=5),
    on=DATES,
)
def test_the_child_benefit_charge_rises_with_income_and_never_exceeds_the_benefit(
    income, more, kids, on
):
    def charge(ani):
        household = Household(
            claimant=Adult(adjusted_net_income=ani), has_partner=False, children=tuple(kids)
        )
        result = child_benefit.assess(household, on, rates_on(on))
        yearly = (result.amount or 0) * 52
        taken = -sum((c.amount for c in result.charges), Decimal(0))
        assert 0 <= taken <= yearly
        return taken

    assert charge(income + more) >= charge(income)
