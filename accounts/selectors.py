"""Reads that need care: scoping to one customer, dates, prefetching."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Customer, Fact, HouseholdMember, User


def get_customer_for_user(*, user: User) -> Customer:
    """The signed-in person's own Customer; 404 if they have none."""
    customer = Customer.objects.filter(user=user).first() if user.is_authenticated else None
    if customer is None:
        raise Http404
    return customer


def facts_in_force(*, customer: Customer, on: date) -> dict[str, Fact]:
    """Every fact in force on a date, by kind, in one query."""
    facts = Fact.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=on),
        customer=customer,
        superseded_at__isnull=True,
        effective_from__lte=on,
    ).select_related("recorded_by")
    return {fact.kind: fact for fact in facts}


def fact_values_in_force(*, customer: Customer, on: date) -> dict[str, object]:
    return {kind: fact.value for kind, fact in facts_in_force(customer=customer, on=on).items()}


def fact_history(*, customer: Customer, kind: str | None = None) -> QuerySet[Fact]:
    """Every fact ever recorded, superseded ones included, oldest first."""
    facts = Fact.objects.filter(customer=customer).select_related("recorded_by")
    if kind is not None:
        facts = facts.filter(kind=kind)
    return facts.order_by("kind", "effective_from", "recorded_at")


def household_on(*, customer: Customer, on: date) -> QuerySet[HouseholdMember]:
    return customer.household.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)


def get_household_member_for_customer(*, customer: Customer, member_id: int) -> HouseholdMember:
    member = HouseholdMember.objects.filter(customer=customer, pk=member_id).first()
    if member is None:
        raise Http404
    return member
