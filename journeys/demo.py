"""Demo journeys: a parent-to-be with a plan, a goal, and the to-do list that follows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from accounts.demo import CITIZEN_PASSWORD, seed_citizen
from accounts.models import Customer, FactKind
from accounts.selectors import fact_values_in_force
from benefits.rules.base import state_pension_age_date
from journeys import nudges, services
from journeys.models import LifeEvent
from lib.demo import DemoSignIn
from notifications import occasions

SIGNINS = [DemoSignIn("Citizen (near State Pension age)", "dewi@example.org", CITIZEN_PASSWORD)]


def near_pension_age_spec(today: date) -> dict:
    """Dewi, who reaches State Pension age in about six weeks (the State Pension age nudge):
    his date of birth is worked back from the seed's date by the rules' own table."""
    target = today + timedelta(days=45)
    born = next(
        dob
        for months in range(65 * 12, 68 * 12 + 1)
        for dob in [_months_before(target, months)]
        if today < state_pension_age_date(dob) <= today + timedelta(days=100)
    )
    return {
        "role": "Citizen (near State Pension age)",
        "email": "dewi@example.org",
        "customer": {
            "legal_given_names": "Dewi",
            "legal_family_name": "Roberts",
            "date_of_birth": born,
            "ni_number": "WR789012B",
            "address_line_1": "5 Castle Street",
            "town": "Caernarfon",
            "postcode": "LL55 1SE",
        },
        "household": [],
        "facts": [
            (FactKind.RELATIONSHIP_STATUS, "single", date(2024, 1, 1)),
            (FactKind.EMPLOYMENT, "employed", date(2024, 1, 1)),
            (FactKind.MONTHLY_EARNINGS, 1650, date(2024, 1, 1)),
            (FactKind.CAPITAL, 15000, date(2024, 1, 1)),
            (FactKind.HOUSING, "none", date(2024, 1, 1)),
            (FactKind.NI_QUALIFYING_YEARS, 41, date(2024, 1, 1)),
        ],
    }


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


# Not one transaction: it calls the services people use, each a durable transaction of
# its own. A failure part way keeps what was done (demo data is for throwaway databases).
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
            services.mark_task_done(task=first, by=sam.user)
        services.create_goal(
            customer=sam, title="Back to work by March", target_date=today + timedelta(days=100),
            steps=["Update my CV", "Book a National Careers Service appointment"], by=sam.user,
        )  # fmt: skip
        stdout.write("  journey: losing a job, and a goal (citizen@example.org)\n")
    seed_citizen(near_pension_age_spec(today), stdout)
    # The daily nudges, as the morning's beat would send them: a State Pension age coming
    # up, Nadia's children turning 16 and 20, her Maternity Allowance ending.
    report = occasions.run(group=nudges.GROUP, today=today)
    stdout.write(f"  nudges for today: {report.new} new\n")
