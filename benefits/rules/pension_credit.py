"""Pension Credit, Guarantee Credit only (DWP): tops weekly income up to a minimum guarantee.

benefit-rates.md §5. The claimant, and a partner if there is one, must have reached State
Pension age (mixed-age couples claim Universal Credit). Guarantee Credit = max(0, standard
minimum guarantee - weekly income). Income counted here:

* the claimant's State Pension, from the ``state_pension`` result in the context;
* the partner's State Pension in payment (``partner.weekly_state_pension``), or else worked
  out the same way from the partner's qualifying years (the ``state_pension`` rule assesses
  only the claimant);
* other pensions: ``weekly_pension_income`` of each adult. ASSUMPTION: that field means
  pensions other than the State Pension, which is counted above and must not be counted twice;
* earnings: ``monthly_earnings`` of each adult, x 12 ÷ 52 (small disregards not modelled);
* Carer's Allowance, from the ``carers_allowance`` result in the context (weekly), or, when
  that is undecided, the Carer's Allowance in payment (``gets_carers_allowance``); the
  partner's Carer's Allowance in payment, less any State Pension it overlaps;
* deemed income from capital: per_step for each step, or part of one, above the disregard.

A context result that is missing counts as no such income; one that still needs facts passes
its missing names on, since the income cannot be known without them. Not estimated
(benefit-rates.md §5 leaves them out): the severe disability, carer, child and housing costs
additions, and Savings Credit; when an award in payment points to one (Attendance Allowance
or PIP daily living; Carer's Allowance), the explanation names it.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from benefits.rules import carers_allowance, state_pension
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
    gbp,
    has_reached_state_pension_age,
    money,
    monthly_to_weekly,
    more_information,
    need,
    state_pension_age_date,
)

CODE = "pension_credit"
GUARANTEE_RULE = "State Pension Credit Act 2002, s.2; State Pension Credit Regulations 2002, reg. 6"
INCOME_RULE = "State Pension Credit Regulations 2002, reg. 15"
CAPITAL_RULE = "State Pension Credit Regulations 2002, reg. 15(6)"


def _context_result(context: Context | None, code: str) -> Result | None:
    return None if context is None else context.results.get(code)


def deemed_income(capital: Decimal, rates: Rates) -> Decimal:
    """£1 a week for each £500, or part of £500, above £10,000 (rates pc.capital.*)."""
    above = capital - rates["pc.capital.disregard"]
    if above <= 0:
        return Decimal(0)
    steps = math.ceil(above / rates["pc.capital.step"])
    return money(rates["pc.capital.per_step"] * steps)


def _income(
    code: str, label: str, weekly: Decimal, note: str, *, rule: str = INCOME_RULE, rate: str = ""
) -> Element:
    """Weekly income taken off the guarantee: a negative element, or nil with ``note``."""
    return Element(
        code=code,
        label=label,
        amount=-weekly if weekly else NIL,
        period=Period.WEEK,
        rule=rule,
        rate=rate,
        note="" if weekly else note,
    )


def _benefit_note(result: Result | None, not_received: str) -> str:
    if result is None:
        return _("Not assessed, so not counted.")
    return not_received


def _elements(
    *,
    guarantee: Element,
    adults: list[tuple[str, Adult]],
    sp_result: Result | None,
    ca_paid: Decimal,
    ca_result: Result | None,
    capital: Decimal,
    rates: Rates,
) -> tuple[Element, ...]:
    """The guarantee, then every kind of income Pension Credit counts, nil ones included.

    The additions (severe disability, carer, housing costs) are not estimated, so they are
    not listed: the explanation says so.
    """

    def paid(result: Result | None) -> Decimal:
        if result is not None and result.verdict is Verdict.ELIGIBLE and result.amount:
            return money(result.amount)
        return Decimal(0)

    elements = [
        guarantee,
        _income(
            "pc.income.state_pension",
            _("Your State Pension"),
            paid(sp_result),
            _benefit_note(sp_result, _("You do not get a State Pension.")),
        ),
    ]
    for _who, adult in adults[1:]:  # the partner
        in_payment = bool(adult.weekly_state_pension)
        elements.append(
            _income(
                "pc.income.partner_state_pension",
                _("Your partner’s State Pension"),
                _partner_state_pension(adult, rates),
                _(
                    "Your partner has fewer than %(years)d qualifying years, so gets no new State Pension."
                )
                % {"years": int(rates["sp.min_years"])},
                rate="" if in_payment else "sp.full_rate, sp.full_years, sp.min_years",
            )
        )
    for who, adult in adults:
        claimant = who == "claimant"
        elements.append(
            _income(
                "pc.income.other_pensions" if claimant else "pc.income.partner_other_pensions",
                _("Your other pensions") if claimant else _("Your partner’s other pensions"),
                money(adult.weekly_pension_income or Decimal(0)),
                _("No other pensions."),
            )
        )
    for who, adult in adults:
        claimant = who == "claimant"
        elements.append(
            _income(
                "pc.income.earnings" if claimant else "pc.income.partner_earnings",
                _("Your earnings") if claimant else _("Your partner’s earnings"),
                money(monthly_to_weekly(adult.monthly_earnings or Decimal(0))),
                _("No earnings."),
            )
        )
    elements.append(
        _income(
            "pc.income.carers_allowance",
            _("Carer’s Allowance"),
            ca_paid,
            _benefit_note(ca_result, _("You do not get Carer’s Allowance.")),
        )
    )
    for _who, adult in adults[1:]:
        elements.append(
            _income(
                "pc.income.partner_carers_allowance",
                _("Your partner’s Carer’s Allowance"),
                _partner_carers_allowance(adult, rates),
                _("Your partner does not get Carer’s Allowance."),
                rate="ca.weekly_rate" if adult.gets_carers_allowance else "",
            )
        )
    from_capital = deemed_income(capital, rates)
    elements.append(
        _income(
            "pc.income.capital",
            _("Income counted from savings of %(capital)s") % {"capital": gbp(capital)},
            from_capital,
            _("Savings of %(disregard)s or less do not count.")
            % {"disregard": gbp(rates["pc.capital.disregard"])},
            rule=CAPITAL_RULE,
            rate="pc.capital.disregard, pc.capital.step, pc.capital.per_step"
            if from_capital
            else "pc.capital.disregard",
        )
    )
    return tuple(elements)


def _partner_state_pension(partner: Adult, rates: Rates) -> Decimal:
    """The State Pension in payment if known, else the estimate from qualifying years."""
    if partner.weekly_state_pension:
        return money(partner.weekly_state_pension)
    return state_pension.weekly_amount(partner.ni_qualifying_years or 0, rates)


def _partner_carers_allowance(partner: Adult, rates: Rates) -> Decimal:
    if not partner.gets_carers_allowance:
        return Decimal(0)
    return money(
        carers_allowance.payable(rates["ca.weekly_rate"], _partner_state_pension(partner, rates))
    )


def _claimant_carers_allowance(
    claimant: Adult, ca_result: Result | None, sp_result: Result | None, rates: Rates
) -> Decimal:
    """Carer's Allowance as its rule decided, or the award in payment when undecided."""
    if ca_result is not None and ca_result.verdict is Verdict.ELIGIBLE and ca_result.amount:
        return money(ca_result.amount)
    undecided = ca_result is None or ca_result.verdict is Verdict.NEED_MORE_INFORMATION
    if undecided and claimant.gets_carers_allowance:
        pension = sp_result.amount if sp_result and sp_result.verdict is Verdict.ELIGIBLE else None
        return money(carers_allowance.payable(rates["ca.weekly_rate"], pension))
    return Decimal(0)


