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
