"""Carer's Allowance (DWP): a weekly amount for carers, not means-tested.

benefit-rates.md §3. Conditions, asked in the screener's order (§11): age, hours of care,
the cared-for person's qualifying benefit, net weekly earnings, full-time education. A
known answer that rules the carer out ends the assessment without asking the rest.

The earnings limit is a cliff edge: net earnings a penny over the limit mean no Carer's
Allowance for that week.

Overlap with the State Pension (read from ``context.results["state_pension"]``, which runs
first): Carer's Allowance is not paid on top of it. A State Pension at least the Carer's
Allowance rate means nothing is paid, but the carer keeps "underlying entitlement"
(NOT_ELIGIBLE for payment, explained); a lower State Pension is topped up to the Carer's
Allowance rate. Overlap with New Style JSA/ESA and Maternity Allowance is only explained:
those rules run later. The residence test (2 of the last 3 years in Great Britain) and the
one-carer-per-person rule are stated as conditions for the person to tell us about: the
rules cannot check them, and nothing here says "not checked here" (it would reach decisions).

The cared-for person's qualifying benefit is known without asking when the carer cares for
their partner and the partner gets PIP daily living or Attendance Allowance in payment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benefits.rules.base import (
    NIL,
    Context,
    Element,
    Household,
    Period,
    Rates,
    Result,
    Verdict,
    age_on,
    cared_for_gets_qualifying_benefit,
    gbp,
    money,
    more_information,
    need,
)

CODE = "carers_allowance"
RULE = "Social Security Contributions and Benefits Act 1992, s.70"
OVERLAP_RULE = "Social Security (Overlapping Benefits) Regulations 1979, reg. 4"


def payable(rate: Decimal, state_pension: Decimal | None) -> Decimal:
    """Carer's Allowance paid on top of a State Pension: only the part above it."""
    if state_pension is None:
        return rate
    return max(Decimal(0), rate - state_pension)


def _not_eligible(*lines: str) -> Result:
    return Result(benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=tuple(lines))


def _state_pension(context: Context | None) -> Decimal | None:
    """The weekly State Pension already assessed, or None when there is none."""
    if context is None:
        return None
    result = context.results.get("state_pension")
    if result is None or result.verdict != Verdict.ELIGIBLE or result.amount is None:
        return None
    return result.amount


def _conditions_lines() -> list[str]:
    return [
        _("Only one person can get Carer's Allowance for the person you care for."),
        _(
            "You must have lived in Great Britain for at least 2 of the last 3 years. Tell us if you have not."
        ),
    ]


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    missing: list[str] = []
    min_age = rates["ca.min_age"]
    if (
        need(claimant.date_of_birth, missing, "claimant.date_of_birth")
        and age_on(claimant.date_of_birth, on) < min_age
    ):
        return _not_eligible(
            _("You must be %(age)d or over to get Carer's Allowance.") % {"age": int(min_age)}
        )
    min_hours = rates["ca.min_hours"]
    if (
        need(claimant.caring_hours, missing, "claimant.caring_hours")
        and claimant.caring_hours < min_hours
    ):
        return _not_eligible(
            ngettext(
                "Carer's Allowance needs at least %(hours)d hour of care a week.",
                "Carer's Allowance needs at least %(hours)d hours of care a week.",
                int(min_hours),
            )
            % {"hours": int(min_hours)}
            + " "
            + ngettext(
                "You care for %(caring)d hour a week.",
                "You care for %(caring)d hours a week.",
                claimant.caring_hours,
            )
            % {"caring": claimant.caring_hours}
        )
    qualifying = cared_for_gets_qualifying_benefit(household, "claimant")
    if need(qualifying, missing, "claimant.cared_for_gets_qualifying_benefit") and not qualifying:
        return _not_eligible(
            _(
                "The person you care for must get a qualifying benefit: PIP daily living component, DLA care component at the middle or highest rate, Attendance Allowance, Constant Attendance Allowance or Armed Forces Independence Payment."
            )
        )
    limit = rates["ca.earnings_limit"]
    earnings = claimant.weekly_earnings_for_carers
    if need(earnings, missing, "claimant.weekly_earnings_for_carers") and earnings > limit:
        return _not_eligible(
            _(
                "Your net earnings of %(earnings)s a week are over the Carer's Allowance limit of %(limit)s a week."
            )
            % {"earnings": gbp(earnings), "limit": gbp(limit)},
            _(
                "The limit is a cliff edge: earning even a little more than the limit means no Carer's Allowance at all for that week."
            ),
            _(
                "Net earnings are after tax, National Insurance, allowable expenses and half of any pension contributions."
            ),
        )
    if (
        need(claimant.in_full_time_education, missing, "claimant.in_full_time_education")
        and claimant.in_full_time_education
    ):
        return _not_eligible(
            _(
                "You cannot get Carer's Allowance while you are in full-time education (21 hours or more of study a week)."
            ),
        )
    caring_hours = claimant.caring_hours
    if missing or caring_hours is None or earnings is None:  # both known once nothing is missing
        return more_information(CODE, missing)

    rate = rates["ca.weekly_rate"]
    lines = [
        ngettext(
            "You care for %(caring)d hour a week and your net earnings of %(earnings)s a week are within the limit of %(limit)s.",
            "You care for %(caring)d hours a week and your net earnings of %(earnings)s a week are within the limit of %(limit)s.",
            caring_hours,
        )
        % {"caring": caring_hours, "earnings": gbp(earnings), "limit": gbp(limit)},
    ]
    pension = _state_pension(context)
    if pension is not None and pension >= rate:
        lines += [
            _(
                "Carer's Allowance (%(rate)s a week) is not paid on top of your State Pension of %(pension)s a week, because the State Pension is at least as much."
            )
            % {"rate": gbp(rate), "pension": gbp(pension)},
            _(
                "You still have an “underlying entitlement” to Carer's Allowance: it is worth claiming, because it can add the carer addition to Pension Credit."
            ),
            *_conditions_lines(),
        ]
        return _not_eligible(*lines)
    amount = rate
    if pension is not None:
        amount = rate - pension
        lines.append(
            _(
                "Carer's Allowance is not paid on top of the State Pension, but your State Pension of %(pension)s a week is less than Carer's Allowance (%(rate)s), so Carer's Allowance tops it up by %(amount)s a week."
            )
            % {"pension": gbp(pension), "rate": gbp(rate), "amount": gbp(amount)}
        )
    else:
        lines.append(_("Carer's Allowance: %(rate)s a week.") % {"rate": gbp(rate)})
    lines += [
        *_conditions_lines(),
        _(
            "Carer's Allowance is not paid on top of New Style JSA, New Style ESA or Maternity Allowance, and it counts as income for Universal Credit."
        ),
    ]
    elements = (
        Element(
            code="ca.carers_allowance",
            label=_("Carer's Allowance"),
            amount=money(rate),
            period=Period.WEEK,
            rule=RULE,
            rate="ca.weekly_rate",
        ),
        Element(
            code="ca.state_pension_overlap",
            label=_("Less your State Pension, which Carer's Allowance is not paid on top of"),
            # The difference of the two, so the elements add up to the amount paid exactly.
            amount=money(amount) - money(rate) if pension is not None else NIL,
            period=Period.WEEK,
            rule=OVERLAP_RULE,
            rate="",
            note="" if pension is not None else _("You do not get a State Pension."),
        ),
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=money(amount),
        period=Period.WEEK,
        explanation=tuple(lines),
        elements=elements,
    )