def _award_lines(adults: list[tuple[str, Adult]], ca_paid: Decimal) -> list[str]:
    """What awards in payment mean for Pension Credit: not income, or an addition to check."""
    lines = []
    if any(adult.gets_daily_living_award for _who, adult in adults):
        lines.append(
            _(
                "Attendance Allowance and PIP are not counted as income. Because someone in your household gets one of them, you may also get the severe disability addition: it is not worked out here."
            )
        )
    if ca_paid or any(adult.gets_carers_allowance for _who, adult in adults):
        lines.append(
            _(
                "Because Carer’s Allowance is paid in your household, you may also get the carer addition: it is not worked out here."
            )
        )
    return lines


def _additions_line() -> str:
    return _(
        "This estimate does not include the extra amounts for severe disability, for carers or for housing costs, or Savings Credit. You may get more than this: check with the Pension Credit calculator on GOV.UK."
    )


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    claimant = household.claimant
    missing: list[str] = []
    # Who claims: the claimant's age first, then the partner's.
    if not need(claimant.date_of_birth, missing, "claimant.date_of_birth"):
        return more_information(CODE, missing)
    if not has_reached_state_pension_age(claimant.date_of_birth, on):
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _(
                    "Pension Credit is for people who have reached State Pension age. You reach it on %(date)s."
                )
                % {"date": state_pension.long_date(state_pension_age_date(claimant.date_of_birth))},
            ),
        )
    if not need(household.has_partner, missing, "has_partner"):
        return more_information(CODE, missing)
    partner = (household.partner or Adult()) if household.has_partner else None
    if partner is not None:
        if not need(partner.date_of_birth, missing, "partner.date_of_birth"):
            return more_information(CODE, missing)
        if not has_reached_state_pension_age(partner.date_of_birth, on):
            return Result(
                benefit=CODE,
                verdict=Verdict.NOT_ELIGIBLE,
                explanation=(
                    _(
                        "Your partner has not reached State Pension age yet (they reach it on %(date)s). Couples can get Pension Credit only when both of them have reached it."
                    )
                    % {
                        "date": state_pension.long_date(
                            state_pension_age_date(partner.date_of_birth)
                        )
                    },
                    _(
                        "Couples where one partner is under State Pension age usually claim Universal Credit instead (unless one of you already gets Housing Benefit as a pensioner)."
                    ),
                ),
            )

    # Income: savings, earnings, other pensions, then what earlier rules decided.
    need(household.capital, missing, "capital")
    adults: list[tuple[str, Adult]] = [("claimant", claimant)]
    if partner is not None:
        adults.append(("partner", partner))
    for who, adult in adults:
        need(adult.monthly_earnings, missing, f"{who}.monthly_earnings")
    for who, adult in adults:
        need(adult.weekly_pension_income, missing, f"{who}.weekly_pension_income")
    sp_result = _context_result(context, "state_pension")
    if sp_result is not None and sp_result.verdict is Verdict.NEED_MORE_INFORMATION:
        missing.extend(sp_result.missing)
    if partner is not None and not partner.weekly_state_pension:
        need(partner.ni_qualifying_years, missing, "partner.ni_qualifying_years")
    ca_result = _context_result(context, "carers_allowance")
    if (
        ca_result is not None
        and ca_result.verdict is Verdict.NEED_MORE_INFORMATION
        and not claimant.gets_carers_allowance
    ):
        missing.extend(ca_result.missing)
    if missing:
        return more_information(CODE, missing)

    pieces: list[tuple[str, Decimal]] = []
    if sp_result is not None and sp_result.verdict is Verdict.ELIGIBLE and sp_result.amount:
        pieces.append((_("Your State Pension"), money(sp_result.amount)))
    if partner is not None:
        partner_sp = _partner_state_pension(partner, rates)
        if partner_sp:
            pieces.append((_("Your partner’s State Pension"), partner_sp))
    for who, adult in adults:
        other_pension = money(adult.weekly_pension_income or Decimal(0))
        if other_pension:
            label = (
                _("Your other pensions")
                if who == "claimant"
                else _("Your partner’s other pensions")
            )
            pieces.append((label, other_pension))
    for who, adult in adults:
        earnings = money(monthly_to_weekly(adult.monthly_earnings or Decimal(0)))
        if earnings:
            label = (
                _("Your earnings (%(monthly)s a month)")
                if who == "claimant"
                else _("Your partner’s earnings (%(monthly)s a month)")
            ) % {"monthly": gbp(adult.monthly_earnings or Decimal(0))}
            pieces.append((label, earnings))
    ca_paid = _claimant_carers_allowance(claimant, ca_result, sp_result, rates)
    if ca_paid:
        pieces.append((_("Carer’s Allowance"), ca_paid))
    if partner is not None and (partner_ca := _partner_carers_allowance(partner, rates)):
        pieces.append((_("Your partner’s Carer’s Allowance"), partner_ca))
    capital = household.capital or Decimal(0)
    from_capital = deemed_income(capital, rates)
    if from_capital:
        pieces.append(
            (
                _(
                    "Income counted from savings of %(capital)s (%(per_step)s a week for each %(step)s, or part of %(step)s, above %(disregard)s)"
                )
                % {
                    "capital": gbp(capital),
                    "per_step": gbp(rates["pc.capital.per_step"]),
                    "step": gbp(rates["pc.capital.step"]),
                    "disregard": gbp(rates["pc.capital.disregard"]),
                },
                from_capital,
            )
        )

    income = sum((amount for _label, amount in pieces), Decimal(0))
    if partner is None:
        guarantee_rate = "pc.guarantee.single"
        guarantee_label = _("Standard minimum guarantee, single person")
        guarantee = rates[guarantee_rate]
        guarantee_line = _("Minimum guarantee for a single person: %(amount)s a week") % {
            "amount": gbp(guarantee)
        }
    else:
        guarantee_rate = "pc.guarantee.couple"
        guarantee_label = _("Standard minimum guarantee, couple")
        guarantee = rates[guarantee_rate]
        guarantee_line = _("Minimum guarantee for a couple: %(amount)s a week") % {
            "amount": gbp(guarantee)
        }
    lines = [guarantee_line]
    lines.extend(
        _("%(label)s: %(amount)s a week") % {"label": label, "amount": gbp(amount)}
        for label, amount in pieces
    )
    if pieces:
        lines.append(
            _("Your weekly income for Pension Credit: %(amount)s") % {"amount": gbp(income)}
        )
    else:
        lines.append(_("You have no income that Pension Credit counts."))
    if capital <= rates["pc.capital.disregard"]:
        lines.append(
            _("Savings of %(disregard)s or less do not count.")
            % {"disregard": gbp(rates["pc.capital.disregard"])}
        )
    amount = money(max(Decimal(0), guarantee - income))
    if amount == 0:
        lines.append(
            _(
                "Your income of %(income)s a week is not below the minimum guarantee of %(guarantee)s, so there is no Guarantee Credit to pay."
            )
            % {"income": gbp(income), "guarantee": gbp(guarantee)}
        )
        lines.extend(_award_lines(adults, ca_paid))
        return Result(
            benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=tuple(lines),
            caveats=(_additions_line(),),
        )  # fmt: skip
    lines.append(
        _(
            "Guarantee Credit tops your income up to the minimum guarantee: %(guarantee)s − %(income)s = %(amount)s a week."
        )
        % {"guarantee": gbp(guarantee), "income": gbp(income), "amount": gbp(amount)}
    )
    lines.extend(_award_lines(adults, ca_paid))
    elements = _elements(
        guarantee=Element(
            code="pc.standard_minimum_guarantee",
            label=guarantee_label,
            amount=money(guarantee),
            period=Period.WEEK,
            rule=GUARANTEE_RULE,
            rate=guarantee_rate,
        ),
        adults=adults,
        sp_result=sp_result,
        ca_paid=ca_paid,
        ca_result=ca_result,
        capital=capital,
        rates=rates,
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=amount,
        period=Period.WEEK,
        explanation=tuple(lines),
        caveats=(_additions_line(),),
        elements=elements,
    )
