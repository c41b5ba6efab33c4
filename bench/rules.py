"""Rules benchmark: every benefit for one household, and a batch of 10,000 households."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from benefits.rules import assess_all
from benefits.rules.base import Adult, CareNeed, Child, ChildDisability, Household, Housing

BATCH = 10_000


def random_household(rng: random.Random, on: date) -> Household:
    def born(low: int, high: int) -> date:
        return on - timedelta(days=rng.randint(low * 365, high * 365))

    def adult() -> Adult:
        return Adult(
            date_of_birth=born(18, 90), monthly_earnings=Decimal(rng.choice([0, 400, 1100, 2500])),
            weekly_hours_worked=Decimal(rng.choice([0, 10, 20, 37])), weekly_pension_income=Decimal(rng.choice([0, 40])),
            lcwra=rng.random() < 0.1, lcwra_claim_before_2026=rng.random() < 0.5, severe_conditions_or_terminal=False,
            care_need=rng.choice(list(CareNeed)), mobility_need=rng.random() < 0.2, condition_long_term=True,
            terminally_ill=False, caring_hours=rng.choice([0, 0, 40]), cared_for_gets_qualifying_benefit=True,
            weekly_earnings_for_carers=Decimal(rng.choice([0, 150, 250])), in_full_time_education=False,
            paid_class1_ni_last_2_years=rng.random() < 0.5, available_for_work=True, illness_prevents_work=False,
            ni_qualifying_years=rng.randint(0, 45), pregnant=False,
        )  # fmt: skip

    couple = rng.random() < 0.5
    kids = tuple(
        Child(
            date_of_birth=born(0, 15),
            disability=ChildDisability.NONE,
            two_child_limit_exception=False,
        )
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4]))
    )
    from benefits.rules.base import Bereavement

    return Household(
        claimant=adult(), has_partner=couple, partner=adult() if couple else None, children=kids,
        housing=rng.choice(list(Housing)), capital=Decimal(rng.choice([0, 3000, 9000, 20000])),
        lives_in_great_britain=True, bereavement=Bereavement(),
    )  # fmt: skip


def run(rates, on: date) -> list[str]:
    rng = random.Random(20261125)
    households = [random_household(rng, on) for _ in range(BATCH)]
    # One household, repeatedly: the latency a person waits for.
    single = households[0]
    timings = []
    for _ in range(500):
        started = time.perf_counter()
        assess_all(single, on, rates)
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    for household in households:
        assess_all(household, on, rates)
    elapsed = time.perf_counter() - started
    return [
        f"rules: all 10 benefits for one household: median {statistics.median(timings):.3f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)]:.3f} ms (target < 2 ms)",
        f"rules: batch of {BATCH:,} households: {elapsed:.2f} s, {BATCH / elapsed:,.0f} households/s",
    ]
