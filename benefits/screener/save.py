"""Turn screener answers into the signed-in person's effective-dated facts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Customer, Fact, FactKind, FactSource, User
from benefits import assessment as snapshot


def answer_paths(answers: dict[str, Any]) -> dict[str, Any]:
    """The screener's answers (the household JSON) as household paths the facts hold."""
    paths: dict[str, Any] = {}
    for key, value in answers.items():
        if key in ("claimant", "partner", "bereavement") and isinstance(value, dict):
            if key == "partner" and answers.get("has_partner") is not True:
                continue
            paths.update({f"{key}.{field}": v for field, v in value.items()})
        else:
            paths[key] = value
    return {path: value for path, value in paths.items() if value is not None}


@transaction.atomic(durable=True)
def save_answers_as_facts(
    *, customer: Customer, by: User, answers: dict[str, Any], answered_at: datetime | None = None
) -> int:
    """Record every answer the rules can use as a fact from today; returns how many
    facts changed. Nothing the person told us is dropped: a later application or change
    of circumstances finds it.

    Answers are recorded as told when they were given (``answered_at``): answers kept in
    the session since before a change was reported do not override that change.
    """
    today = timezone.localdate()
    changes = 0
    latest = dict(
        Fact.objects.filter(customer=customer)
        .values("kind")
        .annotate(at=Max("recorded_at"))
        .values_list("kind", "at")
    )

    def record(kind: str, value: Any) -> None:
        nonlocal changes
        told_later = answered_at is not None and latest.get(kind) and latest[kind] > answered_at
        if told_later and account_services.record_says(
            customer=customer, kind=kind, value=value, effective_from=today
        ):
            return
        fact = account_services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=today, by=by,
            source=FactSource.SCREENER, recorded_at=answered_at if told_later else None,
        )  # fmt: skip
        changes += fact is not None

    claimant = answers.get("claimant") or {}
    if claimant.get("date_of_birth") and customer.date_of_birth is None:
        customer.date_of_birth = date.fromisoformat(claimant["date_of_birth"])
        customer.save(update_fields=["date_of_birth", "updated_at"])
        changes += 1
    if answers.get("has_partner") is not None:
        record(FactKind.RELATIONSHIP_STATUS, "couple" if answers["has_partner"] else "single")
    for path, value in answer_paths(answers).items():
        kind = snapshot.fact_kind_for(path)
        if kind is not None:
            record(kind, value)
    care_need = claimant.get("care_need")
    if care_need is not None:
        record(
            FactKind.HEALTH_CONDITION, care_need != "none" or bool(claimant.get("mobility_need"))
        )

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
