"""Pension Credit's application asks what the Pension Credit rule needs, and only what is
relevant: partner questions with a partner, caring questions for someone who cares 35
hours or more, National Insurance years only without a State Pension in payment."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import FactKind
from benefits.claims.apply import engine
from benefits.claims.apply.questions import sections_for

pytestmark = pytest.mark.django_db


def asked(answers: dict) -> set[str]:
    return {q.slug for s in sections_for("pension_credit") for q in s.relevant(answers)}


def test_partner_questions_are_asked_only_with_a_partner():
    partner_slugs = {
        "partner_weekly_state_pension", "partner_weekly_pension_income",
        "partner_monthly_earnings", "partner_carers_allowance",
    }  # fmt: skip
    assert partner_slugs <= asked({"has_partner": True})
    assert not partner_slugs & asked({"has_partner": False})


def test_caring_questions_are_asked_only_of_someone_caring_35_hours_or_more():
    caring = {"cared_for_benefit", "weekly_earnings", "full_time_education"}
    assert caring <= asked({"caring_hours": 35})
    assert not caring & asked({"caring_hours": 34})
    assert not caring & asked({"caring_hours": 0})


def test_qualifying_years_are_asked_only_without_a_state_pension():
    assert "ni_qualifying_years" in asked({"weekly_state_pension": "0.00"})
    assert "ni_qualifying_years" not in asked({"weekly_state_pension": "160.00"})
    assert "partner_ni_qualifying_years" in asked(
        {"has_partner": True, "partner_weekly_state_pension": "0"}
    )
    assert "partner_ni_qualifying_years" not in asked(
        {"has_partner": False, "partner_weekly_state_pension": "0"}
    )


def test_what_the_record_holds_is_filled_in(citizen):
    from tests.journeys.test_journeys import worked_household

    customer = worked_household(
        citizen, born=date(1955, 4, 2), partner_born=date(1952, 12, 19),
        facts={FactKind.MONTHLY_EARNINGS: 0, FactKind.CAPITAL: 9500, FactKind.CARING_HOURS: 0,
               "claimant.weekly_state_pension": 160.0, "partner.weekly_state_pension": 169.5},
    )  # fmt: skip
    known = engine.known_answers(customer=customer, benefit_code="pension_credit")
    assert known["has_partner"] is True
    assert known["weekly_state_pension"] == "160.00"
    assert known["partner_weekly_state_pension"] == "169.50"
    assert known["monthly_earnings"] == "0.00"
    assert known["caring_hours"] == 0
