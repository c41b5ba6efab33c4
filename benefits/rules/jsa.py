"""New Style Jobseeker's Allowance (DWP): contribution-based, weekly, not means-tested.

benefit-rates.md §6. Conditions, asked in order: age (18 or over and under State Pension
age), Class 1 National Insurance paid in the last 2 tax years, illness (someone too ill to
work is pointed to New Style ESA), availability for work, hours worked (fewer than
``jsa.max_hours``), full-time education (the same fact Carer's Allowance asks). A known
answer that rules the person out ends the assessment without asking the rest.

Savings and a partner's income or savings do not matter. Not modelled: reductions for
part-time earnings and for pension income (their thresholds were not confirmed), and the
rule that credits can count for one of the two tax years (the screener's question covers it).

The ages 18 (youngest claimant) and 25 (the higher rate) have no parameter in the rates
table; they are the statutory ages behind ``jsa.under_25`` and ``jsa.25_plus``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from benefits.rules.base import (
    Context,
    Element,
    Household,
    Period,
    Rates,
    Result,
    Verdict,
    age_on,
    gbp,
    has_reached_state_pension_age,
    money,
    more_information,
    need,
)

CODE = "jsa"
RULE = "Jobseekers Act 1995, s.4"

_MIN_AGE = 18  # statutory: no parameter in the rates table
_HIGHER_RATE_AGE = 25  # the age behind jsa.under_25 / jsa.25_plus


def _not_eligible(*lines: str) -> Result:
    return Result(benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=tuple(lines))


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    missing: list[str] = []
    age: int | None = None
    if need(claimant.date_of_birth, missing, "claimant.date_of_birth"):
        age = age_on(claimant.date_of_birth, on)
        if age < _MIN_AGE:
            return _not_eligible(
                _("You must be %(age)d or over to get New Style Jobseeker's Allowance.")
                % {"age": _MIN_AGE}
            )
        if has_reached_state_pension_age(claimant.date_of_birth, on):
            return _not_eligible(
                _(
                    "New Style Jobseeker's Allowance stops at State Pension age. Check your State Pension and Pension Credit instead."
                ),
            )
    if (
        need(claimant.paid_class1_ni_last_2_years, missing, "claimant.paid_class1_ni_last_2_years")
        and not claimant.paid_class1_ni_last_2_years
    ):
        return _not_eligible(
            _(
                "New Style Jobseeker's Allowance needs Class 1 National Insurance paid as an employee in the last 2 full tax years (credits can count for one of them)."
            ),
            _("You may be able to get Universal Credit instead."),
        )
    if (
        need(claimant.illness_prevents_work, missing, "claimant.illness_prevents_work")
        and claimant.illness_prevents_work
    ):
        return _not_eligible(
            _(
                "Jobseeker's Allowance is for people who can work. If illness or disability stops you working, you may be able to get New Style Employment and Support Allowance (ESA) instead."
            ),
        )
    if (
        need(claimant.available_for_work, missing, "claimant.available_for_work")
        and not claimant.available_for_work
    ):
        return _not_eligible(
            _(
                "You must be available for work and actively looking for it to get New Style Jobseeker's Allowance."
            ),
        )
    max_hours = rates["jsa.max_hours"]
    hours = claimant.weekly_hours_worked
    if need(hours, missing, "claimant.weekly_hours_worked") and hours >= max_hours:
        return _not_eligible(
            _(
                "New Style Jobseeker's Allowance is only for people working fewer than %(max)d hours a week; you work %(hours)s."
            )
            % {"max": int(max_hours), "hours": f"{Decimal(hours).normalize():f}"},
        )
    if (
        need(claimant.in_full_time_education, missing, "claimant.in_full_time_education")
        and claimant.in_full_time_education
    ):
        return _not_eligible(
            _(
                "You cannot get New Style Jobseeker's Allowance while you are in full-time education."
            ),
        )
    if missing or age is None:  # age is known once the date of birth is
        return more_information(CODE, missing)

    if age < _HIGHER_RATE_AGE:
        rate_name = "jsa.under_25"
        rate = rates[rate_name]
        label = _("Personal rate, age %(low)d to %(high)d") % {
            "low": _MIN_AGE,
            "high": _HIGHER_RATE_AGE - 1,
        }
        rate_line = _("Age %(low)d to %(high)d: %(rate)s a week.") % {
            "low": _MIN_AGE,
            "high": _HIGHER_RATE_AGE - 1,
            "rate": gbp(rate),
        }
    else:
        rate_name = "jsa.25_plus"
        rate = rates[rate_name]
        label = _("Personal rate, age %(age)d or over") % {"age": _HIGHER_RATE_AGE}
        rate_line = _("Age %(age)d or over: %(rate)s a week.") % {
            "age": _HIGHER_RATE_AGE,
            "rate": gbp(rate),
        }
    days = int(rates["jsa.max_days"])
    lines = [
        rate_line,
        _(
            "Paid for up to %(days)d days (about %(weeks)d weeks); after that you may be able to get Universal Credit."
        )
        % {"days": days, "weeks": days // 7},
        _(
            "Your savings and your partner's income or savings do not affect New Style Jobseeker's Allowance."
        ),
        _("New Style Jobseeker's Allowance counts as income for Universal Credit."),
    ]
    caveats = (
        _(
            "This estimate does not include reductions for part-time earnings or for a pension you get."
        ),
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=money(rate),
        period=Period.WEEK,
        explanation=tuple(lines),
        caveats=caveats,
        elements=(
            Element(
                code="jsa.personal_rate",
                label=label,
                amount=money(rate),
                period=Period.WEEK,
                rule=RULE,
                rate=rate_name,
            ),
        ),
    )
