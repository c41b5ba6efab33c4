"""Reads of the person's plans, goals and to-do list."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Customer
from journeys.models import Task


def open_tasks(*, customer: Customer) -> QuerySet[Task]:
    """The person's tasks not done yet (from plans, goals and caseworkers), soonest due
    first, those without a date last: one query."""
    return Task.objects.filter(customer=customer, done_at__isnull=True).order_by("due_on", "pk")
