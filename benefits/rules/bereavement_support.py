"""Bereavement Support Payment (DWP): a first payment and up to 18 monthly payments after
the death of a husband, wife or civil partner. Not means-tested.

benefit-rates.md §9. Conditions, asked in order: the bereavement (``household.bereavement``
None means "not asked yet"), the date of death (on or after ``bsp.deaths_from``; claim
timing is checked at once, so a claim that is too late asks nothing more), marriage or
civil partnership, the claimant under State Pension age at the death, the deceased's
National Insurance (or an industrial accident or disease), then children for the rate.

Answers and approximations:

* ``Bereavement()`` with no date of death and no other answer means "not bereaved":
  NOT_ELIGIBLE. A Bereavement with other answers but no date asks for the date.
* ``was_married_or_civil_partners`` also covers partners who lived together and had
  children (covered since February 2023, from a secondary source only). A cohabiting
  partner without children is not told apart.
* Higher rate: the claimant was pregnant at the death (``claimant.baby_due_date`` after
  the date of death) or had a child they could get Child Benefit for then: born by the
  date of death and under ``cb.max_age`` on it, or under ``cb.max_age_in_education`` and
  (today) in approved education. Otherwise the standard rate. Children are asked about
  only when the pregnancy does not already decide the rate.
* Claim timing: a claim within ``bsp.full_claim_months`` of the death gets all
  ``bsp.monthly_payments``; each month or part month later loses one monthly payment
  (``add_months`` from the death). More than ``bsp.last_claim_months`` after the death,
  or with no monthly payment left, nothing is payable. The first payment needs a claim
  within 12 months of the death: that limit has no parameter in the rates table, so it
  is a constant here. Late claims after a death whose cause was confirmed later are not
  modelled.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
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
    add_months,
    age_on,
    gbp,
    has_reached_state_pension_age,
    money,
    more_information,
    need,
)

CODE = "bereavement_support"

RULE = "Pensions Act 2014, s.30"
_FIRST_PAYMENT_CLAIM_MONTHS = 12  # no parameter in the rates table


def _not_eligible(*lines: str) -> Result:
    return Result(benefit=CODE, verdict=Verdict.NOT_ELIGIBLE, explanation=tuple(lines))


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _monthly_payments(died: date, on: date, rates: Rates) -> tuple[int, int]:
    """(monthly payments due on a claim made on ``on``, months or part months late)."""
    total = int(rates["bsp.monthly_payments"])
    full = int(rates["bsp.full_claim_months"])
    late = 0
    while late < total and on > add_months(died, full + late):
        late += 1
    return total - late, late


def _higher_rate(household: Household, died: date, rates: Rates, missing: list[str]) -> bool | None:
    """True for the higher rate, False for the standard rate, None while facts are missing."""
    due = household.claimant.baby_due_date
    if due is not None and due > died:
        return True
    if not need(household.children, missing, "children"):
        return None
    under = int(rates["cb.max_age"])
    under_in_education = int(rates["cb.max_age_in_education"])
    unknown: list[str] = []
    for index, child in enumerate(household.children or ()):
        if not need(child.date_of_birth, unknown, f"children.{index}.date_of_birth"):
            continue
        if child.date_of_birth > died:
            continue  # born after the death: counts only through the pregnancy
        age = age_on(child.date_of_birth, died)
        if age < under:
            return True
        if (
            age < under_in_education
            and need(
                child.in_approved_education, unknown, f"children.{index}.in_approved_education"
            )
            and child.in_approved_education
        ):
            return True
    if unknown:
        missing.extend(unknown)
        return None
    return False


def assess(household: Household, on: date, rates: Rates, context: Context | None = None) -> Result:
    bereavement = household.bereavement
    if bereavement is None:
        return more_information(CODE, ["bereavement"])
    died = bereavement.partner_died_on
    if died is None:
        if (
            bereavement.was_married_or_civil_partners is None
            and bereavement.partner_paid_ni_or_industrial_cause is None
        ):
            return _not_eligible(
                _(
                    "Bereavement Support Payment is for people whose husband, wife or civil partner has died."
                ),
            )
        return more_information(CODE, ["bereavement.partner_died_on"])

    deaths_from = rates.date("bsp.deaths_from")
    if died < deaths_from:
        return _not_eligible(
            _(
                "Bereavement Support Payment is for deaths on or after %(date)s. For an earlier death, Bereavement Allowance or Widowed Parent's Allowance may still be paid."
            )
            % {"date": _day(deaths_from)},
        )
    if died > on:
        return _not_eligible(_("The date of death is after the date of this assessment."))
    last = int(rates["bsp.last_claim_months"])
    payments, late = _monthly_payments(died, on, rates)
    first_due = on <= add_months(died, _FIRST_PAYMENT_CLAIM_MONTHS)
    if on > add_months(died, last):
        return _not_eligible(
            _(
                "It is too late to claim: nothing is paid on a claim made more than %(months)d months after the death."
            )
            % {"months": last},
        )
    if payments == 0 and not first_due:
        return _not_eligible(
            _(
                "It is too late to claim: no monthly payments are left, and the first payment needs a claim within %(months)d months of the death."
            )
            % {"months": _FIRST_PAYMENT_CLAIM_MONTHS},
        )

    missing: list[str] = []
    married = bereavement.was_married_or_civil_partners
    if need(married, missing, "bereavement.was_married_or_civil_partners") and not married:
        return _not_eligible(
            _("Bereavement Support Payment is for husbands, wives and civil partners."),
            _(
                "Since February 2023 it also covers partners who lived together and had children (this comes from a secondary source)."
            ),
        )
    born = household.claimant.date_of_birth
    if need(born, missing, "claimant.date_of_birth") and has_reached_state_pension_age(born, died):
        return _not_eligible(
            _("You must have been under State Pension age when your partner died."),
        )
    contributed = bereavement.partner_paid_ni_or_industrial_cause
    if (
        need(contributed, missing, "bereavement.partner_paid_ni_or_industrial_cause")
        and not contributed
    ):
        return _not_eligible(
            _(
                "Your partner must have paid National Insurance contributions (for at least 25 weeks in one tax year), or have died because of an accident at work or a disease caused by work."
            ),
        )
    higher = _higher_rate(household, died, rates, missing)
    if missing:
        return more_information(CODE, missing)

    level = "higher" if higher else "standard"
    first, monthly = rates[f"bsp.{level}.first"], rates[f"bsp.{level}.monthly"]
    total = int(rates["bsp.monthly_payments"])
    full = int(rates["bsp.full_claim_months"])
    if higher:
        lines = [
            _(
                "Higher rate: you were pregnant, or had a child you could get Child Benefit for, when your partner died."
            )
        ]
    else:
        lines = [
            _(
                "Standard rate: you were not pregnant and had no child you could get Child Benefit for when your partner died."
            )
        ]
    if first_due:
        lines.append(
            ngettext(
                "A first payment of %(first)s, then %(count)d monthly payment of %(monthly)s.",
                "A first payment of %(first)s, then %(count)d monthly payments of %(monthly)s.",
                payments,
            )
            % {"first": gbp(first), "count": payments, "monthly": gbp(monthly)}
        )
    else:
        lines += [
            _(
                "The first payment is only paid on a claim made within %(months)d months of the death."
            )
            % {"months": _FIRST_PAYMENT_CLAIM_MONTHS},
            ngettext(
                "%(count)d monthly payment of %(monthly)s.",
                "%(count)d monthly payments of %(monthly)s.",
                payments,
            )
            % {"count": payments, "monthly": gbp(monthly)},
        ]
    if late:
        lines.append(
            _(
                "Claiming more than %(full)d months after the death costs one monthly payment for each month or part month of delay: %(late)d fewer, so %(count)d of the %(total)d."
            )
            % {"full": full, "late": late, "count": payments, "total": total}
        )
    else:
        lines.append(
            _(
                "Claim within %(full)d months of the death (by %(date)s) to get all %(total)d monthly payments."
            )
            % {"full": full, "date": _day(add_months(died, full)), "total": total}
        )
    grand_total = monthly * payments + (first if first_due else Decimal(0))
    lines += [
        _("%(total)s in all.") % {"total": gbp(grand_total)},
        _(
            "Bereavement Support Payment is not means-tested. It does not count as income for Universal Credit and does not affect other benefits for a year after the first payment."
        ),
    ]
    extras = ((_("First payment"), money(first), Period.ONCE),) if first_due else ()
    # The monthly payment only: the first payment is an extra, outside the amount.
    monthly_payment = Element(
        code="bsp.monthly_payment",
        label=_("Monthly payment, higher rate") if higher else _("Monthly payment, standard rate"),
        amount=money(monthly) if payments else NIL,
        period=Period.MONTH,
        rule=RULE,
        rate=f"bsp.{level}.monthly" if payments else "bsp.full_claim_months, bsp.monthly_payments",
        note=""
        if payments
        else _("No monthly payments are left: the claim is too long after the death."),
    )
    return Result(
        benefit=CODE,
        verdict=Verdict.ELIGIBLE,
        amount=money(monthly) if payments else None,
        period=Period.MONTH if payments else None,
        explanation=tuple(lines),
        extras=extras,
        elements=(monthly_payment,),
    )
