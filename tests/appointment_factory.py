"""Teams, availability, slots and appointments for tests, through the services (and the
set-based seeding the benchmarks use)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Team
from appointments import bulk, services
from appointments.models import Appointment, Availability, Channel, Office, Slot


def team(name: str = "Leeds service centre") -> Team:
    return Team.objects.get_or_create(name=name)[0]


def office(name: str = "Leeds Jobcentre", *, step_free: bool = True) -> Office:
    return Office.objects.get_or_create(
        name=name,
        defaults={"address": "1 High Street\nLeeds", "postcode": "LS1 4DY", "step_free": step_free},
    )[0]


def availability(
    *,
    channel: str = Channel.PHONE,
    capacity: int = 1,
    slot_minutes: int = 30,
    weekdays: list[int] | None = None,
    start_time: time = time(9),
    end_time: time = time(17),
    team_name: str = "Leeds service centre",
    office_name: str = "Leeds Jobcentre",
    nation: str = "england_and_wales",
    starts_on=None,
) -> Availability:
    return Availability.objects.create(
        team=team(team_name), channel=channel,
        office=office(office_name) if channel == Channel.OFFICE else None,
        weekdays=weekdays or [1, 2, 3, 4, 5, 6, 7], start_time=start_time, end_time=end_time,
        slot_minutes=slot_minutes, capacity=capacity,
        starts_on=starts_on or timezone.localdate(), nation=nation,
    )  # fmt: skip


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def slots(
    *,
    count: int = 3,
    channel: str = Channel.PHONE,
    capacity: int = 1,
    first: datetime | None = None,
    every: timedelta = timedelta(hours=1),
    **kwargs,
) -> list[Slot]:
    """``count`` slots from ``first`` (tomorrow at 10am), one each ``every``."""
    source = availability(channel=channel, capacity=capacity, **kwargs)
    bulk.seed_slots(
        availability=source, count=count, first_start=first or tomorrow_at(10), every=every
    )
    return list(Slot.objects.filter(availability=source).order_by("starts_at"))


def book(user, slot: Slot | None = None, *, claim=None, purpose: str = "other", needs=None):
    slot = slot or slots(count=1)[0]
    return services.book_appointment(
        customer=user.customer, slot_id=slot.pk, purpose=purpose, claim=claim, by=user,
        needs=needs or services.Needs(callback_phone="07700 900123"),
    )  # fmt: skip


def booked_appointment(user) -> Appointment:
    """A phone appointment tomorrow, booked by ``user``, with another time free to move to."""
    first, _second = slots(count=2)
    return book(user, first)
