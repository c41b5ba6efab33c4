"""Turn screener answers into the signed-in person's effective-dated facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Customer, FactKind, User

ADULT_FACTS = {
    ("claimant", "monthly_earnings"): FactKind.MONTHLY_EARNINGS,
    ("partner", "monthly_earnings"): FactKind.PARTNER_MONTHLY_EARNINGS,
    ("claimant", "caring_hours"): FactKind.CARING_HOURS,
    ("claimant", "cared_for_gets_qualifying_benefit"): FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT,
    ("claimant", "lcwra"): FactKind.LIMITED_CAPABILITY_FOR_WORK,
    ("claimant", "ni_qualifying_years"): FactKind.NI_QUALIFYING_YEARS,
    ("claimant", "baby_due_date"): FactKind.PREGNANCY_DUE_DATE,
}


@transaction.atomic
def save_answers_as_facts(*, customer: Customer, by: User, answers: dict[str, Any]) -> int:
    """Record each answer as a fact from today; returns how many facts changed."""
    today = timezone.localdate()
    changes = 0

    def record(kind: str, value: Any) -> None:
        nonlocal changes
        if value is None:
            return
        fact = account_services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=today, by=by
        )
        changes += fact is not None

    claimant = answers.get("claimant") or {}
    if claimant.get("date_of_birth") and customer.date_of_birth is None:
        customer.date_of_birth = date.fromisoformat(claimant["date_of_birth"])
        customer.save(update_fields=["date_of_birth", "updated_at"])
        changes += 1
    if answers.get("has_partner") is not None:
        record(FactKind.RELATIONSHIP_STATUS, "couple" if answers["has_partner"] else "single")
    record(FactKind.CAPITAL, answers.get("capital"))
    record(FactKind.HOUSING, answers.get("housing"))
    for (role, field), kind in ADULT_FACTS.items():
        if role == "partner" and answers.get("has_partner") is not True:
            continue
        record(kind, (answers.get(role) or {}).get(field))
    care_need = claimant.get("care_need")
    if care_need is not None:
        record(
            FactKind.HEALTH_CONDITION, care_need != "none" or bool(claimant.get("mobility_need"))
        )
    died = (answers.get("bereavement") or {}).get("partner_died_on")
    record(FactKind.BEREAVEMENT_DATE, died)

    # Household: children and a partner we did not know about, from their dates of birth.
    known = {(m.relationship, m.date_of_birth) for m in customer.household.all()}
    for index, child in enumerate(answers.get("children") or []):
        born = child.get("date_of_birth")
        if born and ("child", date.fromisoformat(born)) not in known:
            _add_member(
                customer, by, "child", _("Child %(n)d") % {"n": index + 1}, date.fromisoformat(born)
            )
            changes += 1
    partner_born = (answers.get("partner") or {}).get("date_of_birth")
    if (
        answers.get("has_partner")
        and partner_born
        and ("partner", date.fromisoformat(partner_born)) not in known
    ):
        _add_member(customer, by, "partner", _("Partner"), date.fromisoformat(partner_born))
        changes += 1
    return changes


def _add_member(customer: Customer, by: User, relationship: str, name: str, born: date) -> None:
    # The same service the household page uses, inside this transaction.
    account_services.add_household_member(
        customer=customer, by=by, relationship=relationship, name=name, date_of_birth=born,
        joined_on=born if relationship == "child" else timezone.localdate(),
    )  # fmt: skip
