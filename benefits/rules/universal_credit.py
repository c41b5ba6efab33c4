"""Universal Credit (DWP): a monthly means-tested award. benefit-rates.md §1 and §1a.

maximum = standard allowance + child elements (+ disabled child additions) + LCWRA
          + carer element + housing costs element (renters whose rent is known: ``housing``)
UC      = maximum − 55% of earnings above the work allowance − unearned income
          − tariff income from capital between £6,000 and £16,000

Not estimated, and said so: childcare costs, the benefit cap, a partner's New Style
JSA/ESA or Maternity Allowance, and the housing costs element when the rent is not known
(``Result.left_out`` then names ``monthly_rent``). Benefits the claimant gets that count as
unearned income (Carer's Allowance, State Pension, New Style JSA, Maternity Allowance) come
from the rules assessed before this one, through the context; a partner's State Pension and
Carer's Allowance in payment come from the partner's own facts. Awards in payment answer
conditions that are not otherwise known: Carer's Allowance in payment means the carer
element's caring condition is met; a partner's PIP daily living or Attendance Allowance
means the person cared for gets a qualifying benefit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benefits.rules import carers_allowance, housing
from benefits.rules.base import (
    NIL,
    Adult,
    Child,
    ChildDisability,
    Context,
    Element,
    Household,
    Housing,
    Period,
    Rates,
    Result,
    Verdict,
    age_on,
    cared_for_gets_qualifying_benefit,
    gbp,
    has_reached_state_pension_age,
    known,
    money,
    more_information,
    need,
    weekly_to_monthly,
)

CODE = "universal_credit"
# Benefits assessed earlier whose weekly amounts count in full as unearned income.
UNEARNED_BENEFITS = ("carers_allowance", "state_pension", "jsa", "maternity_allowance")
PRIVATE_PENSION_AGE = 55  # screener: only ask about other pensions from the age they can start

# The published sources of each element: benefit-rates.md (as the rates table cites it) and
# the Universal Credit Regulations 2013 (SI 2013/376).
_REGS = "Universal Credit Regulations 2013"
RULES = {
    "standard_allowance": f"{_REGS}, reg. 36",
    "child_element": f"{_REGS}, regs. 24 and 36",
    "disabled_child_addition": f"{_REGS}, regs. 24 and 36",
    "lcwra_element": f"{_REGS}, regs. 27 and 36",
    "carer_element": f"{_REGS}, regs. 29 and 36",
    "earnings_deduction": f"{_REGS}, reg. 22",
    "unearned_income": f"{_REGS}, regs. 66 and 73",
    "capital_tariff_income": f"{_REGS}, reg. 72",
}


def _adults(household: Household) -> list[tuple[str, Adult]]:
    adults = [("claimant", household.claimant)]
    if household.has_partner:
        adults.append(("partner", household.partner or Adult()))
    return adults


def _element(kind: str, label: str, amount: Decimal, rate: str = "", note: str = "") -> Element:
    return Element(
        code=f"uc.{kind}",
        label=label,
        amount=amount,
        period=Period.MONTH,
        rule=RULES[kind.partition(".")[0]],  # unearned_income.jsa → unearned_income
        rate=rate,
        note=note,
    )


def _born(child: Child) -> str:
    return date_format(known(child.date_of_birth), "j F Y")


def _deductions(
    maximum: Decimal, award: Decimal, deductions: list[tuple[str, str, Decimal, str, str]]
) -> list[Element]:
    """Deductions (kind, label, unrounded amount, rate, note) as negative elements.

    The award is rounded once, at the end; each line is the change it makes to the running
    total rounded to the penny, so the lines add up to the award exactly.
    """
    elements, running = [], maximum
    for kind, label, raw, rate, note in deductions:
        before, running = running, running - raw
        amount = money(running) - money(before)
        elements.append(_element(kind, label, amount, rate, note="" if raw else note))
    # Guard against the last digit of unrounded arithmetic done in another order.
    residual = award - maximum - sum((element.amount for element in elements), Decimal(0))
    if residual:
        index = max(
            (i for i, element in enumerate(elements) if element.amount), default=len(elements) - 1
        )
        last = elements[index]
        elements[index] = replace(last, amount=last.amount + residual)
    return elements


def _carers_allowance_paid(adult: Adult, state_pension: Result | None, rates: Rates) -> Decimal:
    """Weekly Carer's Allowance in payment: the rate, less a State Pension it overlaps."""
    pension = adult.weekly_state_pension
    if pension is None and state_pension is not None and state_pension.verdict is Verdict.ELIGIBLE:
        pension = state_pension.amount
    return carers_allowance.payable(rates["ca.weekly_rate"], pension)


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    missing: list[str] = []
    lines: list[str] = []
    elements: list[Element] = []

    # --- Who is in the claim -------------------------------------------------------------
    need(household.claimant.date_of_birth, missing, "claimant.date_of_birth")
    if need(household.has_partner, missing, "has_partner") and household.has_partner:
        need((household.partner or Adult()).date_of_birth, missing, "partner.date_of_birth")
    if missing:
        return more_information(CODE, missing)
    adults = _adults(household)
    ages = [age_on(known(adult.date_of_birth), on) for _, adult in adults]
    working_age = [
        not has_reached_state_pension_age(known(adult.date_of_birth), on) for _, adult in adults
    ]
    min_age = int(rates["uc.min_age"])
    if not any(working and age >= min_age for working, age in zip(working_age, ages, strict=True)):
        if all(not working for working in working_age):
            reason = _(
                "Universal Credit is for people under State Pension age. Pension Credit may help instead."
            )
        else:
            reason = _("Universal Credit is usually for people aged 18 or over.")
        return Result(benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=(reason,))

    # --- Capital -----------------------------------------------------------------------------
    if not need(household.capital, missing, "capital"):
        return more_information(CODE, missing)
    upper, lower = rates["uc.capital.upper"], rates["uc.capital.lower"]
    if household.capital > upper:
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            explanation=(
                _("Savings and capital of %(capital)s are over the %(limit)s limit.")
                % {"capital": gbp(household.capital), "limit": gbp(upper)},
            ),
        )

    # --- Children ----------------------------------------------------------------------------
    if not need(household.children, missing, "children"):
        return more_information(CODE, missing)
    children = list(household.children or ())
    for index, child in enumerate(children):
        need(child.date_of_birth, missing, f"children.{index}.date_of_birth")
    if missing:
        return more_information(CODE, missing)
    # Children the award can include: born, and under 16 (or under 20 in education — the
    # screener treats every child it is told about under 20 as the household's).
    # Children in the award: under 16, or 16 to 19 in approved education or training.
    indexed = []
    for index, child in enumerate(children):
        age = age_on(known(child.date_of_birth), on)
        if 0 <= age < 16 or (
            16 <= age < 20
            and need(
                child.in_approved_education, missing, f"children.{index}.in_approved_education"
            )
            and child.in_approved_education
        ):
            indexed.append((index, child))
    if missing:
        return more_information(CODE, missing)
    children = [child for _index, child in indexed]
    for index, child in indexed:
        need(child.disability, missing, f"children.{index}.disability")

    # --- Housing, earnings, health, caring, other income -------------------------------------
    need(household.housing, missing, "housing")
    for role, adult in adults:
        need(adult.monthly_earnings, missing, f"{role}.monthly_earnings")
    for role, adult in adults:
        need(adult.lcwra, missing, f"{role}.lcwra")
    for role, adult in adults:
        if adult.caring_hours is None and adult.gets_carers_allowance:
            continue  # Carer's Allowance in payment: the caring condition is met
        if need(adult.caring_hours, missing, f"{role}.caring_hours") and adult.caring_hours >= int(
            rates["uc.carer_element.min_hours"]
        ):
            need(
                cared_for_gets_qualifying_benefit(household, role),
                missing,
                f"{role}.cared_for_gets_qualifying_benefit",
            )
    for (role, adult), age in zip(adults, ages, strict=True):
        if age >= PRIVATE_PENSION_AGE:
            need(adult.weekly_pension_income, missing, f"{role}.weekly_pension_income")
    results = (context.results if context else {}) or {}
    # Benefits still undecided (their own questions unanswered) are not asked for here:
    # their rules ask, and the estimate says it leaves them out.
    undecided = [
        code
        for code in UNEARNED_BENEFITS
        if (result := results.get(code)) is not None
        and result.verdict is Verdict.NEED_MORE_INFORMATION
        # Carer's Allowance in payment is counted, so it is not left out.
        and not (code == "carers_allowance" and household.claimant.gets_carers_allowance)
    ]
    new_lcwra_rules = "uc.lcwra.new_claim" in rates
    if new_lcwra_rules:
        for role, adult in adults:
            if adult.lcwra:
                need(adult.lcwra_claim_before_2026, missing, f"{role}.lcwra_claim_before_2026")
                if adult.lcwra_claim_before_2026 is False:
                    need(
                        adult.severe_conditions_or_terminal,
                        missing,
                        f"{role}.severe_conditions_or_terminal",
                    )
    two_child_limit = rates["uc.two_child_limit.applies"] == 1
    protected_before = rates.date("uc.two_child_limit.protected_born_before")
    ordered_indexed = sorted(indexed, key=lambda pair: known(pair[1].date_of_birth))
    ordered = [child for _index, child in ordered_indexed]
    if two_child_limit and len(ordered) > 2:
        for index, child in ordered_indexed[2:]:
            if known(child.date_of_birth) >= protected_before:
                need(
                    child.two_child_limit_exception,
                    missing,
                    f"children.{index}.two_child_limit_exception",
                )
    if household.housing is not None:
        housing_costs = housing.assess_housing(household, on, rates, adults)
        missing.extend(housing_costs.missing)
    if missing:
        return more_information(CODE, missing)

    # --- Maximum award -----------------------------------------------------------------------
    couple = len(adults) == 2
    any_25 = any(age >= 25 for age in ages)
    if couple:
        key = "couple_one_25_plus" if any_25 else "couple_both_under_25"
        label = (
            _("joint claimants, one or both 25 or over")
            if any_25
            else _("joint claimants, both under 25")
        )
    else:
        key = "single_25_plus" if any_25 else "single_under_25"
        label = _("single, 25 or over") if any_25 else _("single, under 25")
    standard = rates[f"uc.standard_allowance.{key}"]
    maximum = standard
    elements.append(
        _element(
            "standard_allowance",
            _("Standard allowance (%(who)s)") % {"who": label},
            money(standard),
            rate=f"uc.standard_allowance.{key}",
        )
    )
    lines.append(
        _("Standard allowance, %(who)s: %(amount)s a month")
        % {"who": label, "amount": gbp(standard)}
    )

    # Child elements, eldest first, with the two-child limit where it applies.
    higher_before = rates.date("uc.child_element.higher_rate_born_before")
    counted: list[Child] = []
    not_counted = 0
    for child in ordered:
        if (
            two_child_limit
            and len(counted) >= 2
            and known(child.date_of_birth) >= protected_before
            and not child.two_child_limit_exception
        ):
            not_counted += 1
            continue
        counted.append(child)
    for position, child in enumerate(counted):
        if position == 0 and known(child.date_of_birth) < higher_before:
            amount = rates["uc.child_element.first_born_before_2017"]
            lines.append(
                _("Child element, first child (born before 6 April 2017): %(amount)s a month")
                % {"amount": gbp(amount)}
            )
        else:
            amount = rates["uc.child_element.other"]
            lines.append(_("Child element: %(amount)s a month") % {"amount": gbp(amount)})
        maximum += amount
    # The award statement lists every child, eldest first, those the limit leaves out too.
    counted_ids = [id(child) for child in counted]
    for child in ordered:
        if id(child) not in counted_ids:
            elements.append(
                _element(
                    "child_element",
                    _("Child element, child born %(date)s") % {"date": _born(child)},
                    NIL,
                    rate="uc.two_child_limit.applies, uc.two_child_limit.protected_born_before",
                    note=_(
                        "Not paid: the two-child limit applies, and no exception applies to this child."
                    ),
                )
            )
        elif counted_ids[0] == id(child) and known(child.date_of_birth) < higher_before:
            elements.append(
                _element(
                    "child_element",
                    _("Child element, first child born before 6 April 2017 (born %(date)s)")
                    % {"date": _born(child)},
                    money(rates["uc.child_element.first_born_before_2017"]),
                    rate="uc.child_element.first_born_before_2017",
                )
            )
        else:
            elements.append(
                _element(
                    "child_element",
                    _("Child element, child born %(date)s") % {"date": _born(child)},
                    money(rates["uc.child_element.other"]),
                    rate="uc.child_element.other",
                )
            )
    if not ordered:
        elements.append(
            _element("child_element", _("Child element"), NIL, note=_("No children in the award."))
        )
    if not_counted:
        lines.append(
            ngettext(
                "Two-child limit applied: %(count)d child not counted",
                "Two-child limit applied: %(count)d children not counted",
                not_counted,
            )
            % {"count": not_counted}
        )
    elif len(children) > 2 and not two_child_limit:
        lines.append(
            _(
                "The two-child limit no longer applies (removed from 6 April 2026): every child counts"
            )
        )
    # Disabled child additions are paid for every child, counted under the limit or not.
    for child in ordered:
        if child.disability in (ChildDisability.LOWER, ChildDisability.HIGHER):
            amount = rates[f"uc.disabled_child.{child.disability.value}"]
            maximum += amount
            elements.append(
                _element(
                    "disabled_child_addition",
                    (
                        _("Disabled child addition, higher rate, child born %(date)s")
                        if child.disability == ChildDisability.HIGHER
                        else _("Disabled child addition, lower rate, child born %(date)s")
                    )
                    % {"date": _born(child)},
                    money(amount),
                    rate=f"uc.disabled_child.{child.disability.value}",
                )
            )
            lines.append(
                _("Disabled child addition, %(rate)s rate: %(amount)s a month")
                % {
                    "rate": _("higher")
                    if child.disability == ChildDisability.HIGHER
                    else _("lower"),
                    "amount": gbp(amount),
                }
            )

    if not any(element.code == "uc.disabled_child_addition" for element in elements):
        elements.append(
            _element(
                "disabled_child_addition",
                _("Disabled child addition"),
                NIL,
                note=_("No child in the award gets a disability benefit or is registered blind.")
                if ordered
                else _("No children in the award."),
            )
        )

    # Health: one LCWRA element per award.
    lcwra_adults = [(role, adult) for role, adult in adults if adult.lcwra]
    if lcwra_adults:
        # One element per award, at the best rate either claimant qualifies for.
        def lcwra_rate(adult: Adult) -> str:
            if not new_lcwra_rules:
                return "uc.lcwra.amount"
            if adult.lcwra_claim_before_2026 or adult.severe_conditions_or_terminal:
                return "uc.lcwra.protected"
            return "uc.lcwra.new_claim"

        rate_name = max(
            (lcwra_rate(adult) for _role, adult in lcwra_adults), key=lambda name: rates[name]
        )
        amount = rates[rate_name]
        maximum += amount
        elements.append(
            _element(
                "lcwra_element",
                _("Limited capability for work and work-related activity (LCWRA) element"),
                money(amount),
                rate=rate_name,
            )
        )
        lines.append(
            _(
                "Limited capability for work and work-related activity (LCWRA) element: %(amount)s a month"
            )
            % {"amount": gbp(amount)}
        )
    else:
        elements.append(
            _element(
                "lcwra_element",
                _("Limited capability for work and work-related activity (LCWRA) element"),
                NIL,
                note=_(
                    "No one in the claim has limited capability for work and work-related activity."
                ),
            )
        )

    # Caring: a carer element for each carer who does not also get the LCWRA element.
    carers = [
        role
        for role, adult in adults
        if (adult.caring_hours is None and adult.gets_carers_allowance)
        or (
            known(adult.caring_hours) >= int(rates["uc.carer_element.min_hours"])
            and cared_for_gets_qualifying_benefit(household, role)
        )
    ]
    for role in carers:
        carer_label = (
            _("Carer element (you)") if role == "claimant" else _("Carer element (your partner)")
        )
        if any(role == lcwra_role for lcwra_role, _adult in lcwra_adults):
            elements.append(
                _element(
                    "carer_element",
                    carer_label,
                    NIL,
                    note=_(
                        "Not paid: the same person cannot get the carer element as well as the LCWRA element."
                    ),
                )
            )
            lines.append(
                _("No carer element: the same person cannot get it as well as the LCWRA element")
            )
            continue
        amount = rates["uc.carer_element"]
        maximum += amount
        elements.append(_element("carer_element", carer_label, money(amount), "uc.carer_element"))
        lines.append(_("Carer element: %(amount)s a month") % {"amount": gbp(amount)})
    if not carers:
        elements.append(
            _element(
                "carer_element",
                _("Carer element"),
                NIL,
                rate="uc.carer_element.min_hours",
                note=ngettext(
                    "No one in the claim cares for %(hours)d hour or more a week for someone who gets a qualifying disability benefit.",
                    "No one in the claim cares for %(hours)d hours or more a week for someone who gets a qualifying disability benefit.",
                    int(rates["uc.carer_element.min_hours"]),
                )
                % {"hours": int(rates["uc.carer_element.min_hours"])},
            )
        )
    # Housing: the housing costs element for renters (less housing cost contributions).
    maximum += housing_costs.amount
    elements.extend(housing_costs.elements)
    lines.extend(housing_costs.lines)
    lines.append(_("Maximum Universal Credit: %(amount)s a month") % {"amount": gbp(maximum)})

    # --- Deductions -------------------------------------------------------------------------
    earnings = sum((known(adult.monthly_earnings) for _role, adult in adults), Decimal(0))
    gets_work_allowance = bool(children) or bool(lcwra_adults)
    housing_element = household.housing in (Housing.RENT_SOCIAL, Housing.RENT_PRIVATE)
    work_allowance = Decimal(0)
    if gets_work_allowance:
        work_allowance = rates[
            "uc.work_allowance.lower" if housing_element else "uc.work_allowance.higher"
        ]
    taper = rates["uc.taper"]
    earned = taper * max(Decimal(0), earnings - work_allowance)
    # (kind, label, unrounded monthly amount, rate, note if nil), in the order taken off.
    deductions: list[tuple[str, str, Decimal, str, str]] = []
    allowance_rate = "uc.work_allowance.lower" if housing_element else "uc.work_allowance.higher"
    if not earnings:
        earnings_label = _("Earnings deduction")
    elif work_allowance:
        earnings_label = _(
            "Earnings deduction: %(rate)s%% of earnings of %(earnings)s a month above the work allowance of %(allowance)s"
        )
    else:
        earnings_label = _(
            "Earnings deduction: %(rate)s%% of earnings of %(earnings)s a month (no work allowance)"
        )
    deductions.append(
        (
            "earnings_deduction",
            earnings_label
            % {
                "rate": f"{taper * 100:.0f}",
                "earnings": gbp(earnings),
                "allowance": gbp(work_allowance),
            },
            earned,
            f"uc.taper, {allowance_rate}" if work_allowance else "uc.taper",
            _("Your earnings are within the work allowance, so nothing is taken off.")
            if earnings
            else _("No earnings."),
        )
    )
    if earnings:
        if work_allowance:
            lines.append(
                _(
                    "Earnings of %(earnings)s a month: the first %(allowance)s is ignored (work allowance), then %(rate)s%% of the rest is taken off: %(amount)s a month"
                )
                % {
                    "earnings": gbp(earnings),
                    "allowance": gbp(work_allowance),
                    "rate": f"{taper * 100:.0f}",
                    "amount": gbp(earned),
                }
            )
        else:
            lines.append(
                _(
                    "Earnings of %(earnings)s a month: %(rate)s%% of them is taken off: %(amount)s a month"
                )
                % {"earnings": gbp(earnings), "rate": f"{taper * 100:.0f}", "amount": gbp(earned)}
            )

    unearned = Decimal(0)
    names = {
        "carers_allowance": _("Carer's Allowance"),
        "state_pension": _("State Pension"),
        "jsa": _("New Style Jobseeker's Allowance"),
        "maternity_allowance": _("Maternity Allowance"),
    }
    for code in UNEARNED_BENEFITS:
        result = results.get(code)
        monthly = Decimal(0)
        weekly = None
        if result is not None and result.verdict is Verdict.ELIGIBLE and result.amount:
            weekly = result.amount
        elif (
            code == "carers_allowance"
            and household.claimant.gets_carers_allowance
            and (result is None or result.verdict is Verdict.NEED_MORE_INFORMATION)
        ):
            # Undecided by its own rule, but in payment: the award counts.
            weekly = _carers_allowance_paid(household.claimant, results.get("state_pension"), rates)
        if weekly:
            monthly = weekly_to_monthly(weekly)
            unearned += monthly
            lines.append(
                _("%(benefit)s counts as income: %(amount)s a month taken off")
                % {"benefit": names[code], "amount": gbp(monthly)}
            )
        if result is None:
            note = _("Not assessed, so not counted.")
        elif result.verdict is Verdict.NEED_MORE_INFORMATION:
            note = _("Not known yet, so not counted.")
        else:
            note = _("Not paid to you, so nothing is counted.")
        deductions.append(
            (
                f"unearned_income.{code}",
                _("%(benefit)s counted as income") % {"benefit": names[code]},
                monthly,
                "",
                note,
            )
        )
    for role, adult in adults:
        monthly = Decimal(0)
        if adult.weekly_pension_income:
            monthly = weekly_to_monthly(adult.weekly_pension_income)
            unearned += monthly
            lines.append(
                _("Pension income counts in full: %(amount)s a month taken off")
                % {"amount": gbp(monthly)}
            )
        deductions.append(
            (
                "unearned_income.pension",
                _("Your pension income, counted in full")
                if role == "claimant"
                else _("Your partner’s pension income, counted in full"),
                monthly,
                "",
                _("No pension income."),
            )
        )

    for _role, adult in adults[1:]:  # the partner's awards in payment
        state = adult.weekly_state_pension or Decimal(0)
        paid = {
            "partner_state_pension": state,
            "partner_carers_allowance": _carers_allowance_paid(adult, None, rates)
            if adult.gets_carers_allowance
            else Decimal(0),
        }
        labels = {
            "partner_state_pension": _("Your partner’s State Pension, counted in full"),
            "partner_carers_allowance": _("Your partner’s Carer's Allowance, counted in full"),
        }
        nil_notes = {
            "partner_state_pension": _("Your partner does not get a State Pension."),
            "partner_carers_allowance": _("Your partner does not get Carer's Allowance."),
        }
        for kind, weekly in paid.items():
            monthly = weekly_to_monthly(weekly) if weekly else Decimal(0)
            if monthly:
                unearned += monthly
                lines.append(
                    _("%(label)s: −%(amount)s a month")
                    % {"label": labels[kind], "amount": gbp(monthly)}
                )
            deductions.append(
                (f"unearned_income.{kind}", labels[kind], monthly, "ca.weekly_rate"
                 if kind == "partner_carers_allowance" and monthly else "", nil_notes[kind])
            )  # fmt: skip
    if any(adult.gets_daily_living_award or adult.pip_mobility in ("standard", "enhanced")
           for _role, adult in adults):  # fmt: skip
        lines.append(
            _("PIP and Attendance Allowance are not counted as income for Universal Credit.")
        )

    tariff = Decimal(0)
    capital_rate = "uc.capital.lower"
    if household.capital > lower:
        capital_rate = "uc.capital.lower, uc.capital.tariff_step, uc.capital.tariff_per_step"
        steps = ((household.capital - lower) / rates["uc.capital.tariff_step"]).to_integral_value(
            rounding=ROUND_CEILING
        )
        tariff = steps * rates["uc.capital.tariff_per_step"]
        lines.append(
            _("Savings of %(capital)s: %(per)s a month is assumed for each %(step)s or part over %(lower)s: %(amount)s a month taken off")
            % {
                "capital": gbp(household.capital), "per": gbp(rates["uc.capital.tariff_per_step"]),
                "step": gbp(rates["uc.capital.tariff_step"]), "lower": gbp(lower), "amount": gbp(tariff),
            }
        )  # fmt: skip

    deductions.append(
        (
            "capital_tariff_income",
            _("Income assumed from savings of %(capital)s") % {"capital": gbp(household.capital)},
            tariff,
            capital_rate,
            _("Savings of %(lower)s or less are ignored.") % {"lower": gbp(lower)},
        )
    )

    award = money(max(Decimal(0), maximum - earned - unearned - tariff))
    # What the estimate leaves out: for the screener, not for a decision on a claim.
    if "monthly_rent" in housing_costs.left_out:
        caveats = [
            _(
                "Not included: help with housing costs (rent), childcare costs and the benefit cap. If you pay rent, you may get more."
            ),
        ]
    else:
        caveats = [_("Not included: childcare costs and the benefit cap.")]
    if undecided:
        caveats.append(
            _("If you get %(benefits)s, it counts as income and lowers this estimate.")
            % {"benefits": ", ".join(str(names[code]) for code in undecided)}
        )
    if award == 0:
        lines.append(
            _("Your income is higher than your maximum Universal Credit, so it tapers to nothing.")
        )
        return Result(
            benefit=CODE,
            verdict=Verdict.NOT_ELIGIBLE,
            amount=Decimal("0.00"),
            period=Period.MONTH,
            explanation=tuple(lines),
            left_out=housing_costs.left_out,
            caveats=tuple(caveats),
        )
    lines.append(_("Universal Credit: %(amount)s a month") % {"amount": gbp(award)})
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=award,
        period=Period.MONTH,
        explanation=tuple(lines),
        caveats=tuple(caveats),
        elements=(*elements, *_deductions(maximum, award, deductions)),
        left_out=housing_costs.left_out,
    )
