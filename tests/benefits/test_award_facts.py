"""Awards in payment become facts when their statement is issued, and stop when the claim
does, so every rule that depends on them counts them without anyone typing them again.

Rates from benefit-rates.md (the published rates, in the project's shared notes) by the tax year the test runs in: PIP §10,
Carer's Allowance §3, Pension Credit §5.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import FactKind, FactSource
from benefits import assessment as snapshot
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims.apply import engine
from benefits.models import Benefit, Claim, ClaimStatus
from benefits.rules.base import AttendanceRate, PipRate
from tests.claim_factory import complete_answers
from tests.journeys.test_journeys import worked_household

pytestmark = pytest.mark.django_db


def apply(user, code: str, answers: dict) -> Claim:
    claim = applications.start_or_resume_draft(
        customer=user.customer, benefit=Benefit.objects.get(code=code), by=user
    )
    known = engine.known_answers(customer=user.customer, benefit_code=code)
    claim = applications.save_draft_answers(
        claim=claim, answers={**complete_answers(code), **known, **answers},
        version=claim.version, by=user,
    )  # fmt: skip
    return applications.submit_claim(claim=claim, by=user)


def in_force(customer, on: date) -> dict:
    return account_selectors.fact_values_in_force(customer=customer, on=on)


def pip_rates(on: date) -> tuple[Decimal, Decimal]:
    """(daily living enhanced, mobility standard), benefit-rates.md §10."""
    if on >= date(2026, 4, 6):
        return Decimal("114.60"), Decimal("30.30")
    return Decimal("110.40"), Decimal("29.20")


@pytest.fixture
def pensioner(citizen):
    return worked_household(
        citizen, born=date(1950, 1, 1),
        facts={FactKind.RELATIONSHIP_STATUS: "single", FactKind.MONTHLY_EARNINGS: 0,
               FactKind.CAPITAL: 2000, FactKind.HOUSING: "none"},
    )  # fmt: skip


def test_an_attendance_allowance_award_is_on_the_record_from_its_statement_date(
    citizen, pensioner, team_leader
):
    aa = apply(citizen, "attendance_allowance",
               {"care_need": "day_and_night", "long_term": True, "terminally_ill": False})  # fmt: skip
    claim_decisions.award_claim(claim=aa, by=team_leader)
    statement = aa.statements.get()
    fact = account_selectors.facts_in_force(customer=pensioner, on=statement.effective_from)[
        "claimant.attendance_allowance"
    ]
    assert (fact.value, fact.source, fact.note) == ("higher", FactSource.SYSTEM, aa.reference)
    assert fact.effective_from == statement.effective_from
    before = in_force(pensioner, statement.effective_from - timedelta(days=1))
    assert "claimant.attendance_allowance" not in before
    # Every rule reads it from the household snapshot.
    household = snapshot.household_for_customer(customer=pensioner, on=timezone.localdate())
    assert household.claimant.attendance_allowance is AttendanceRate.HIGHER
    assert household.claimant.gets_daily_living_award


def test_closing_an_award_records_that_it_stopped(citizen, pensioner, team_leader):
    aa = apply(citizen, "attendance_allowance",
               {"care_need": "day_or_night", "long_term": True, "terminally_ill": False})  # fmt: skip
    claim_decisions.award_claim(claim=aa, by=team_leader)
    assert in_force(pensioner, timezone.localdate())["claimant.attendance_allowance"] == "lower"
    lifecycle.transition(claim=aa, to=ClaimStatus.CLOSED, by=team_leader, reason="Award ended.")
    assert in_force(pensioner, timezone.localdate())["claimant.attendance_allowance"] == "none"


def test_a_claim_closed_without_an_award_records_nothing(citizen, pensioner, team_leader):
    aa = apply(citizen, "attendance_allowance",
               {"care_need": "day_or_night", "long_term": True, "terminally_ill": False})  # fmt: skip
    claim_decisions.refuse_claim(claim=aa, by=team_leader, reasons="Not six months yet.")
    lifecycle.transition(claim=aa, to=ClaimStatus.CLOSED, by=team_leader)
    assert "claimant.attendance_allowance" not in in_force(pensioner, timezone.localdate())


def test_a_pip_award_typed_by_a_caseworker_records_both_components(citizen, team_leader):
    customer = worked_household(
        citizen, born=date(1980, 1, 1),
        facts={FactKind.RELATIONSHIP_STATUS: "single", FactKind.MONTHLY_EARNINGS: 0},
    )  # fmt: skip
    pip = apply(citizen, "pip", {"care_need": "day_and_night", "mobility_need": True,
                                 "long_term": True, "terminally_ill": False})  # fmt: skip
    daily_enhanced, mobility_standard = pip_rates(timezone.localdate())
    # The assessment scored 12+ daily living points and 8–11 mobility points.
    claim_decisions.award_claim(
        claim=pip, by=team_leader, amount=daily_enhanced + mobility_standard,
        adjustment_reason="Your assessment scored 12 points for daily living and 9 for mobility.",
    )  # fmt: skip
    household = snapshot.household_for_customer(customer=customer, on=timezone.localdate())
    assert household.claimant.pip_daily_living is PipRate.ENHANCED
    assert household.claimant.pip_mobility is PipRate.STANDARD


def test_a_carers_allowance_award_is_counted_by_pension_credit(citizen, team_leader):
    """A pensioner carer with a small State Pension: Carer's Allowance tops it up, and
    Pension Credit counts that top-up as income, with nobody retyping the award."""
    customer = worked_household(
        citizen, born=date(1950, 1, 1),
        facts={FactKind.RELATIONSHIP_STATUS: "single", FactKind.MONTHLY_EARNINGS: 0,
               FactKind.CAPITAL: 2000, FactKind.HOUSING: "none", FactKind.CARING_HOURS: 40,
               FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT: True,
               "claimant.weekly_state_pension": 50.0, "claimant.weekly_pension_income": 0},
    )  # fmt: skip
    ca = apply(citizen, "carers_allowance", {"weekly_earnings": "0.00",
                                             "full_time_education": False})  # fmt: skip
    claim_decisions.award_claim(claim=ca, by=team_leader)
    assert in_force(customer, timezone.localdate())["claimant.gets_carers_allowance"] is True
    pc = apply(citizen, "pension_credit", {})
    result = claim_decisions.assess_claim(claim=pc)
    assert result.amount is not None, result.missing
    carers = next(e for e in result.elements if e.code == "pc.income.carers_allowance")
    # Carer's Allowance less the £50 State Pension it overlaps (2026/27: £86.45 − £50.00).
    assert carers.amount == -(ca.statements.get().amount)
    assert ca.statements.get().amount == (
        Decimal("86.45") if timezone.localdate() >= date(2026, 4, 6) else Decimal("83.30")
    ) - Decimal("50.00")
