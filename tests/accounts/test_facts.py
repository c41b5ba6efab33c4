"""Circumstances are bitemporal facts: the latest-recorded assertion covering a date wins."""

from __future__ import annotations

from datetime import date

import pytest

from accounts import selectors, services
from accounts.models import Fact, FactKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(citizen):
    return citizen.customer


def earnings_on(customer, day):
    return selectors.fact_values_in_force(customer=customer, on=day).get(FactKind.MONTHLY_EARNINGS)


def test_a_change_on_a_date_applies_from_that_date_and_not_before(customer, citizen):
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=1450,
        effective_from=date(2025, 1, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=900,
        effective_from=date(2026, 6, 1), by=citizen,
    )  # fmt: skip

    assert earnings_on(customer, date(2024, 12, 31)) is None
    assert earnings_on(customer, date(2026, 5, 31)) == 1450
    assert earnings_on(customer, date(2026, 6, 1)) == 900
    assert earnings_on(customer, date(2030, 1, 1)) == 900


def spans(customer, kind, **kwargs):
    return [
        (s.value, s.start, s.end)
        for s in selectors.fact_timeline(customer=customer, kind=kind, **kwargs)
    ]


def test_history_is_never_overwritten(customer, citizen):
    services.record_fact(
        customer=customer, kind=FactKind.CAPITAL, value=1000,
        effective_from=date(2025, 1, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.CAPITAL, value=7000,
        effective_from=date(2025, 9, 1), by=citizen,
    )  # fmt: skip

    history = list(selectors.fact_history(customer=customer, kind=FactKind.CAPITAL))
    assert [(f.value, f.effective_from, f.effective_to) for f in history] == [
        (1000, date(2025, 1, 1), None),
        (7000, date(2025, 9, 1), None),
    ]
    assert all(f.recorded_by == citizen and f.source == "citizen" for f in history)
    assert spans(customer, FactKind.CAPITAL) == [
        (1000, date(2025, 1, 1), date(2025, 9, 1)),
        (7000, date(2025, 9, 1), None),
    ]


def test_a_same_day_correction_wins_and_the_first_report_stays_readable(
    customer, citizen, caseworker
):
    first = services.record_fact(
        customer=customer, kind=FactKind.CARING_HOURS, value=30,
        effective_from=date(2026, 3, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.CARING_HOURS, value=40,
        effective_from=date(2026, 3, 1), by=caseworker,
    )  # fmt: skip

    in_force = selectors.facts_in_force(customer=customer, on=date(2026, 3, 1))
    assert in_force[FactKind.CARING_HOURS].value == 40
    assert in_force[FactKind.CARING_HOURS].source == "caseworker"
    as_known_then = selectors.facts_in_force(
        customer=customer, on=date(2026, 3, 1), known_at=first.recorded_at
    )
    assert as_known_then[FactKind.CARING_HOURS].value == 30


def test_a_backdated_report_supersedes_what_it_covers_and_nothing_else(customer, citizen):
    """Earnings of £900 reported from 1 December win over £600 recorded earlier from
    4 December (the screener's answers): the later report covers those dates too."""
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=450,
        effective_from=date(2026, 1, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=600,
        effective_from=date(2026, 12, 4), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=900,
        effective_from=date(2026, 12, 1), by=citizen,
    )  # fmt: skip

    assert spans(customer, FactKind.MONTHLY_EARNINGS) == [
        (450, date(2026, 1, 1), date(2026, 12, 1)),
        (900, date(2026, 12, 1), None),
    ]


def test_a_report_for_a_closed_period_leaves_the_dates_around_it(customer, citizen):
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_RENT, value=500,
        effective_from=date(2025, 1, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_RENT, value=650,
        effective_from=date(2025, 7, 1), effective_to=date(2025, 9, 1), by=citizen,
    )  # fmt: skip

    assert spans(customer, FactKind.MONTHLY_RENT) == [
        (500, date(2025, 1, 1), date(2025, 7, 1)),
        (650, date(2025, 7, 1), date(2025, 9, 1)),
        (500, date(2025, 9, 1), None),
    ]


def test_a_null_value_says_no_longer_so(customer, citizen):
    services.record_fact(
        customer=customer, kind=FactKind.PREGNANCY_DUE_DATE, value="2026-05-01",
        effective_from=date(2025, 10, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=customer, kind=FactKind.PREGNANCY_DUE_DATE, value=None,
        effective_from=date(2026, 4, 28), by=citizen,
    )  # fmt: skip

    on = selectors.fact_values_in_force
    assert on(customer=customer, on=date(2026, 4, 27))[FactKind.PREGNANCY_DUE_DATE] == "2026-05-01"
    assert FactKind.PREGNANCY_DUE_DATE not in on(customer=customer, on=date(2026, 4, 28))


def test_an_unknown_kind_is_refused(customer, citizen):
    with pytest.raises(services.UnknownFactKind):
        services.record_fact(
            customer=customer, kind="Not a kind!", value=1, effective_from=date(2026, 1, 1),
            by=citizen,
        )  # fmt: skip


def test_recording_the_same_value_again_changes_nothing(customer, citizen):
    first = services.record_fact(
        customer=customer, kind=FactKind.HOUSING, value="owner",
        effective_from=date(2025, 1, 1), by=citizen,
    )  # fmt: skip
    again = services.record_fact(
        customer=customer, kind=FactKind.HOUSING, value="owner",
        effective_from=date(2025, 6, 1), by=citizen,
    )  # fmt: skip

    assert first is not None
    assert again is None
    assert Fact.objects.filter(customer=customer, kind=FactKind.HOUSING).count() == 1


def test_facts_in_force_takes_one_query(customer, citizen, django_assert_num_queries):
    for kind, value in (
        (FactKind.CAPITAL, 10),
        (FactKind.MONTHLY_RENT, 400),
        (FactKind.HOUSING, "owner"),
    ):
        services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=date(2025, 1, 1), by=citizen
        )

    with django_assert_num_queries(1):
        facts = selectors.facts_in_force(customer=customer, on=date(2026, 1, 1))
        assert facts[FactKind.CAPITAL].recorded_by.email == citizen.email


def test_household_on_a_date_follows_joining_and_leaving(customer, citizen):
    partner = services.add_household_member(
        customer=customer, by=citizen, relationship="partner", name="Kim",
        date_of_birth=date(1990, 1, 1), joined_on=date(2020, 1, 1),
    )  # fmt: skip
    services.record_member_left(member=partner, by=citizen, left_on=date(2026, 2, 1))

    assert list(selectors.household_on(customer=customer, on=date(2026, 1, 31))) == [partner]
    assert list(selectors.household_on(customer=customer, on=date(2026, 2, 1))) == []
    statuses = selectors.fact_history(customer=customer, kind=FactKind.RELATIONSHIP_STATUS)
    assert [(f.value, f.effective_from) for f in statuses] == [
        ("couple", date(2020, 1, 1)),
        ("single", date(2026, 2, 1)),
    ]


def test_amounts_go_in_as_decimal_strings_and_add_up_exactly_when_read(customer, citizen):
    from decimal import Decimal

    from benefits.assessment import household_for_customer

    since = date(2025, 1, 1)
    for kind, value in (
        (FactKind.CAPITAL, Decimal("0.10")),
        (FactKind.MONTHLY_EARNINGS, Decimal("0.2")),
        (FactKind.MONTHLY_RENT, 0.1),  # a float that got this far (an import) is kept exact
    ):
        services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=since, by=citizen
        )
    # The same amount written another way is what the record already says.
    again = services.record_fact(
        customer=customer, kind=FactKind.CAPITAL, value="0.1", effective_from=since, by=citizen
    )

    stored = dict(Fact.objects.filter(customer=customer).values_list("kind", "value"))
    household = household_for_customer(customer=customer, on=date(2025, 6, 1))
    assert again is None
    assert {k: stored[k] for k in ("capital", "monthly_earnings", "monthly_rent")} == {
        "capital": "0.10", "monthly_earnings": "0.20", "monthly_rent": "0.10",
    }  # fmt: skip
    total = household.capital + household.claimant.monthly_earnings
    assert total == Decimal("0.30")
    assert str(total) == "0.30"
    assert household.monthly_rent + household.claimant.monthly_earnings == Decimal("0.3")
    assert 0.1 + 0.2 != 0.3  # what the record would have summed to in floats
