"""Child Benefit (HMRC): a weekly amount for each child, not means-tested.

benefit-rates.md §2. The High Income Child Benefit Charge is a tax charge, not a reduction
of the benefit: the explanation mentions it, the amount does not include it.
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
    gbp,
    money,
    more_information,
    need,
)

CODE = "child_benefit"
RULE = (
    "Social Security Contributions and Benefits Act 1992, "
    "s.145; Child Benefit (Rates) Regulations 2006, reg. 2"
)


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    missing: list[str] = []
    if not need(missing, "children", household.children):
        return more_information(CODE, missing)
    under = int(rates["cb.max_age"])
    under_in_education = int(rates["cb.max_age_in_education"])
    counted = 0
    for index, child in enumerate(household.children or ()):
        if not need(missing, f"children.{index}.date_of_birth", child.date_of_birth):
            continue
        age = age_on(child.date_of_birth, on)
        if age < 0:
            continue  # not born yet on the assessment date
        if age < under:
            counted += 1
        elif age < under_in_education and need(
            missing, f"children.{index}.in_approved_education", child.in_approved_education
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
    lines.append(
        _(
            "If you or your partner have an income over %(threshold)s a year, you may have to pay some or all of it back as a tax charge."
        )
        % {"threshold": gbp(rates["cb.hicbc.start"])}
    )
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
        amount=money(Decimal(amount)),
        period=Period.WEEK,
        explanation=tuple(lines),
        elements=elements,
    )
