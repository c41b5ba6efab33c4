"""Demo journeys: a parent-to-be with a plan, a goal, and the to-do list that follows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from accounts.models import Customer
from accounts.selectors import fact_values_in_force
from journeys import services
from journeys.models import LifeEvent

SIGNINS: list = []


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    today = timezone.localdate()
    priya = Customer.objects.filter(user__email="priya@example.org").select_related("user").first()
    if priya and not priya.journeys.exists():
        event = LifeEvent.objects.get(code="having-a-baby")
        due = fact_values_in_force(customer=priya, on=today).get("pregnancy_due_date")
        event_date = date.fromisoformat(due) if due else today + timedelta(days=90)
        services.start_journey(
            customer=priya, event=event, event_date=event_date, answers={}, by=priya.user
        )
        stdout.write("  journey: having a baby (priya@example.org)\n")
    sam = Customer.objects.filter(user__email="citizen@example.org").select_related("user").first()
    if sam and not sam.journeys.exists():
        event = LifeEvent.objects.get(code="losing-job")
        journey = services.start_journey(
            customer=sam, event=event, event_date=today - timedelta(days=14),
            answers={"claimant.monthly_earnings": 0}, by=sam.user,
        )  # fmt: skip
        first = journey.tasks.order_by("due_on").first()
        if first:
            services.mark_task_done(task=first)
        services.create_goal(
            customer=sam, title="Back to work by March", target_date=today + timedelta(days=100),
            steps=["Update my CV", "Book a National Careers Service appointment"],
        )  # fmt: skip
        stdout.write("  journey: losing a job, and a goal (citizen@example.org)\n")
