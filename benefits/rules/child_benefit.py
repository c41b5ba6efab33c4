"""Child Benefit (HMRC): a weekly amount for each child, not means-tested.

benefit-rates.md §2. The High Income Child Benefit Charge (HICBC) is a tax charge, not a
reduction of the benefit: the amount stays the weekly Child Benefit, and the charge is a
separate line (``Result.charges``, and in ``extras`` with the yearly Child Benefit and the
net figure). From the higher adjusted net income (ANI) of the claimant and partner:

    percent = min(100, floor((ANI − start) / step))      (start £60,000, step £200)
    charge  = floor(percent% × Child Benefit for the tax year) in whole pounds (s.681C(3))

The Child Benefit for the tax year is the weekly amount in force on the assessment date for
52 weeks (a full tax year's payment weeks). When an adult's ANI is not known, there is no
charge line and ``Result.left_out`` names the missing incomes.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benefits.rules.base import (
    NIL,
    Adult,
    Context,
    Element,
    Household,
    Period,
    Rates,
    Result,
    Verdict,
    age_on,
    gbp,
    money,
    more_information,
    need,
)

CODE = "child_benefit"
HICBC_RULE = "Income Tax (Earnings and Pensions) Act 2003, ss.681B to 681D"
WEEKS_IN_TAX_YEAR = 52
RULE = (
    "Social Security Contributions and Benefits Act 1992, "
    "s.145; Child Benefit (Rates) Regulations 2006, reg. 2"
)


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    missing: list[str] = []
    if not need(household.children, missing, "children"):
        return more_information(CODE, missing)
    under = int(rates["cb.max_age"])
    under_in_education = int(rates["cb.max_age_in_education"])
    counted = 0
    for index, child in enumerate(household.children or ()):
        if not need(child.date_of_birth, missing, f"children.{index}.date_of_birth"):
            continue
        age = age_on(child.date_of_birth, on)
        if age < 0:
            continue  # not born yet on the assessment date
        if age < under:
            counted += 1
        elif age < under_in_education and need(
            child.in_approved_education, missing, f"children.{index}.in_approved_education"
        ):
            counted += child.in_approved_education
    if missing:
        return more_information(CODE, missing)
    if counted == 0:
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "Child Benefit is for children under 16, or under 20 in approved education or training."
                ),
            ),
        )
    eldest, additional = rates["cb.eldest"], rates["cb.additional"]
    amount = eldest + additional * (counted - 1)
    lines = [_("Eldest or only child: %(amount)s a week") % {"amount": gbp(eldest)}]
    if counted > 1:
        lines.append(
            ngettext(
                "%(count)d more child at %(rate)s: %(amount)s a week",
                "%(count)d more children at %(rate)s each: %(amount)s a week",
                counted - 1,
            )
            % {
                "count": counted - 1,
                "rate": gbp(additional),
                "amount": gbp(additional * (counted - 1)),
            }
        )
    amount = money(Decimal(amount))
    hicbc = _hicbc(household, amount, rates)
    charges: tuple[Element, ...]
    extras: tuple[tuple[str, Decimal, Period], ...]
    if hicbc is None:
        lines.append(
            _(
                "If you or your partner have an income over %(threshold)s a year, you may have to pay some or all of it back as a tax charge."
            )
            % {"threshold": gbp(rates["cb.hicbc.start"])}
        )
        charges, extras, left_out = (), (), _unknown_incomes(household)
    else:
        hicbc_lines, charges, extras = hicbc
        lines.extend(hicbc_lines)
        left_out = ()
    others = counted - 1
    if others:
        others_label = ngettext(
            "%(count)d more child at %(rate)s",
            "%(count)d more children at %(rate)s each",
            others,
        ) % {"count": others, "rate": gbp(additional)}
    else:
        others_label = _("Additional children")
    elements = (
        Element(
            code="cb.eldest_child",
            label=_("Eldest or only child"),
            amount=money(eldest),
            period=Period.WEEK,
            rule=RULE,
            rate="cb.eldest",
        ),
        Element(
            code="cb.additional_children",
            label=others_label,
            amount=money(additional * others) if others else NIL,
            period=Period.WEEK,
            rule=RULE,
            rate="cb.additional",
            note="" if others else _("No other children count for Child Benefit."),
        ),
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=amount,
        period=Period.WEEK,
        explanation=tuple(lines),
        elements=elements,
        charges=charges,
        extras=extras,
        left_out=left_out,
    )


def _adults(household: Household) -> list[tuple[str, Adult]]:
    adults = [("claimant", household.claimant)]
    if household.has_partner:
        adults.append(("partner", household.partner or Adult()))
    return adults


def _unknown_incomes(household: Household) -> tuple[str, ...]:
    unknown = tuple(
        f"{role}.adjusted_net_income"
        for role, adult in _adults(household)
        if adult.adjusted_net_income is None
    )
    # Whose income counts depends on whether there is a partner.
    return ("has_partner", *unknown) if household.has_partner is None else unknown


def _hicbc(
    household: Household, weekly: Decimal, rates: Rates
) -> tuple[list[str], tuple[Element, ...], tuple[tuple[str, Decimal, Period], ...]] | None:
    """(explanation lines, charges, extras) once every adult's ANI is known, else None."""
    if _unknown_incomes(household):
        return None
    income = max(
        known
        for _role, adult in _adults(household)
        if (known := adult.adjusted_net_income) is not None
    )
    start, step, end = rates["cb.hicbc.start"], rates["cb.hicbc.step"], rates["cb.hicbc.end"]
    if income <= start:
        line = _(
            "No High Income Child Benefit Charge: the higher adjusted net income in your household, %(income)s a year, is not over %(start)s."
        ) % {"income": gbp(income), "start": gbp(start)}
        return [line], (), ()
    yearly = money(weekly * WEEKS_IN_TAX_YEAR)
    percent = min(Decimal(100), ((income - start) / step).to_integral_value(ROUND_FLOOR))
    charge = (yearly * percent / 100).to_integral_value(ROUND_FLOOR)
    net = yearly - charge
    lines = [
        _("Child Benefit for a tax year (%(weeks)d weeks): %(yearly)s.")
        % {"weeks": WEEKS_IN_TAX_YEAR, "yearly": gbp(yearly)},
        _(
            "High Income Child Benefit Charge: the higher adjusted net income in your household is %(income)s a year. The charge is 1%% of the Child Benefit for every %(step)s over %(start)s, and all of it from %(end)s: %(percent)s%% of %(yearly)s = %(charge)s for the tax year (rounded down to whole pounds)."
        )
        % {
            "income": gbp(income), "step": gbp(step), "start": gbp(start), "end": gbp(end),
            "percent": f"{percent:.0f}", "yearly": gbp(yearly), "charge": gbp(charge),
        },
        _(
            "Child Benefit less the charge: %(net)s for the tax year. The person with the higher income pays the charge through Self Assessment or their tax code."
        )
        % {"net": gbp(net)},
    ]  # fmt: skip
    if percent >= 100:
        lines.append(
            _(
                "You can choose not to be paid Child Benefit to avoid the charge, but still claim it: claiming protects National Insurance credits towards the State Pension."
            )
        )
    charges = (
        Element(
            code="cb.hicbc",
            label=_("High Income Child Benefit Charge (%(percent)s%% of the Child Benefit)")
            % {"percent": f"{percent:.0f}"},
            amount=-money(charge),
            period=Period.YEAR,
            rule=HICBC_RULE,
            rate="cb.hicbc.start, cb.hicbc.step, cb.hicbc.end",
        ),
    )
    extras = (
        (_("Child Benefit for the tax year"), yearly, Period.YEAR),
        (_("High Income Child Benefit Charge for the tax year"), money(charge), Period.YEAR),
        (_("Child Benefit less the charge, for the tax year"), money(net), Period.YEAR),
    )
    return lines, charges, extras
