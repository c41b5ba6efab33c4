"""Assessment: a Customer's facts on a date, as the household snapshot the rules read, and
the one way in to the rules (``assess_household``) for the screener, the command line,
claims and journeys.

Every rules call about a person (claims, the caseworker's proposal, change previews,
journeys, nudges) builds its household here, from the facts in force on the date as known
now (or as known at an earlier moment), so they all agree. The rules' inputs are facts named
by their household path (``claimant.care_need``); a few older kinds have names of their own
(``monthly_earnings``). A fact nobody has recorded stays None, so the rules list it as
missing and the caller can ask for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from accounts.models import Customer, FactKind
from accounts.selectors import fact_values_in_force, household_on
from benefits import rules
from benefits.catalogue import selectors as catalogue
from benefits.rules.base import Adult, Bereavement, Household, Housing, Result
from benefits.rules.household_json import household_from_data

HOUSING = {value.value: value for value in Housing}

# Kinds named before the rules' inputs were named by path.
NAMED_KINDS = {
    FactKind.MONTHLY_EARNINGS: "claimant.monthly_earnings",
    FactKind.PARTNER_MONTHLY_EARNINGS: "partner.monthly_earnings",
    FactKind.CAPITAL: "capital",
    FactKind.HOUSING: "housing",
    FactKind.CARING_HOURS: "claimant.caring_hours",
    FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT: "claimant.cared_for_gets_qualifying_benefit",
    FactKind.LIMITED_CAPABILITY_FOR_WORK: "claimant.lcwra",
    FactKind.NI_QUALIFYING_YEARS: "claimant.ni_qualifying_years",
    FactKind.PREGNANCY_DUE_DATE: "claimant.baby_due_date",
    FactKind.BEREAVEMENT_DATE: "bereavement.partner_died_on",
}
KIND_FOR_PATH = {path: kind for kind, path in NAMED_KINDS.items()}

# Held elsewhere: the person's date of birth on Customer, the partner's and children's on
# their household members, "has a partner" as the relationship status.
NOT_FACTS = {"claimant.date_of_birth", "partner.date_of_birth", "has_partner"}


def _rule_paths() -> frozenset[str]:
    paths = {f"{role}.{f.name}" for role in ("claimant", "partner") for f in fields(Adult)}
    paths |= {f"bereavement.{f.name}" for f in fields(Bereavement)}
    paths |= {
        f.name for f in fields(Household) if f.name not in ("claimant", "partner", "bereavement")
    }
    return frozenset(paths - NOT_FACTS)


RULE_PATHS = _rule_paths()


def fact_kind_for(path: str) -> str | None:
    """The fact kind that holds a household path, or None if facts do not hold it."""
    if path not in RULE_PATHS:
        return None
    return KIND_FOR_PATH.get(path, path)


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def known_paths(
    *, customer: Customer, on: date, known_at: datetime | None = None
) -> dict[str, Any]:
    """The household paths the facts in force on ``on`` answer, as JSON values."""
    facts = fact_values_in_force(customer=customer, on=on, known_at=known_at)
    paths: dict[str, Any] = {}
    for kind, value in facts.items():
        path = NAMED_KINDS.get(kind, kind)
        if path in RULE_PATHS:
            paths[path] = value
    status = facts.get(FactKind.RELATIONSHIP_STATUS)
    if status is not None:
        paths["has_partner"] = status == "couple"
    return paths


def household_for_customer(
    *,
    customer: Customer,
    on: date,
    known_at: datetime | None = None,
    overrides: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
) -> Household:
    """The household on ``on`` as known at ``known_at`` (now by default).

    ``overrides`` lays household paths over the facts (a change being previewed): they
    win. ``defaults`` fills only what the facts do not hold (a claim's answers for a date
    before they were recorded).
    """
    return household_from_data(
        household_data(
            customer=customer, on=on, known_at=known_at, overrides=overrides, defaults=defaults
        )
    )


def household_data(
    *,
    customer: Customer,
    on: date,
    known_at: datetime | None = None,
    overrides: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record on a date as the household JSON the rules read (and the screener keeps)."""
    paths = known_paths(customer=customer, on=on, known_at=known_at)
    members = list(household_on(customer=customer, on=on))
    partner_member = next((m for m in members if m.relationship == "partner"), None)
    if partner_member is not None:
        paths["has_partner"] = True
        paths["partner.date_of_birth"] = partner_member.date_of_birth.isoformat()
    if customer.date_of_birth:
        paths["claimant.date_of_birth"] = customer.date_of_birth.isoformat()
    if paths.get("claimant.baby_due_date") and "claimant.pregnant" not in paths:
        paths["claimant.pregnant"] = True
    paths.update({k: v for k, v in (defaults or {}).items() if k not in paths})
    paths.update(overrides or {})
    per_child = _per_child(paths)
    children = _children(members, paths.pop("children", None), per_child)
    return _nest(paths) | {"children": children}


