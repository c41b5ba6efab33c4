"""Awards already in payment, entered as facts and counted by every rule that depends on them.

benefit-rates.md: PIP §10 and Attendance Allowance §7 (not income for UC or Pension Credit;
PIP daily living and AA make the cared-for person's benefit qualifying for Carer's
Allowance); State Pension §4 (income for UC and Pension Credit); Carer's Allowance §3
(counts in full as unearned income in UC; income for Pension Credit; not paid on top of
the State Pension). UC converts weekly amounts to monthly × 52 ÷ 12.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import (
    assess_all,
    attendance_allowance,
    carers_allowance,
    pension_credit,
    pip,
    state_pension,
    universal_credit,
)
from benefits.rules.base import (
    Adult,
    AttendanceRate,
    Context,
    Household,
    Housing,
    PipRate,
    Verdict,
)
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
NOV_2026 = date(2026, 11, 25)
PENSIONER = date(1950, 1, 1)


def run(rule, household, on=OCT_2025, context=None):
    return rule.assess(household, on, rates_on(on), context or Context())


def with_state_pension(household, on=OCT_2025):
    context = Context()
    context.results["state_pension"] = run(state_pension, household, on)
    return context


def test_pip_in_payment_is_reported_at_its_rates_even_after_state_pension_age():
    # Daily living enhanced £110.40 + mobility standard £29.20 = £139.60 a week (2025/26).
    for born in (date(1990, 1, 1), PENSIONER):
        claimant = Adult(
            date_of_birth=born, pip_daily_living=PipRate.ENHANCED, pip_mobility=PipRate.STANDARD
        )
        result = run(pip, Household(claimant=claimant))
        assert result.verdict is Verdict.ELIGIBLE
        assert result.amount == Decimal("139.60")
        assert [(e.code, e.rate) for e in result.elements] == [
            ("pip.daily_living", "pip.daily_living.enhanced"),
            ("pip.mobility", "pip.mobility.standard"),
        ]
    # 2026/27, daily living standard only: £76.70.
    only_daily = Adult(date_of_birth=date(1990, 1, 1), pip_daily_living=PipRate.STANDARD)
    assert run(pip, Household(claimant=only_daily), NOV_2026).amount == Decimal("76.70")


def test_attendance_allowance_in_payment_is_reported_at_its_rate():
    # Higher rate: £110.40 (2025/26), £114.60 (2026/27).
    claimant = Adult(date_of_birth=PENSIONER, attendance_allowance=AttendanceRate.HIGHER)
    assert run(attendance_allowance, Household(claimant=claimant)).amount == Decimal("110.40")
    assert run(attendance_allowance, Household(claimant=claimant), NOV_2026).amount == Decimal(
        "114.60"
    )


def test_state_pension_in_payment_replaces_the_estimate_and_pension_credit_counts_it():
    # Reached State Pension age before 2016, basic State Pension of £176.45 in payment.
    # Pension Credit: £227.10 − £176.45 = £50.65 a week; no qualifying years asked.
    claimant = Adult(
        date_of_birth=PENSIONER, weekly_state_pension=Decimal("176.45"),
        weekly_pension_income=Decimal(0), monthly_earnings=Decimal(0),
    )  # fmt: skip
    household = Household(claimant=claimant, has_partner=False, capital=Decimal(0))

    sp = run(state_pension, household)
    assert (sp.verdict, sp.amount) == (Verdict.ELIGIBLE, Decimal("176.45"))
    result = run(pension_credit, household, context=with_state_pension(household))
    assert result.amount == Decimal("50.65")


def test_a_couples_pensions_in_payment_and_attendance_allowance_which_is_not_income():
    # Couple: claimant £176.45 State Pension and Attendance Allowance (not income), partner
    # £105.70 State Pension. £346.60 − £176.45 − £105.70 = £64.45 a week.
    claimant = Adult(
        date_of_birth=PENSIONER, weekly_state_pension=Decimal("176.45"),
        attendance_allowance=AttendanceRate.LOWER, weekly_pension_income=Decimal(0),
        monthly_earnings=Decimal(0),
    )  # fmt: skip
    partner = Adult(
        date_of_birth=date(1951, 6, 1), weekly_state_pension=Decimal("105.70"),
        weekly_pension_income=Decimal(0), monthly_earnings=Decimal(0),
    )  # fmt: skip
    household = Household(claimant=claimant, has_partner=True, partner=partner, capital=Decimal(0))
    result = run(pension_credit, household, context=with_state_pension(household))

    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("64.45")
    partner_sp = [e for e in result.elements if e.code == "pc.income.partner_state_pension"]
    assert partner_sp[0].amount == Decimal("-105.70")
    assert any("severe disability addition" in line for line in result.explanation)


def test_pension_credit_counts_a_partners_carers_allowance_above_their_state_pension():
    # Partner with £50 State Pension and Carer's Allowance £83.30: paid £33.30 on top.
    # Claimant £176.45. £346.60 − £176.45 − £50.00 − £33.30 = £86.85 a week.
    claimant = Adult(
        date_of_birth=PENSIONER, weekly_state_pension=Decimal("176.45"),
        weekly_pension_income=Decimal(0), monthly_earnings=Decimal(0),
    )  # fmt: skip
    partner = Adult(
        date_of_birth=date(1951, 6, 1), weekly_state_pension=Decimal("50.00"),
        gets_carers_allowance=True, weekly_pension_income=Decimal(0), monthly_earnings=Decimal(0),
    )  # fmt: skip
    household = Household(claimant=claimant, has_partner=True, partner=partner, capital=Decimal(0))
    result = run(pension_credit, household, context=with_state_pension(household))

    assert result.amount == Decimal("86.85")
    assert any("carer addition" in line for line in result.explanation)


def test_a_partners_pip_daily_living_makes_caring_for_them_qualify_for_carers_allowance():
    # Cares 40 hours a week for her partner, who gets PIP daily living: £83.30 a week,
    # without being asked whether the person cared for gets a qualifying benefit.
    claimant = Adult(
        date_of_birth=date(1985, 1, 1), caring_hours=40, cares_for_partner=True,
        weekly_earnings_for_carers=Decimal(0), in_full_time_education=False,
    )  # fmt: skip
    partner = Adult(date_of_birth=date(1984, 1, 1), pip_daily_living=PipRate.STANDARD)
    result = run(carers_allowance, Household(claimant=claimant, has_partner=True, partner=partner))

    assert (result.verdict, result.amount) == (Verdict.ELIGIBLE, Decimal("83.30"))
    mobility_only = Adult(date_of_birth=date(1984, 1, 1), pip_mobility=PipRate.ENHANCED)
    asked = run(
        carers_allowance, Household(claimant=claimant, has_partner=True, partner=mobility_only)
    )
    assert asked.missing == ("claimant.cared_for_gets_qualifying_benefit",)


def working_age(born, **extra) -> Adult:
    return Adult(date_of_birth=born, monthly_earnings=Decimal(0), lcwra=False, **extra)


def test_universal_credit_counts_a_partners_carers_allowance_and_gives_the_carer_element():
    # Couple 40 and 38, no children, no housing costs; the partner gets Carer's Allowance.
    # £628.10 + carer element £201.68 = £829.78; Carer's Allowance £83.30 × 52 ÷ 12 =
    # £360.9667 counted in full: £829.78 − £360.9667 = £468.8133 → £468.81 a month.
    household = Household(
        claimant=working_age(date(1985, 1, 1), caring_hours=0),
        has_partner=True, partner=working_age(date(1987, 1, 1), gets_carers_allowance=True),
        children=(), housing=Housing.NONE, capital=Decimal(0),
    )  # fmt: skip
    result = run(universal_credit, household)

    assert result.amount == Decimal("468.81")
    (counted,) = [e for e in result.elements if e.code.endswith("partner_carers_allowance")]
    assert counted.amount == Decimal("-360.97")


def test_universal_credit_counts_the_claimants_carers_allowance_in_payment_when_undecided():
    # Single, 30, gets Carer's Allowance; caring hours not given, so the Carer's Allowance
    # rule is undecided, but the award in payment counts: £400.14 + £201.68 = £601.82,
    # less £360.9667: £240.8533 → £240.85 a month.
    household = Household(
        claimant=working_age(date(1995, 1, 1), gets_carers_allowance=True),
        has_partner=False, children=(), housing=Housing.NONE, capital=Decimal(0),
    )  # fmt: skip
    results = {r.benefit: r for r in assess_all(household, OCT_2025, rates_on(OCT_2025))}

    assert results["carers_allowance"].verdict is Verdict.NEED_MORE_INFORMATION
    assert results["universal_credit"].amount == Decimal("240.85")
    assert not any(
        "If you get Carer's Allowance" in line for line in results["universal_credit"].explanation
    )


def test_caring_that_drops_below_35_hours_stops_carers_allowance_even_if_in_payment():
    # Caring 20 hours: Carer's Allowance would stop, so UC neither counts it nor gives the
    # carer element: £400.14.
    household = Household(
        claimant=working_age(date(1995, 1, 1), gets_carers_allowance=True, caring_hours=20),
        has_partner=False, children=(), housing=Housing.NONE, capital=Decimal(0),
    )  # fmt: skip
    results = {r.benefit: r for r in assess_all(household, OCT_2025, rates_on(OCT_2025))}

    assert results["carers_allowance"].verdict is Verdict.NOT_ELIGIBLE
    assert results["universal_credit"].amount == Decimal("400.14")


def test_universal_credit_counts_a_partners_state_pension_in_payment():
    # Mixed-age couple: claimant 35, partner 70 with £100 State Pension a week.
    # £628.10 − £100 × 52 ÷ 12 (£433.3333) = £194.7667 → £194.77 a month.
    household = Household(
        claimant=working_age(date(1990, 1, 1), caring_hours=0),
        has_partner=True,
        partner=working_age(
            date(1955, 6, 1), caring_hours=0, weekly_state_pension=Decimal(100),
            weekly_pension_income=Decimal(0),
        ),
        children=(), housing=Housing.NONE, capital=Decimal(0),
    )  # fmt: skip
    result = run(universal_credit, household)

    assert result.amount == Decimal("194.77")
