"""Rules as code: one module per benefit, each a pure ``assess(household, on, rates, context)``.

``assess_all`` runs them in dependency order: benefits that count as income for others
(Carer's Allowance, State Pension, New Style JSA, Maternity Allowance) come before
Pension Credit and Universal Credit, which read them from the context.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import import_module

from benefits.rules.base import Context, Household, Rates, Result

ORDER = [
    "child_benefit",
    "state_pension",
    "carers_allowance",
    "jsa",
    "maternity_allowance",
    "attendance_allowance",
    "pip",
    "bereavement_support",
    "pension_credit",
    "universal_credit",
]


type Assess = Callable[[Household, date, Rates, Context], Result]


def _rule(code: str) -> Assess:
    """The rule's ``assess``: every module in ORDER defines one with this signature."""
    assess: Assess = import_module(f"benefits.rules.{code}").assess
    return assess


def assess_all(household: Household, on: date, rates: Rates) -> list[Result]:
    context = Context()
    for code in ORDER:
        context.results[code] = _rule(code)(household, on, rates, context)
    return [context.results[code] for code in ORDER]
