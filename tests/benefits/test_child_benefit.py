"""Child Benefit worked cases (benefit-rates.md §2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.rules import child_benefit
from benefits.rules.base import Child, Household, Verdict
from tests.benefits.conftest import rates_on

OCT_2025 = date(2025, 10, 1)
TODAY_2026 = date(2026, 11, 25)


def assess(children, on=OCT_2025):
    return child_benefit.assess(Household(children=tuple(children)), on, rates_on(on))


def test_one_child_gets_the_eldest_rate():
    # A parent with one child aged 3, in October 2025: £26.05 a week.
    result = assess([Child(date_of_birth=date(2022, 5, 1))])
    assert result.verdict is Verdict.ELIGIBLE
    assert result.amount == Decimal("26.05")
    assert result.period == "week"


def test_three_children_get_eldest_plus_two_additional_with_no_two_child_limit():
    # Three children under 16 in 2026/27: £27.05 + 2 × £17.90 = £62.85 a week.
    kids = [
        Child(date_of_birth=date(2015, 1, 1)),
        Child(date_of_birth=date(2018, 1, 1)),
        Child(date_of_birth=date(2021, 1, 1)),
    ]
    assert assess(kids, TODAY_2026).amount == Decimal("62.85")


def test_a_17_year_old_counts_only_in_approved_education():
    in_college = Child(date_of_birth=date(2008, 9, 1), in_approved_education=True)
    working = Child(date_of_birth=date(2008, 9, 1), in_approved_education=False)
    assert assess([in_college]).amount == Decimal("26.05")
    assert assess([working]).verdict is Verdict.NOT_ELIGIBLE


def test_a_17_year_olds_education_is_asked_for_when_unknown():
    result = assess([Child(date_of_birth=date(2008, 9, 1))])
    assert result.verdict is Verdict.NEED_MORE_INFORMATION
    assert result.missing == ("children.0.in_approved_education",)


def test_no_children_means_no_child_benefit():
    assert assess([]).verdict is Verdict.NOT_ELIGIBLE


def test_unknown_children_are_asked_for():
    result = child_benefit.assess(Household(), OCT_2025, rates_on(OCT_2025))
    assert result.missing == ("children",)
