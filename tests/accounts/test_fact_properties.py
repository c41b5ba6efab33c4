"""Properties of the bitemporal record, over random sequences of reports.

A naive reference model answers "what was true on D as known at K" by looking at every
report; the selector (one SQL query with DISTINCT ON) must agree with it for every date,
and a report must never change the past it does not cover.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import selectors
from accounts.models import Fact

pytestmark = pytest.mark.django_db

KIND = "claimant.monthly_earnings"
DAY0 = date(2026, 1, 1)
T0 = datetime(2026, 1, 1, tzinfo=UTC)
HORIZON = 45  # beyond every report's end


def days_to_check(rs):
    """Answers only change at a report's start or end: each boundary and the day before
    it, and the first and a far day, cover every stretch."""
    days = {0, HORIZON}
    for r in rs:
        days |= {r["start"], r["start"] - 1}
        if r["length"]:
            days |= {r["start"] + r["length"], r["start"] + r["length"] - 1}
    return sorted(d for d in days if 0 <= d <= HORIZON)


report = st.builds(
    dict,
    start=st.integers(0, 30),
    length=st.one_of(st.none(), st.integers(1, 10)),
    value=st.one_of(st.none(), st.integers(0, 5)),
    # Few distinct stamps, so ties in recorded_at happen often.
    at=st.integers(0, 6),
)
reports = st.lists(report, min_size=1, max_size=8)
SETTINGS = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def period(r):
    start = DAY0 + timedelta(days=r["start"])
    end = start + timedelta(days=r["length"]) if r["length"] else None
    return start, end


def reference(rs, day, known_at=None):
    """The naive model: every report recorded by known_at covering the day, the latest
    recorded winning; ties broken by a later start, an earlier end, then the larger value
    (the order the selector documents). Null means nothing is known."""
    covering = []
    for r in rs:
        start, end = period(r)
        if (
            (known_at is None or r["at"] <= known_at)
            and start <= day
            and (end is None or day < end)
        ):
            covering.append(r)
    if not covering:
        return None

    def rank(r):
        start, end = period(r)
        end_rank = end.toordinal() if end else 10**9
        value_rank = -1 if r["value"] is None else r["value"]  # JSON null sorts first
        return (r["at"], start.toordinal(), -end_rank, value_rank)

    return max(covering, key=rank)["value"]


def store(customer, rs):
    Fact.objects.filter(customer=customer).delete()
    Fact.objects.bulk_create(
        Fact(
            customer=customer,
            kind=KIND,
            value=r["value"],
            effective_from=period(r)[0],
            effective_to=period(r)[1],
            recorded_at=T0 + timedelta(hours=r["at"]),
            source="citizen",
        )
        for r in rs
    )


def answers(customer, days, known_at=None):
    stamp = None if known_at is None else T0 + timedelta(hours=known_at)
    return [
        selectors.fact_values_in_force(
            customer=customer, on=DAY0 + timedelta(days=d), known_at=stamp
        ).get(KIND)
        for d in days
    ]


def timeline_answers(customer, days):
    spans = selectors.fact_timeline(customer=customer, kind=KIND)
    out = []
    for d in days:
        day = DAY0 + timedelta(days=d)
        hit = next((s for s in spans if s.start <= day and (s.end is None or day < s.end)), None)
        out.append(hit.value if hit else None)
    return out


@SETTINGS
@given(rs=reports, known_at=st.one_of(st.none(), st.integers(0, 6)))
def test_the_answer_for_any_date_equals_the_reference_model(citizen, rs, known_at):
    customer = citizen.customer
    store(customer, rs)
    days = days_to_check(rs)
    expected = [reference(rs, DAY0 + timedelta(days=d), known_at) for d in days]
    assert answers(customer, days, known_at) == expected
    if known_at is None:
        assert timeline_answers(customer, days) == expected


@SETTINGS
@given(rs=reports, new=report)
def test_a_report_never_changes_the_past_it_does_not_cover(citizen, rs, new):
    customer = citizen.customer
    days = days_to_check([*rs, new])
    store(customer, rs)
    before = answers(customer, days)
    latest = max(r["at"] for r in rs) + 1
    store(customer, [*rs, {**new, "at": latest}])
    after = answers(customer, days)
    start, end = period(new)
    for d, was, now in zip(days, before, after, strict=True):
        day = DAY0 + timedelta(days=d)
        if start <= day and (end is None or day < end):
            assert now == new["value"]
        else:
            assert now == was


@SETTINGS
@given(rs=reports, data=st.data())
def test_replaying_reports_in_any_order_gives_the_same_answers(citizen, rs, data):
    customer = citizen.customer
    days = days_to_check(rs)
    store(customer, rs)
    first = answers(customer, days)
    store(customer, data.draw(st.permutations(rs)))
    assert answers(customer, days) == first
