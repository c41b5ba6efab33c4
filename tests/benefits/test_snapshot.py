"""A customer's effective-dated facts feed the same rules as the screener."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounts import services as account_services
from accounts.models import FactKind
from benefits.assessment import assess_household, household_for_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(citizen):
    customer = citizen.customer
    customer.date_of_birth = date(1994, 5, 12)
    customer.save(update_fields=["date_of_birth"])
    for kind, value, start in (
        (FactKind.RELATIONSHIP_STATUS, "single", date(2024, 1, 1)),
        (FactKind.MONTHLY_EARNINGS, 500, date(2024, 1, 1)),
        (FactKind.MONTHLY_EARNINGS, 0, date(2026, 6, 1)),  # lost the job
        (FactKind.CAPITAL, 1200, date(2024, 1, 1)),
        (FactKind.HOUSING, "rent_private", date(2024, 1, 1)),
    ):
        account_services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=start, by=citizen
        )
    return customer


def universal_credit(customer, on):
    household = household_for_customer(customer=customer, on=on)
    return next(
        r
        for r in assess_household(household=household, on=on).results
        if r.benefit == "universal_credit"
    )


def test_facts_in_force_on_each_date_give_that_dates_answer(sam):
    household = household_for_customer(customer=sam, on=date(2025, 10, 1))

    assert household.claimant.monthly_earnings == Decimal(500)
    assert household.has_partner is False
    assert household.children == ()
    assert household_for_customer(customer=sam, on=date(2026, 7, 1)).claimant.monthly_earnings == 0


def test_unknown_facts_are_reported_missing_for_the_caller_to_ask(sam):
    result = universal_credit(sam, date(2025, 10, 1))

    assert result.verdict == "need_more_information"
    assert "claimant.lcwra" in result.missing


def test_a_change_of_circumstances_changes_the_award_from_its_date(sam, citizen):
    for kind, value in ((FactKind.LIMITED_CAPABILITY_FOR_WORK, False), (FactKind.CARING_HOURS, 0)):
        account_services.record_fact(
            customer=sam, kind=kind, value=value, effective_from=date(2024, 1, 1), by=citizen
        )

    # October 2025: £400.14 − 55% × £500 = £125.14. July 2026, no earnings: £424.90.
    assert universal_credit(sam, date(2025, 10, 1)).amount == Decimal("125.14")
    assert universal_credit(sam, date(2026, 7, 1)).amount == Decimal("424.90")
