"""Awards in payment become facts, so every rule that depends on them counts them.

When a statement is issued for Attendance Allowance, PIP, Carer's Allowance or the State
Pension, what it pays is recorded on the person's record from the statement's date
(``claimant.attendance_allowance`` = "lower", ``claimant.gets_carers_allowance`` = true…),
with the source "system" and the claim's reference as the note. When the award stops (the
claim is closed or withdrawn after an award, or an automatic award is taken back) the
record says so from that day. Pension Credit, Carer's Allowance ("does the person you care
for get a qualifying benefit?") and Universal Credit then read them from the household
snapshot like any other fact: nobody types an award in again.

Both functions run inside the service's transaction (``claims._issue_statement`` and
``lifecycle.transition``), so the award and the fact are recorded together or not at all.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from accounts.models import FactSource, User
from accounts.services import record_fact
from benefits.catalogue.selectors import rates_on
from benefits.models import AwardStatement, Claim
from benefits.rules.base import AttendanceRate, Period, PipRate, Rates

AA = "claimant.attendance_allowance"
PIP_DAILY_LIVING = "claimant.pip_daily_living"
PIP_MOBILITY = "claimant.pip_mobility"
CARERS_ALLOWANCE = "claimant.gets_carers_allowance"
STATE_PENSION = "claimant.weekly_state_pension"

# What each fact says once the award has stopped. The State Pension's "no longer so" is a
# null (its amount is unknown, not nil); the others say plainly that nothing is paid.
STOPPED: dict[str, dict[str, Any]] = {
    "attendance_allowance": {AA: AttendanceRate.NONE.value},
    "pip": {PIP_DAILY_LIVING: PipRate.NONE.value, PIP_MOBILITY: PipRate.NONE.value},
    "carers_allowance": {CARERS_ALLOWANCE: False},
    "state_pension": {STATE_PENSION: None},
}


def _rate_in_elements(elements: list[dict[str, Any]], prefix: str) -> str | None:
    """The rate an element of the rules names (``aa.higher`` → "higher"), if there is one."""
    for element in elements:
        rate = str(element.get("rate") or "")
        if rate.startswith(prefix) and Decimal(str(element.get("amount") or 0)) > 0:
            return rate.removeprefix(prefix)
    return None


def _adjusted(statement: AwardStatement) -> bool:
    return any(e.get("code") == "adjustment" for e in statement.elements)


def _attendance_allowance(statement: AwardStatement, rates: Rates) -> dict[str, Any]:
    if statement.amount == 0:
        return {AA: AttendanceRate.NONE.value}
    rate = None if _adjusted(statement) else _rate_in_elements(statement.elements, "aa.")
    if rate is None:
        # A caseworker's amount: the rate it is, when it is one.
        rate = {rates.get("aa.lower"): "lower", rates.get("aa.higher"): "higher"}.get(
            statement.amount
        )
    return {AA: rate} if rate in {r.value for r in AttendanceRate} else {}


def _pip(statement: AwardStatement, rates: Rates) -> dict[str, Any]:
    """Each component's rate, from the rules' elements or else from the amount (every
    pair of component rates adds up to a different sum)."""
    if not _adjusted(statement):
        daily = _rate_in_elements(statement.elements, "pip.daily_living.")
        mobility = _rate_in_elements(statement.elements, "pip.mobility.")
        if daily or mobility:
            return {PIP_DAILY_LIVING: daily or "none", PIP_MOBILITY: mobility or "none"}

    def weekly(part: str, level: str) -> Decimal | None:
        return Decimal(0) if level == "none" else rates.get(f"pip.{part}.{level}")

    levels = [r.value for r in PipRate]
    found = [
        (daily, mobility)
        for daily in levels
        for mobility in levels
        if None not in (weekly("daily_living", daily), weekly("mobility", mobility))
        and weekly("daily_living", daily) + weekly("mobility", mobility) == statement.amount
    ]
    if len(found) != 1:
        return {}  # not a sum of PIP rates: a caseworker records the components by hand
    daily, mobility = found[0]
    return {PIP_DAILY_LIVING: daily, PIP_MOBILITY: mobility}


def facts_for_statement(statement: AwardStatement, benefit_code: str) -> dict[str, Any]:
    """The facts an award statement makes true from its date: {} for other benefits."""
    if benefit_code == "carers_allowance":
        return {CARERS_ALLOWANCE: statement.amount > 0}
    if benefit_code == "state_pension":
        if statement.period != Period.WEEK:
            return {}
        return {STATE_PENSION: statement.amount if statement.amount else None}
    if benefit_code not in ("attendance_allowance", "pip"):
        return {}
    rates = rates_on(statement.effective_from)
    if benefit_code == "attendance_allowance":
        return _attendance_allowance(statement, rates)
    return _pip(statement, rates)


def record_award(*, claim: Claim, statement: AwardStatement, by: User | None) -> None:
    """The award a statement makes, on the person's record from its date."""
    for kind, value in facts_for_statement(statement, claim.benefit.code).items():
        record_fact(
            customer=claim.customer, kind=kind, value=value, by=by,
            effective_from=statement.effective_from, source=FactSource.SYSTEM,
            note=claim.reference or "",
        )  # fmt: skip


def record_award_stopped(*, claim: Claim, on: date, by: User | None) -> None:
    """The award is no longer paid from ``on``: the record says so (nothing is recorded
    for a claim that never had an award statement)."""
    stopped = STOPPED.get(claim.benefit.code)
    if not stopped or not claim.statements.exists():
        return
    for kind, value in stopped.items():
        record_fact(
            customer=claim.customer, kind=kind, value=value, by=by, effective_from=on,
            source=FactSource.SYSTEM, note=claim.reference or "",
        )  # fmt: skip
