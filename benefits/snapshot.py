"""A Customer's facts on a date, as the household snapshot the rules read.

Claims, reassessment after a change and journeys call ``household_for_customer`` and then
``benefits.services.assess_household``: the same rules as the screener, on the facts in
force on the assessment date. A fact nobody has recorded stays None, so the rules list it
as missing and the caller can ask for it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import Customer, FactKind
from accounts.selectors import fact_values_in_force, household_on
from benefits.rules.base import Adult, Bereavement, Child, Household, Housing

HOUSING = {value.value: value for value in Housing}


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def household_for_customer(*, customer: Customer, on: date) -> Household:
    facts = fact_values_in_force(customer=customer, on=on)
    members = list(household_on(customer=customer, on=on))
    partner_member = next((m for m in members if m.relationship == "partner"), None)
    status = facts.get(FactKind.RELATIONSHIP_STATUS)
    if partner_member is not None:
        has_partner: bool | None = True
    elif status is not None:
        has_partner = status == "couple"
    else:
        has_partner = None
    due = _date(facts.get(FactKind.PREGNANCY_DUE_DATE))
    claimant = Adult(
        date_of_birth=customer.date_of_birth,
        monthly_earnings=_money(facts.get(FactKind.MONTHLY_EARNINGS)),
        caring_hours=facts.get(FactKind.CARING_HOURS),
        cared_for_gets_qualifying_benefit=facts.get(FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT),
        lcwra=facts.get(FactKind.LIMITED_CAPABILITY_FOR_WORK),
        ni_qualifying_years=facts.get(FactKind.NI_QUALIFYING_YEARS),
        pregnant=True if due else None,
        baby_due_date=due,
    )
    partner = None
    if has_partner:
        partner = Adult(
            date_of_birth=partner_member.date_of_birth if partner_member else None,
            monthly_earnings=_money(facts.get(FactKind.PARTNER_MONTHLY_EARNINGS)),
        )
    died = _date(facts.get(FactKind.BEREAVEMENT_DATE))
    return Household(
        claimant=claimant,
        has_partner=has_partner,
        partner=partner,
        children=tuple(
            Child(date_of_birth=m.date_of_birth) for m in members if m.relationship == "child"
        ),
        housing=HOUSING.get(facts.get(FactKind.HOUSING)),
        capital=_money(facts.get(FactKind.CAPITAL)),
        bereavement=Bereavement(partner_died_on=died) if died else None,
    )


def with_answers(household: Household, paths: dict[str, object]) -> Household:
    """The household with a claim's answers laid over it, by household path.

    The answers win: they are what the person has just told us for this claim. A
    partner's answers only count when the household has a partner.
    """
    from dataclasses import replace

    from benefits.household_input import _adult
    from benefits.rules.base import Bereavement

    def adult_with(adult: Adult | None, prefix: str) -> Adult:
        values = {k.split(".", 1)[1]: v for k, v in paths.items() if k.startswith(prefix)}
        converted = _adult(values) or Adult()
        given = {name: getattr(converted, name) for name in values}
        return replace(adult or Adult(), **given)

    has_partner = paths.get("has_partner", household.has_partner)
    partner = adult_with(household.partner, "partner.") if has_partner else None
    bereavement = household.bereavement
    ber = {k.split(".", 1)[1]: v for k, v in paths.items() if k.startswith("bereavement.")}
    if ber:
        died = ber.get("partner_died_on")
        bereavement = replace(
            bereavement or Bereavement(),
            **{k: v for k, v in ber.items() if k != "partner_died_on"},
            **({"partner_died_on": date.fromisoformat(died)} if isinstance(died, str) else {}),
        )
    return replace(
        household,
        claimant=adult_with(household.claimant, "claimant."),
        has_partner=has_partner,
        partner=partner,
        housing=HOUSING.get(paths["housing"]) if "housing" in paths else household.housing,
        capital=_money(paths["capital"]) if "capital" in paths else household.capital,
        bereavement=bereavement,
    )
