"""The Universal Credit housing costs element for renters. benefit-rates.md §1a.

housing costs element = eligible rent
                        (private: capped at the Local Housing Allowance for the bedrooms
                         the household is allowed; social: less 14% / 25% for one / two or
                         more bedrooms more than it is allowed)
                      − a housing cost contribution for each non-dependant aged 21 or over
                        (none for some: see ``_contributions``)

The Local Housing Allowance is held for one broad rental market area, Sheffield
(``uc.lha.sheffield.*``), and the explanation says so. Owner-occupiers get no housing costs
element: help with mortgage interest is a loan (Support for Mortgage Interest), not
modelled, and the explanation says that too. Not modelled: exceptions to the shared
accommodation rate (care leavers under 25, some disabled people), a non-dependant couple
sharing one bedroom, and service charges (the rent given is the eligible rent).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benefits.rules.base import (
    NIL,
    Adult,
    Child,
    ChildDisability,
    Element,
    Household,
    Housing,
    NonDependant,
    Period,
    Rates,
    age_on,
    gbp,
    has_reached_state_pension_age,
    known,
    money,
    need,
)

LHA_AREA = "sheffield"  # the parameter names' area: uc.lha.sheffield.*
LHA_MAX_BEDROOMS = 4  # the LHA table stops at 4 bedrooms (category E)
YOUNG_CHILDREN_SHARE_UNDER = 10  # two children under 10 share, whatever their sex
CHILDREN_SHARE_UNDER = 16  # two children of the same sex under 16 share
RULE = "Universal Credit Regulations 2013, regs. 25 and 26, Sch. 4"
CONTRIBUTION_RULE = "Universal Credit Regulations 2013, Sch. 4 paras. 13 to 16"


def lha_area_name() -> str:
    return _("Sheffield")


@dataclass(frozen=True)
class HousingCosts:
    """The housing part of a UC award: signed monthly elements adding up to ``amount``."""

    amount: Decimal
    elements: tuple[Element, ...]
    lines: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()


def _element(label: str, amount: Decimal, rate: str = "", note: str = "") -> Element:
    return Element(
        code="uc.housing_costs_element", label=label, amount=amount, period=Period.MONTH,
        rule=RULE, rate=rate, note=note,
    )  # fmt: skip


def _contribution(label: str, amount: Decimal, rate: str = "", note: str = "") -> Element:
    return Element(
        code="uc.housing_cost_contribution", label=label, amount=amount, period=Period.MONTH,
        rule=CONTRIBUTION_RULE, rate=rate, note=note,
    )  # fmt: skip


def _nil(note: str, line: str | None = None, left_out: tuple[str, ...] = ()) -> HousingCosts:
    return HousingCosts(
        amount=NIL,
        elements=(_element(_("Housing costs element"), NIL, note=note),),
        lines=(line,) if line else (),
        left_out=left_out,
    )


def _born(day: date) -> str:
    return date_format(day, "j F Y")


def _children_rooms(children: list[Child], on: date) -> int:
    """Bedrooms for children under 16: two share if the same sex or both under 10.

    The fewest rooms: pair within each sex, then, if a girl and a boy are left over, they
    share only when both can be under 10 (pick the odd ones out among the under-10s).
    """
    girls = [c for c in children if c.sex == "female"]
    boys = [c for c in children if c.sex == "male"]
    if len(girls) + len(boys) < len(children):  # sexes not needed: every child is under 10
        return (len(children) + 1) // 2
    rooms = (len(girls) + 1) // 2 + (len(boys) + 1) // 2
    if len(girls) % 2 and len(boys) % 2:
        young = [
            age_on(known(c.date_of_birth), on) < YOUNG_CHILDREN_SHARE_UNDER for c in (*girls, *boys)
        ]
        if any(young[: len(girls)]) and any(young[len(girls) :]):
            rooms -= 1
    return rooms


def _sexes_needed(children: list[Child], on: date) -> bool:
    return len(children) > 1 and any(
        age_on(known(c.date_of_birth), on) >= YOUNG_CHILDREN_SHARE_UNDER for c in children
    )


def _contributions(
    household: Household,
    on: date,
    rates: Rates,
    adults: list[tuple[str, Adult]],
    non_dependants: list[tuple[int, NonDependant]],
    missing: list[str],
) -> list[tuple[Element, str]]:
    """A contribution line for each non-dependant aged 21 or over, with an explanation line.

    None at all if someone in the claim is registered blind or gets PIP daily living or
    Attendance Allowance. None for a non-dependant who gets PIP daily living, DLA care,
    Attendance Allowance or Carer's Allowance, has reached State Pension age, or is
    responsible for a child under 5.
    """
    min_age = int(rates["uc.housing.non_dependant_min_age"])
    adults_21 = [
        (index, person) for index, person in non_dependants
        if age_on(known(person.date_of_birth), on) >= min_age
    ]  # fmt: skip
    if not adults_21:
        return []
    exempt_household = any(
        adult.registered_blind or adult.gets_daily_living_award for _role, adult in adults
    )
    if not exempt_household:
        asked = len(missing)
        for role, adult in adults:
            need(adult.registered_blind, missing, f"{role}.registered_blind")
            need(adult.pip_daily_living, missing, f"{role}.pip_daily_living")
            if has_reached_state_pension_age(known(adult.date_of_birth), on):
                need(adult.attendance_allowance, missing, f"{role}.attendance_allowance")
        if len(missing) > asked:
            return []  # the answers may exempt the whole household: ask them first
    if exempt_household:
        note = _(
            "No contribution: you or your partner are registered blind or get PIP daily living or Attendance Allowance."
        )
        return [(_contribution(_("Housing cost contribution"), NIL, note=note), note)]
    rate = rates["uc.housing.non_dependant_deduction"]
    child_under = int(rates["uc.housing.non_dependant_child_under"])
    lines: list[tuple[Element, str]] = []
    for index, person in adults_21:
        label = _("Housing cost contribution for someone aged %(age)d or over, born %(date)s") % {
            "age": min_age,
            "date": _born(known(person.date_of_birth)),
        }
        if has_reached_state_pension_age(known(person.date_of_birth), on):
            note = _("No contribution: they have reached State Pension age.")
        elif not need(
            person.gets_disability_or_carer_benefit,
            missing,
            f"non_dependants.{index}.gets_disability_or_carer_benefit",
        ):
            continue
        elif person.gets_disability_or_carer_benefit:
            note = _(
                "No contribution: they get PIP daily living, the care part of DLA, Attendance Allowance or Carer's Allowance."
            )
        elif not need(
            person.responsible_for_child_under_5,
            missing,
            f"non_dependants.{index}.responsible_for_child_under_5",
        ):
            continue
        elif person.responsible_for_child_under_5:
            note = _("No contribution: they look after a child under %(age)d.") % {
                "age": child_under
            }
        else:
            lines.append(
                (
                    _contribution(label, -money(rate), rate="uc.housing.non_dependant_deduction"),
                    _(
                        "Housing cost contribution for someone aged %(age)d or over who lives with you (born %(date)s): −%(amount)s a month"
                    )
                    % {
                        "age": min_age,
                        "date": _born(known(person.date_of_birth)),
                        "amount": gbp(rate),
                    },
                )
            )
            continue
        lines.append((_contribution(label, NIL, note=note), note))
    return lines


def assess_housing(
    household: Household, on: date, rates: Rates, adults: list[tuple[str, Adult]]
) -> HousingCosts:
    """The housing costs element for a household whose ``housing`` is known."""
    if household.housing is Housing.MORTGAGE:
        note = _(
            "Universal Credit has no housing costs element for a mortgage. Help with mortgage interest is a loan (Support for Mortgage Interest), which is not worked out here."
        )
        if household.monthly_mortgage:
            line = _(
                "Your mortgage payments of %(amount)s a month: Universal Credit has no housing costs element for them. Help with mortgage interest is a loan (Support for Mortgage Interest), which is not worked out here."
            ) % {"amount": gbp(household.monthly_mortgage)}
        else:
            line = note
        return _nil(note, line)
    if household.housing not in (Housing.RENT_PRIVATE, Housing.RENT_SOCIAL):
        return _nil(_("You have no rent to pay."))
    if household.monthly_rent is None:
        return _nil(
            _("Not included: tell us how much rent you pay to include help with it."),
            _(
                "Help with rent (the housing costs element) is not included, because we do not know how much rent you pay."
            ),
            left_out=("monthly_rent",),
        )

    # --- Facts the element needs -----------------------------------------------------------
    missing: list[str] = []
    rent = household.monthly_rent
    social = household.housing is Housing.RENT_SOCIAL
    if social:
        need(household.bedrooms, missing, "bedrooms")
    non_dependants: list[tuple[int, NonDependant]] = []
    if need(household.non_dependants, missing, "non_dependants"):
        for index, person in enumerate(household.non_dependants or ()):
            if need(person.date_of_birth, missing, f"non_dependants.{index}.date_of_birth"):
                non_dependants.append((index, person))
    children = [
        (index, child) for index, child in enumerate(household.children or ())
        if child.date_of_birth is not None and age_on(child.date_of_birth, on) >= 0
    ]  # fmt: skip
    young = [
        (i, c) for i, c in children if age_on(known(c.date_of_birth), on) < CHILDREN_SHARE_UNDER
    ]
    if _sexes_needed([c for _i, c in young], on):
        for index, child in young:
            need(child.sex, missing, f"children.{index}.sex")
    disabled = any(adult.gets_daily_living_award for _role, adult in adults) or any(
        child.disability in (ChildDisability.LOWER, ChildDisability.HIGHER)
        for _i, child in children
    )
    if disabled:
        need(household.needs_overnight_carer, missing, "needs_overnight_carer")
    if missing:
        return HousingCosts(amount=NIL, elements=(), missing=tuple(missing))
    contributions = _contributions(household, on, rates, adults, non_dependants, missing)
    if missing:
        return HousingCosts(amount=NIL, elements=(), missing=tuple(dict.fromkeys(missing)))

    # --- Bedrooms allowed ------------------------------------------------------------------
    couple = len(adults) == 2
    reasons = [_("one for you and your partner") if couple else _("one for you")]
    older = len(children) - len(young) + len(non_dependants)
    if older:
        reasons.append(
            ngettext(
                "one for the other person aged 16 or over who lives with you",
                "one each for the %(count)d other people aged 16 or over who live with you",
                older,
            )
            % {"count": older}
        )
    child_rooms = _children_rooms([c for _i, c in young], on)
    if child_rooms:
        reasons.append(
            ngettext(
                "%(count)d for your children under 16",
                "%(count)d for your children under 16 (two children share if they are the same sex, or both under 10)",
                child_rooms,
            )
            % {"count": child_rooms}
        )
    carer = disabled and bool(household.needs_overnight_carer)
    if carer:
        reasons.append(_("one for a carer who stays overnight"))
    allowed = 1 + older + child_rooms + int(carer)
    lines = [
        _("Your rent: %(rent)s a month (not counting service charges for heating, water or meals).")
        % {"rent": gbp(rent)},
        ngettext(
            "Your household is allowed %(count)d bedroom: %(reasons)s.",
            "Your household is allowed %(count)d bedrooms: %(reasons)s.",
            allowed,
        )
        % {"count": allowed, "reasons": "; ".join(reasons)},
    ]

    # --- Eligible rent ---------------------------------------------------------------------
    if social:
        extra = max(0, known(household.bedrooms) - allowed)
        if extra:
            key = "one" if extra == 1 else "two_or_more"
            share = rates[f"uc.housing.under_occupancy.{key}"]
            eligible = money(rent * (1 - share))
            percent = f"{share * 100:.0f}%"
            element = _element(
                ngettext(
                    "Housing costs element: your rent of %(rent)s a month, less %(percent)s for %(extra)d bedroom more than you are allowed",
                    "Housing costs element: your rent of %(rent)s a month, less %(percent)s for %(extra)d bedrooms more than you are allowed",
                    extra,
                )
                % {"rent": gbp(rent), "percent": percent, "extra": extra},
                eligible,
                rate=f"uc.housing.under_occupancy.{key}",
            )
            lines.append(
                ngettext(
                    "Your home has %(bedrooms)d bedrooms, %(extra)d more than allowed, so %(percent)s less rent is covered: %(rent)s − %(cut)s = %(eligible)s a month.",
                    "Your home has %(bedrooms)d bedrooms, %(extra)d more than allowed, so %(percent)s less rent is covered: %(rent)s − %(cut)s = %(eligible)s a month.",
                    extra,
                )
                % {
                    "bedrooms": household.bedrooms, "extra": extra, "percent": percent,
                    "rent": gbp(rent), "cut": gbp(rent - eligible), "eligible": gbp(eligible),
                }
            )  # fmt: skip
        else:
            eligible = money(rent)
            element = _element(
                _("Housing costs element: your rent of %(rent)s a month") % {"rent": gbp(rent)},
                eligible,
            )
            lines.append(
                _(
                    "Your home has no more bedrooms than you are allowed, so all your rent is covered."
                )
            )
    else:
        single = not couple
        under = int(rates["uc.housing.shared_rate_under_age"])
        claimant_age = age_on(known(adults[0][1].date_of_birth), on)
        if single and not children and allowed == 1 and claimant_age < under:
            size, size_label = "shared", _("the shared accommodation rate")
            lines.append(
                _(
                    "You are single, under %(age)d and have no children, so the shared accommodation rate applies. Some people are exempt (for example care leavers under 25 and some disabled people): this is not checked here."
                )
                % {"age": under}
            )
        else:
            rooms = min(allowed, LHA_MAX_BEDROOMS)
            size = "1_bedroom" if rooms == 1 else f"{rooms}_bedrooms"
            size_label = ngettext("%(count)d bedroom", "%(count)d bedrooms", rooms) % {
                "count": rooms
            }
            if allowed > LHA_MAX_BEDROOMS:
                lines.append(
                    _("The Local Housing Allowance goes up to %(max)d bedrooms.")
                    % {"max": LHA_MAX_BEDROOMS}
                )
        rate_name = f"uc.lha.{LHA_AREA}.{size}"
        lha = rates[rate_name]
        eligible = money(min(rent, lha))
        element = _element(
            _(
                "Housing costs element: your rent of %(rent)s a month, up to the Local Housing Allowance for %(size)s in %(area)s (%(lha)s)"
            )
            % {"rent": gbp(rent), "size": size_label, "area": lha_area_name(), "lha": gbp(lha)},
            eligible,
            rate=rate_name,
        )
        lines.append(
            _(
                "Local Housing Allowance for %(size)s in %(area)s: %(lha)s a month. Universal Credit covers private rent up to this amount: %(eligible)s a month."
            )
            % {
                "size": size_label,
                "area": lha_area_name(),
                "lha": gbp(lha),
                "eligible": gbp(eligible),
            }
        )

    # --- Less housing cost contributions ---------------------------------------------------
    elements = [element]
    running = eligible
    for item, line in contributions:
        # A contribution never takes the element below nothing.
        amount = max(item.amount, -running)
        running += amount
        elements.append(replace(item, amount=amount))
        lines.append(line)
    if not contributions:
        elements.append(
            _contribution(
                _("Housing cost contribution"),
                NIL,
                rate="uc.housing.non_dependant_min_age",
                note=_("No one aged %(age)d or over who is not in the claim lives with you.")
                % {"age": int(rates["uc.housing.non_dependant_min_age"])},
            )
        )
    lines.append(_("Housing costs element: %(amount)s a month") % {"amount": gbp(running)})
    return HousingCosts(amount=running, elements=tuple(elements), lines=tuple(lines))