CHILD_PATH = re.compile(r"^children\.(\d+)\.(\w+)$")


def _per_child(paths: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Take answers about one child (``children.0.sex``) out of ``paths``, by index."""
    found: dict[int, dict[str, Any]] = {}
    for path in [p for p in paths if CHILD_PATH.match(p)]:
        index, name = CHILD_PATH.match(path).groups()
        found.setdefault(int(index), {})[name] = paths.pop(path)
    return found


def _children(members, recorded, per_child: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Children are household members (eldest first); what we know about each
    (education, disability, sex) is held, by date of birth, in the "children" fact."""
    details = {c.get("date_of_birth"): c for c in recorded or [] if isinstance(c, dict)}
    children = [m for m in members if m.relationship == "child"]
    return [
        {**details.get(m.date_of_birth.isoformat(), {}), **per_child.get(index, {}),
         "date_of_birth": m.date_of_birth.isoformat()}
        for index, m in enumerate(children)
    ]  # fmt: skip


def children_fact_with(
    *, customer: Customer, on: date, answers: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """The "children" fact with answers about single children (``children.0.sex``) laid
    over it, or None when the answers hold none."""
    per_child = _per_child(dict(answers))
    if not per_child:
        return None
    members = list(household_on(customer=customer, on=on))
    recorded = fact_values_in_force(customer=customer, on=on).get("children")
    return _children(members, recorded, per_child)


def _nest(paths: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path, value in paths.items():
        head, _dot, rest = path.partition(".")
        if rest:
            data.setdefault(head, {})[rest] = value
        else:
            data[head] = value
    if not data.get("has_partner"):
        data.pop("partner", None)
    elif "partner" not in data:
        data["partner"] = {}
    return data


def with_answers(household: Household, paths: dict[str, object]) -> Household:
    """The household with a claim's answers laid over it, by household path.

    The answers win: they are what the person has just told us for this claim. A
    partner's answers only count when the household has a partner.
    """
    from dataclasses import replace

    from benefits.rules.base import Bereavement
    from benefits.rules.household_json import _adult

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


# --- One way in to the rules ---------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    on: date
    results: list[Result]

    def as_dict(self) -> dict[str, object]:
        return {"date": self.on.isoformat(), "results": [r.as_dict() for r in self.results]}

    @property
    def missing(self) -> list[str]:
        """Every fact any rule still needs, in the order the rules ask for them."""
        return list(dict.fromkeys(name for result in self.results for name in result.missing))

    @property
    def left_out(self) -> list[str]:
        """Facts an estimate went without (it does not wait for them; giving them may
        change an amount or add a charge)."""
        return list(dict.fromkeys(name for result in self.results for name in result.left_out))


def assess_household(*, household: Household, on: date) -> Assessment:
    """Assess every benefit for a household on a date, with the rates in force then.

    Raises ``catalogue.RatesNotAvailable`` for a date outside the years with rates: callers
    turn it into a message (the command, the screener's page).
    """
    rates = catalogue.rates_on(on)
    return Assessment(on=on, results=rules.assess_all(household, on, rates))
