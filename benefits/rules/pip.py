"""Personal Independence Payment (DWP): for daily living and mobility needs, under State Pension age.

benefit-rates.md §10. A new claim is made between age 16 and State Pension age. Whether it is
paid, and at which rate, depends on a points assessment (8 points for a component's standard
rate, 12 for the enhanced rate), so the screener cannot give an amount: a person who reports
a need, with a long-term condition (3 months so far, 9 more expected) or a terminal illness,
gets NEEDS_ASSESSMENT and the table of rates.

A PIP award already in payment (``Adult.pip_daily_living`` / ``pip_mobility`` at a rate) is
reported as ELIGIBLE at the rates in force, whatever the person's age: an award carries on
past State Pension age.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from benefits.rules.base import (
    NIL,
    Adult,
    CareNeed,
    Context,
    Element,
    Household,
    Period,
    PipRate,
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

CODE = "pip"

# Legal thresholds of the assessment (Welfare Reform Act 2012 ss.78, 79 and 81; the Social
# Security (Personal Independence Payment) Regulations 2013): not rates, not in the rates table.
STANDARD_POINTS = 8
ENHANCED_POINTS = 12
MONTHS_SO_FAR = 3
MONTHS_EXPECTED = 9


def _special_rules_line() -> str:
    return _(
        "If you are terminally ill, you can claim under the special rules: your claim is fast-tracked and you get the daily living part at the enhanced rate."
    )


RULE = "Welfare Reform Act 2012, ss.78 and 79"
AWARDED = (PipRate.STANDARD, PipRate.ENHANCED)


def _in_payment(claimant: Adult, rates: Rates) -> Result:
    parts = {
        "daily_living": (claimant.pip_daily_living, _("Daily living part")),
        "mobility": (claimant.pip_mobility, _("Mobility part")),
    }
    elements, lines = [], []
    for part, (award, label) in parts.items():
        if award in AWARDED:
            amount = money(rates[f"pip.{part}.{award.value}"])
            rate_label = _("enhanced rate") if award is PipRate.ENHANCED else _("standard rate")
            elements.append(
                Element(
                    code=f"pip.{part}", label=f"{label}, {rate_label}", amount=amount,
                    period=Period.WEEK, rule=RULE, rate=f"pip.{part}.{award.value}",
                )
            )  # fmt: skip
            lines.append(
                _("You get the %(part)s at the %(rate)s: %(amount)s a week.")
                % {"part": label.lower(), "rate": rate_label, "amount": gbp(amount)}
            )
        else:
            elements.append(
                Element(
                    code=f"pip.{part}", label=label, amount=NIL, period=Period.WEEK, rule=RULE,
                    rate="", note=_("Not part of your award."),
                )
            )  # fmt: skip
    lines.append(
        _(
            "PIP is not counted as income for Universal Credit or Pension Credit, and the daily living part can mean a carer gets Carer's Allowance."
        )
    )
    lines.append(_("If your needs change, tell us: your award can be looked at again."))
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=sum((element.amount for element in elements), NIL),
        period=Period.WEEK,
        explanation=tuple(lines),
        elements=tuple(elements),
    )


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    missing: list[str] = []
    if claimant.pip_daily_living in AWARDED or claimant.pip_mobility in AWARDED:
        return _in_payment(claimant, rates)
    if not need(claimant.date_of_birth, missing, "claimant.date_of_birth"):
        return more_information(CODE, missing)
    min_age = int(rates["pip.min_age"])
    if age_on(claimant.date_of_birth, on) < min_age:
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "You can claim PIP from age %(age)d. Children under %(age)d can get Disability Living Allowance instead."
                )
                % {"age": min_age},
            ),
        )
    if has_reached_state_pension_age(claimant.date_of_birth, on):
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "New claims for PIP can only be made before State Pension age. From State Pension age, Attendance Allowance is the benefit for help with personal care."
                ),
                _("If you already get PIP, it can carry on after you reach State Pension age."),
            ),
        )
    need(claimant.care_need, missing, "claimant.care_need")
    need(claimant.mobility_need, missing, "claimant.mobility_need")
    if missing:
        return more_information(CODE, missing)
    daily_living = claimant.care_need is not CareNeed.NONE
    mobility = bool(claimant.mobility_need)
    if not daily_living and not mobility:
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "PIP is for people who need help with daily living tasks or with getting around because of a long-term illness or disability."
                ),
                _special_rules_line(),
            ),
        )
    if not need(claimant.terminally_ill, missing, "claimant.terminally_ill"):
        return more_information(CODE, missing)
    condition_line = _(
        "You must have had these difficulties for at least %(so_far)d months and expect them to last at least another %(expected)d months (unless you are terminally ill)."
    ) % {"so_far": MONTHS_SO_FAR, "expected": MONTHS_EXPECTED}
    if not claimant.terminally_ill:
        if not need(claimant.condition_long_term, missing, "claimant.condition_long_term"):
            return more_information(CODE, missing)
        if not claimant.condition_long_term:
            return Result(
                benefit=CODE,
                verdict=Verdict.NOT_ELIGIBLE,
                explanation=(condition_line, _special_rules_line()),
            )
    lines = [
        _(
            "Whether you get PIP, and how much, depends on an assessment of how your condition affects you. Each part is scored separately: %(standard)d points gets the standard rate and %(enhanced)d points the enhanced rate."
        )
        % {"standard": STANDARD_POINTS, "enhanced": ENHANCED_POINTS},
        _(
            "Daily living part: %(standard)s a week (standard rate) or %(enhanced)s a week (enhanced rate)."
        )
        % {
            "standard": gbp(rates["pip.daily_living.standard"]),
            "enhanced": gbp(rates["pip.daily_living.enhanced"]),
        },
        _(
            "Mobility part: %(standard)s a week (standard rate) or %(enhanced)s a week (enhanced rate)."
        )
        % {
            "standard": gbp(rates["pip.mobility.standard"]),
            "enhanced": gbp(rates["pip.mobility.enhanced"]),
        },
    ]
    if daily_living and mobility:
        lines.append(
            _(
                "You told us you need help with daily living and with getting around: you could get both parts."
            )
        )
    elif daily_living:
        lines.append(
            _(
                "You told us you need help with daily living: the daily living part fits your answers."
            )
        )
    else:
        lines.append(
            _("You told us you need help with getting around: the mobility part fits your answers.")
        )
    lines.append(condition_line)
    if claimant.terminally_ill:
        lines.append(_special_rules_line())
    lines.append(_("PIP is not means-tested: your income and savings do not matter."))
    return Result(
        benefit=CODE,
        verdict=Verdict.NEEDS_ASSESSMENT,
        amount=None,
        period=None,
        explanation=tuple(lines),
    )
