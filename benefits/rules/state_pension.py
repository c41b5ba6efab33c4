"""New State Pension (DWP): a weekly amount from State Pension age, by qualifying NI years.

benefit-rates.md §4. Screener simplification, said in every answer that gives an amount:
amount = min(years, full years) / full years x full rate, nothing under the minimum years.
People with a National Insurance record before 6 April 2016 get a "starting amount"
(contracted-out deductions, protected payment) that this estimate does not model. Only the
claimant is assessed here; Pension Credit works out a partner's State Pension with
``weekly_amount``.

A State Pension already in payment (``Adult.weekly_state_pension``, more than nothing) is
the amount, instead of the estimate from qualifying years: the rules that count it as
income (Pension Credit, Universal Credit, the Carer's Allowance overlap) read it from here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import dateformat
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
    money,
    more_information,
    need,
    state_pension_age_date,
)

CODE = "state_pension"
RULE = "Pensions Act 2014, ss.2 and 4"

# The new State Pension is for people who reach State Pension age on or after this date
# (Pensions Act 2014). Earlier, the basic State Pension applies: not modelled.
NEW_STATE_PENSION_FROM = date(2016, 4, 6)


def long_date(day: date) -> str:
    """12 May 2031 (month names translated)."""
    return dateformat.format(day, "j F Y")


def weekly_amount(qualifying_years: int, rates: Rates) -> Decimal:
    """The screener's new State Pension: pro rata to the full years, 0 under the minimum."""
    if qualifying_years < int(rates["sp.min_years"]):
        return Decimal(0)
    full_years = int(rates["sp.full_years"])
    return money(rates["sp.full_rate"] * min(qualifying_years, full_years) / full_years)


def _forecast_line() -> str:
    return _(
        "This estimate assumes you have no National Insurance record before April 2016. If you do, your State Pension is worked out from a “starting amount” that this estimate does not model: check your State Pension forecast on GOV.UK."
    )


def _in_payment(weekly: Decimal, spa: date) -> Result:
    amount = money(weekly)
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=amount,
        period=Period.WEEK,
        explanation=(
            _("You reached State Pension age on %(date)s.") % {"date": long_date(spa)},
            _("You get a State Pension of %(amount)s a week: this is the amount used here.")
            % {"amount": gbp(amount)},
        ),
        elements=(
            Element(
                code="sp.in_payment",
                label=_("State Pension in payment"),
                amount=amount,
                period=Period.WEEK,
                rule=RULE,
                rate="",
            ),
        ),
    )


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    missing: list[str] = []
    if not need(claimant.date_of_birth, missing, "claimant.date_of_birth"):
        return more_information(CODE, missing)
    spa = state_pension_age_date(claimant.date_of_birth)
    if on < spa:
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "You reach State Pension age on %(date)s. The State Pension is paid from then, if you claim it."
                )
                % {"date": long_date(spa)},
                _(
                    "You can check how much you are likely to get with a State Pension forecast on GOV.UK."
                ),
            ),
        )
    if claimant.weekly_state_pension:
        return _in_payment(claimant.weekly_state_pension, spa)
    if not need(claimant.ni_qualifying_years, missing, "claimant.ni_qualifying_years"):
        return more_information(CODE, missing)
    years = claimant.ni_qualifying_years or 0
    min_years, full_years = int(rates["sp.min_years"]), int(rates["sp.full_years"])
    full_rate = rates["sp.full_rate"]
    lines = [_("You reached State Pension age on %(date)s.") % {"date": long_date(spa)}]
    if spa < NEW_STATE_PENSION_FROM:
        lines.append(
            _(
                "You reached State Pension age before 6 April 2016, so the old basic State Pension rules apply to you. This estimate uses the new State Pension rules instead."
            )
        )
    if years < min_years:
        lines.append(
            _(
                "You need at least %(min)d qualifying years of National Insurance to get any new State Pension. You told us you have %(years)d."
            )
            % {"min": min_years, "years": years}
        )
        lines.append(_forecast_line())
        return Result(benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=tuple(lines))
    amount = weekly_amount(years, rates)
    if years >= full_years:
        lines.append(
            _(
                "With %(full_years)d or more qualifying years you get the full new State Pension: %(amount)s a week."
            )
            % {"full_years": full_years, "amount": gbp(amount)}
        )
    else:
        lines.append(
            _(
                "You have %(years)d of the %(full_years)d qualifying years needed for the full new State Pension (%(full)s a week), so you get %(years)d/%(full_years)d of it: %(amount)s a week."
            )
            % {
                "years": years,
                "full_years": full_years,
                "full": gbp(full_rate),
                "amount": gbp(amount),
            }
        )
    lines.append(_forecast_line())
    lines.append(_("The State Pension is not paid automatically: you need to claim it."))
    short = years < full_years
    elements = (
        Element(
            code="sp.new_state_pension",
            label=_("Full new State Pension"),
            amount=money(full_rate),
            period=Period.WEEK,
            rule=RULE,
            rate="sp.full_rate",
        ),
        Element(
            code="sp.missing_years",
            label=_(
                "Reduction for missing qualifying years: you have %(years)d of the %(full_years)d needed"
            )
            % {"years": min(years, full_years), "full_years": full_years},
            amount=amount - money(full_rate) if short else NIL,
            period=Period.WEEK,
            rule=RULE,
            rate="sp.full_rate, sp.full_years",
            note=""
            if short
            else _("You have %(full_years)d or more qualifying years, so nothing is taken off.")
            % {"full_years": full_years},
        ),
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=amount,
        period=Period.WEEK,
        explanation=tuple(lines),
        elements=elements,
    )
