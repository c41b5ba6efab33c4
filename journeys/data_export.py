"""This app's section of "Download my data" (``representatives.export.registry``).

The person's plans for life events with their answers, their to-do list, their goals
with their steps, and the changes of circumstances they reported with the effect we
showed them.
"""

from __future__ import annotations

from django.db.models import Prefetch

from accounts.models import Customer
from journeys.models import ChangeReport, Goal, GoalStep, Journey, Task
from representatives.export.registry import Collected


def collect_journeys(customer: Customer) -> Collected:
    """Five queries: plans (with their life event), tasks, goals, their steps, changes."""
    plans = Journey.objects.filter(customer=customer).select_related("life_event")
    tasks = Task.objects.filter(customer=customer)
    goals = Goal.objects.filter(customer=customer).prefetch_related(
        Prefetch("steps", queryset=GoalStep.objects.order_by("pk"))
    )
    changes = ChangeReport.objects.filter(customer=customer)
    return Collected(
        {
            "plans": [
                {
                    "id": j.pk,
                    "life_event": j.life_event.name,
                    "status": j.status,
                    "event_date": j.event_date,
                    "answers": j.answers,
                    "started_at": j.started_at,
                }
                for j in plans.order_by("started_at", "pk")
            ],
            "tasks": [
                {
                    "id": t.pk,
                    "source": t.source,
                    "plan_id": t.journey_id,
                    "title": t.title,
                    "help": t.help,
                    "due_on": t.due_on,
                    "done_at": t.done_at,
                    "created_at": t.created_at,
                }
                for t in tasks.order_by("created_at", "pk")
            ],
            "goals": [
                {
                    "id": g.pk,
                    "title": g.title,
                    "target_date": g.target_date,
                    "achieved_at": g.achieved_at,
                    "created_at": g.created_at,
                    "steps": [{"title": s.title, "done_at": s.done_at} for s in g.steps.all()],
                }
                for g in goals.order_by("created_at", "pk")
            ],
            "changes_reported": [
                {
                    "id": c.pk,
                    "kind": c.kind,
                    "happened_on": c.happened_on,
                    "details": c.details,
                    "effects": c.effects,
                    "confirmed_at": c.confirmed_at,
                }
                for c in changes.order_by("confirmed_at", "pk")
            ],
        }
    )
