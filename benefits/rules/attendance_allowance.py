"""Attendance Allowance (DWP): a weekly amount for care needs from State Pension age.

benefit-rates.md §7. Lower rate for help or supervision by day or at night, higher rate for
both, or for anyone terminally ill (special rules: no 6-month wait). Otherwise the person
must have needed the help for at least 6 months. Not means-tested. The agency decides the
rate from a claim form, so the amount here is an estimate of the rate that fits the answers.
An award already in payment (``Adult.attendance_allowance``) is reported at its rate instead.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from benefits.rules.base import (
    AttendanceRate,
    CareNeed,
    Context,
    Element,
    Household,
    Period,
    Rates,
    Result,
    Verdict,
    gbp,
    has_reached_state_pension_age,
    money,
    more_information,
    need,
    state_pension_age_date,
)
from benefits.rules.state_pension import long_date

CODE = "attendance_allowance"
RULE = "Social Security Contributions and Benefits Act 1992, s.65"


def _special_rules_line() -> str:
    return _(
        "If you are terminally ill, you can claim under the special rules: you get the higher rate straight away, with no waiting period."
    )


def _in_payment(award: AttendanceRate, rates: Rates) -> Result:
    rate = f"aa.{award.value}"
    amount = money(rates[rate])
    label = (
        _("Higher rate, in payment")
        if award is AttendanceRate.HIGHER
        else _("Lower rate, in payment")
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=amount,
        period=Period.WEEK,
        explanation=(
            _("You get Attendance Allowance at the %(rate)s: %(amount)s a week.")
            % {
                "rate": _("higher rate") if award is AttendanceRate.HIGHER else _("lower rate"),
                "amount": gbp(amount),
            },
            _(
                "Attendance Allowance is not counted as income for Pension Credit or Universal Credit, and it can mean a carer gets Carer's Allowance."
            ),
            _("If your needs change, tell us: your award can be looked at again."),
        ),
        elements=(
            Element(
                code="aa.weekly_rate",
                label=label,
                amount=amount,
                period=Period.WEEK,
                rule=RULE,
                rate=rate,
            ),
        ),
    )


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    missing: list[str] = []
    if claimant.attendance_allowance in (AttendanceRate.LOWER, AttendanceRate.HIGHER):
        return _in_payment(claimant.attendance_allowance, rates)
    if not need(claimant.date_of_birth, missing, "claimant.date_of_birth"):
        return more_information(CODE, missing)
    if not has_reached_state_pension_age(claimant.date_of_birth, on):
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "Attendance Allowance is for people who have reached State Pension age. You reach it on %(date)s."
                )
                % {"date": long_date(state_pension_age_date(claimant.date_of_birth))},
                _(
                    "Under State Pension age, Personal Independence Payment (PIP) is the benefit for help with daily living or getting around."
                ),
            ),
        )
    if not need(claimant.care_need, missing, "claimant.care_need"):
        return more_information(CODE, missing)
    if claimant.care_need is CareNeed.NONE:
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "Attendance Allowance is for people who need help with personal care, or someone to keep an eye on them, because of an illness or disability."
                ),
                _special_rules_line(),
            ),
        )
    if not need(claimant.terminally_ill, missing, "claimant.terminally_ill"):
        return more_information(CODE, missing)
    lower, higher = rates["aa.lower"], rates["aa.higher"]
    if claimant.terminally_ill:
        amount, rate = higher, "aa.higher"
        label = _("Higher rate, under the special rules for people who are terminally ill")
        lines = [
            _(
                "Because you are terminally ill, you can get the higher rate under the special rules, without waiting 6 months: %(amount)s a week."
            )
            % {"amount": gbp(higher)}
        ]
    else:
        if not need(claimant.condition_long_term, missing, "claimant.condition_long_term"):
            return more_information(CODE, missing)
        if not claimant.condition_long_term:
            return Result(
                benefit=CODE,
                verdict=Verdict.NOT_ELIGIBLE,
                explanation=(
                    _(
                        "You need to have needed this help for at least 6 months before Attendance Allowance can be paid. You can claim once you have."
                    ),
                    _special_rules_line(),
                ),
            )
        if claimant.care_need is CareNeed.DAY_AND_NIGHT:
            amount, rate = higher, "aa.higher"
            label = _("Higher rate, for help or supervision both during the day and at night")
            lines = [
                _(
                    "Higher rate, for help or supervision both during the day and at night: %(amount)s a week."
                )
                % {"amount": gbp(higher)}
            ]
        else:
            amount, rate = lower, "aa.lower"
            label = _("Lower rate, for help or supervision during the day or at night")
            lines = [
                _(
                    "Lower rate, for help or supervision during the day or at night: %(amount)s a week."
                )
                % {"amount": gbp(lower)},
                _(
                    "If you need help both during the day and at night, the higher rate is %(amount)s a week."
                )
                % {"amount": gbp(higher)},
            ]
    lines.append(
        _("Attendance Allowance is not means-tested: your income and savings do not matter.")
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=money(amount),
        period=Period.WEEK,
        explanation=tuple(lines),
        caveats=(
            _(
                "This is an estimate: the Department for Work and Pensions decides whether you get it, and at which rate, from your claim form."
            ),
        ),
        elements=(
            Element(
                code="aa.weekly_rate",
                label=label,
                amount=money(amount),
                period=Period.WEEK,
                rule=RULE,
                rate=rate,
            ),
        ),
    )
