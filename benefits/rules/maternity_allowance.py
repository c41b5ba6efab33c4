"""Maternity Allowance (DWP): a weekly amount for up to ``ma.weeks`` weeks, for people who
are pregnant or have just had a baby and cannot get Statutory Maternity Pay.

benefit-rates.md §8. Amount = the lower of ``ma.standard`` and ``ma.earnings_fraction`` times
average weekly earnings. Conditions, asked in the screener's order (§11): employed or
self-employed for 26 of the 66 weeks before the due week, earned at least
``ma.earnings_threshold`` a week in 13 of them, not entitled to Statutory Maternity Pay,
then the average weekly earnings for the amount. A known answer that rules the person out
ends the assessment without asking the rest.

Simplifications:

* ``claimant.pregnant`` is asked first ("pregnant, or had a baby in the last 39 weeks");
  no means NOT_ELIGIBLE, yes asks for the due date.
* A due date more than ``ma.weeks`` weeks in the past: NOT_ELIGIBLE (any award would have
  ended).
* The lower rate (``ma.lower``, e.g. unpaid work in a spouse's or civil partner's
  self-employed business) is not assessed; the explanation mentions it.
* Claim timing is explained, not checked: a claim from 26 weeks of pregnancy (14 weeks
  before the due date, taking a 40-week pregnancy) and payment from 11 weeks before the
  week the baby is due (that week starts on a Sunday). These statutory week counts have no
  parameter in the rates table.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benefits.rules.base import (
    NIL,
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
)

CODE = "maternity_allowance"
RULE = "Social Security Contributions and Benefits Act 1992, s.35A"

_FULL_TERM_WEEKS = 40  # the due date is 40 weeks of pregnancy
_CLAIM_FROM_WEEKS_PREGNANT = 26
_PAY_FROM_WEEKS_BEFORE_DUE_WEEK = 11


def _not_eligible(*lines: str) -> Result:
    return Result(benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=tuple(lines))


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def _due_week_start(due: date) -> date:
    """The Sunday that starts the expected week of childbirth."""
    return due - timedelta(days=(due.weekday() + 1) % 7)


def _lower_rate_line(rates: Rates) -> str:
    return _(
        "Some people can get a lower rate of %(rate)s a week instead, for example if they did unpaid work in their husband's, wife's or civil partner's self-employed business. This is not assessed here."
    ) % {"rate": gbp(rates["ma.lower"])}


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    due = claimant.baby_due_date
    weeks = int(rates["ma.weeks"])
    if claimant.pregnant is None and due is None:
        # Not a question for someone over State Pension age.
        if claimant.date_of_birth is None:
            return more_information(CODE, ["claimant.date_of_birth"])
        if has_reached_state_pension_age(claimant.date_of_birth, on):
            return _not_eligible(
                _("Maternity Allowance is for people who are pregnant or have recently had a baby.")
            )
        return more_information(CODE, ["claimant.pregnant"])
    if claimant.pregnant is False or (claimant.pregnant is None and due is None):
        return _not_eligible(
            _("Maternity Allowance is for people who are pregnant or have recently had a baby."),
        )
    if due is None:
        return more_information(CODE, ["claimant.baby_due_date"])
    if on > due + timedelta(weeks=weeks):
        return _not_eligible(
            _(
                "Your baby was due more than %(weeks)d weeks ago, so any Maternity Allowance would already have ended."
            )
            % {"weeks": weeks},
        )
    missing: list[str] = []
    threshold = rates["ma.earnings_threshold"]
    if (
        need(claimant.worked_26_of_66_weeks, missing, "claimant.worked_26_of_66_weeks")
        and not claimant.worked_26_of_66_weeks
    ):
        return _not_eligible(
            _(
                "Maternity Allowance needs you to have been employed or self-employed for at least 26 of the 66 weeks before the week your baby is due."
            ),
            _lower_rate_line(rates),
        )
    if (
        need(
            claimant.earned_30_a_week_in_13_weeks, missing, "claimant.earned_30_a_week_in_13_weeks"
        )
        and not claimant.earned_30_a_week_in_13_weeks
    ):
        return _not_eligible(
            _(
                "Maternity Allowance needs earnings of at least %(threshold)s a week in any 13 of the 66 weeks before the week your baby is due."
            )
            % {"threshold": gbp(threshold)},
            _lower_rate_line(rates),
        )
    if (
        need(claimant.entitled_to_smp, missing, "claimant.entitled_to_smp")
        and claimant.entitled_to_smp
    ):
        return _not_eligible(
            _(
                "You can get Statutory Maternity Pay from your employer instead, so you cannot get Maternity Allowance."
            ),
        )
    earnings = claimant.average_weekly_earnings
    if not need(earnings, missing, "claimant.average_weekly_earnings") or missing:
        return more_information(CODE, missing)

    standard, fraction = rates["ma.standard"], rates["ma.earnings_fraction"]
    share = fraction * earnings
    if share < standard:
        amount = share
        rate_line = _(
            "%(percent)s of your average weekly earnings of %(earnings)s: %(amount)s a week (less than the standard rate of %(standard)s)."
        )
    else:
        amount = standard
        rate_line = _(
            "The standard rate: %(standard)s a week (%(percent)s of your average weekly earnings of %(earnings)s would be more)."
        )
    amount = money(amount)
    limited = share < standard
    elements = (
        Element(
            code="ma.standard_rate",
            label=_("Standard rate"),
            amount=money(standard),
            period=Period.WEEK,
            rule=RULE,
            rate="ma.standard",
        ),
        Element(
            code="ma.earnings_limit",
            label=_("Limited to %(percent)s of your average weekly earnings of %(earnings)s")
            % {"percent": _percent(fraction), "earnings": gbp(earnings)},
            amount=amount - money(standard) if limited else NIL,
            period=Period.WEEK,
            rule=RULE,
            rate="ma.earnings_fraction, ma.standard",
            note=""
            if limited
            else _(
                "%(percent)s of your average weekly earnings is at least the standard rate, so nothing is taken off."
            )
            % {"percent": _percent(fraction)},
        ),
    )
    claim_from = due - timedelta(weeks=_FULL_TERM_WEEKS - _CLAIM_FROM_WEEKS_PREGNANT)
    pay_from = _due_week_start(due) - timedelta(weeks=_PAY_FROM_WEEKS_BEFORE_DUE_WEEK)
    lines = [
        rate_line
        % {
            "percent": _percent(fraction),
            "earnings": gbp(earnings),
            "amount": gbp(amount),
            "standard": gbp(standard),
        },
        _("Paid for up to %(weeks)d weeks.") % {"weeks": weeks},
        _("You can claim once you are %(weeks)d weeks pregnant: from %(date)s.")
        % {"weeks": _CLAIM_FROM_WEEKS_PREGNANT, "date": _day(claim_from)},
        _(
            "Payments can start %(weeks)d weeks before the week your baby is due, from %(date)s at the earliest."
        )
        % {"weeks": _PAY_FROM_WEEKS_BEFORE_DUE_WEEK, "date": _day(pay_from)},
        _("Maternity Allowance counts as income for Universal Credit."),
    ]
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=amount,
        period=Period.WEEK,
        explanation=tuple(lines),
        elements=elements,
    )
