"""Demo appointments: offices and the teams' availability, slots for the weeks people can
book, and booked and past appointments for the demo citizens (one attended, one missed with
its follow-up for the team).

Bookings go through the service people use; the past ones are made in the past directly
(nobody can book yesterday) and their outcomes recorded through the caseworker's service.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TextIO

from django.db.models import F
from django.utils import timezone

from accounts.models import Customer, Team, User
from appointments import generation, services
from appointments.models import (
    BOOKING_WEEKS,
    Appointment,
    Availability,
    Channel,
    Office,
    Purpose,
    Slot,
    Status,
)
from benefits.models import Claim
from benefits.rules.base import is_working_day

OFFICES = [
    ("Leeds Jobcentre", "Eastgate House, 1 Eastgate, Leeds", "LS2 7JL", True),
    ("Caernarfon Jobcentre", "Penrallt, Caernarfon", "LL55 1EF", False),
]


def _person(email: str) -> Customer | None:
    return Customer.objects.filter(user__email=email).select_related("user").first()


def _free_slot(channel: str, *, after: datetime) -> Slot | None:
    return (
        Slot.objects.filter(channel=channel, starts_at__gt=after)
        .filter(booked__lt=F("capacity"))
        .order_by("starts_at")
        .first()
    )


def _past_slot(availability: Availability, days_ago: int) -> Slot:
    """A slot at 10am on the latest working day at least ``days_ago`` days back."""
    day = timezone.localdate() - timedelta(days=days_ago)
    while not is_working_day(day):
        day -= timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(day, time(10, 0)))
    slot, _ = Slot.objects.get_or_create(
        availability=availability, starts_at=starts,
        defaults={
            "team": availability.team, "channel": availability.channel,
            "office": availability.office, "ends_at": starts + timedelta(minutes=30),
            "capacity": availability.capacity,
        },
    )  # fmt: skip
    return slot


def _in_the_past(
    customer: Customer, availability: Availability, days_ago: int, purpose: str, **extra
) -> Appointment:
    slot = _past_slot(availability, days_ago)
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return Appointment.objects.create(
        reference=services.new_reference(), customer=customer, slot=slot, team=slot.team,
        starts_at=slot.starts_at, purpose=purpose, booked_by=customer.user, **extra,
    )  # fmt: skip


def seed(*, stdout: TextIO) -> None:
    caseworker = User.objects.get(email="caseworker@example.org")
    team, _ = Team.objects.get_or_create(name="Service centre (Leeds)")
    team.members.add(caseworker, User.objects.get(email="teamleader@example.org"))
    offices = [
        Office.objects.get_or_create(
            name=name, defaults={"address": address, "postcode": postcode, "step_free": step_free}
        )[0]
        for name, address, postcode, step_free in OFFICES
    ]
    if not Availability.objects.exists():
        today = timezone.localdate()
        for channel, place, start, end, minutes in [
            (Channel.OFFICE, offices[0], time(9, 30), time(16, 0), 30),
            (Channel.OFFICE, offices[1], time(10, 0), time(15, 0), 45),
            (Channel.PHONE, None, time(9, 0), time(17, 0), 20),
            (Channel.VIDEO, None, time(10, 0), time(16, 0), 30),
        ]:
            Availability.objects.create(
                team=team, channel=channel, office=place, weekdays=[1, 2, 3, 4, 5],
                start_time=start, end_time=end, slot_minutes=minutes, capacity=1,
                starts_on=today,
            )  # fmt: skip
    made = generation.generate_slots(weeks=BOOKING_WEEKS + 1)
    stdout.write(f"  appointment slots: {made} new for the next {BOOKING_WEEKS + 1} weeks\n")

    jess, margaret, aled = (_person(f"{n}@example.org") for n in ("jess", "margaret", "aled"))
    if jess is None or margaret is None or aled is None or Appointment.objects.exists():
        return
    if jess.user is None or margaret.user is None:
        return
    soon = timezone.now() + timedelta(days=2)
    phone = Availability.objects.filter(channel=Channel.PHONE).first()
    office = Availability.objects.filter(channel=Channel.OFFICE, office=offices[0]).first()
    if phone is None or office is None:  # staff changed the demo's availability: leave it
        return
    claim = Claim.objects.filter(customer=jess).exclude(status="draft").first()
    slot = _free_slot(Channel.PHONE, after=soon)
    if slot is not None:
        services.book_appointment(
            customer=jess, slot_id=slot.pk, purpose=Purpose.CLAIM, by=jess.user, claim=claim,
            needs=services.Needs(callback_phone="07700 900123"),
        )  # fmt: skip
    slot = _free_slot(Channel.OFFICE, after=soon + timedelta(days=3))
    if slot is not None:
        services.book_appointment(
            customer=margaret, slot_id=slot.pk, purpose=Purpose.APPLY, by=margaret.user,
            needs=services.Needs(step_free_access=True, other_needs="I use a walking frame."),
        )  # fmt: skip
    attended = _in_the_past(margaret, office, 9, Purpose.CLAIM)
    services.record_outcome(
        appointment=attended, outcome=Status.ATTENDED, by=caseworker,
        for_person="We went through your Pension Credit claim together. We will write to "
        "you with our decision.",
    )  # fmt: skip
    missed = _in_the_past(aled, phone, 3, Purpose.WORK_COACH, callback_phone="07700 900456")
    services.record_outcome(
        appointment=missed, outcome=Status.MISSED, by=caseworker,
        note="No answer on the number given; left no message.",
    )  # fmt: skip
    stdout.write("  appointments: booked, attended, and missed with a follow-up\n")
