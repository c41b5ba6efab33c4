"""Reads of appointments and free times. ``get_appointment_for_customer`` is the one scoped
getter for citizen pages: "missing" and "not yours" are the same 404."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.acting import Whose
from accounts.models import Customer
from appointments.models import (
    BOOKING_WEEKS,
    CUTOFF,
    Appointment,
    Availability,
    Channel,
    FollowUp,
    Office,
    Slot,
    Status,
)

#: The most times the booking page lists for one week (a week with more shows these).
MOST_TIMES = 300
#: How many earlier appointments the person's page lists.
PAST_SHOWN = 20


def get_appointment_for_customer(*, whose: Whose, appointment_id: int) -> Appointment:
    """The signed-in person's appointment, with its slot, office, team and claim, in one
    query; 404 for anyone else's (or no customer: staff)."""
    appointment = (
        Appointment.objects.filter(pk=appointment_id, **whose.customer_filter())
        .select_related("slot__office", "team", "claim__benefit", "customer")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


@dataclass(frozen=True)
class PersonsAppointments:
    upcoming: list[Appointment]
    earlier: list[Appointment]


def appointments_for_customer(*, customer: Customer, now: datetime) -> PersonsAppointments:
    """The person's booked appointments to come (soonest first), and their earlier,
    cancelled and moved ones with outcomes (newest first): two queries."""
    rows = Appointment.objects.filter(customer=customer).select_related(
        "slot__office", "claim__benefit"
    )
    upcoming = rows.filter(status=Status.BOOKED, starts_at__gte=now).order_by("starts_at", "pk")
    earlier = rows.exclude(status=Status.BOOKED, starts_at__gte=now).order_by("-starts_at", "-pk")
    return PersonsAppointments(upcoming=list(upcoming), earlier=list(earlier[:PAST_SHOWN]))


def upcoming_appointments(*, customer: Customer, now: datetime, limit: int) -> list[Appointment]:
    """The next ``limit`` booked appointments, with their slot and office: one query."""
    return list(
        Appointment.objects.filter(customer=customer, status=Status.BOOKED, starts_at__gte=now)
        .select_related("slot__office")
        .order_by("starts_at", "pk")[:limit]
    )


def upcoming_count(*, customer: Customer, now: datetime) -> int:
    return Appointment.objects.filter(
        customer=customer, status=Status.BOOKED, starts_at__gt=now
    ).count()


@dataclass(frozen=True)
class Way:
    """A way to meet that people can book: a channel, and for an office which one."""

    channel: str
    office: Office | None

    @property
    def code(self) -> str:
        return f"office:{self.office.pk}" if self.office else self.channel


def ways_to_meet(*, today: date) -> list[Way]:
    """Phone, video and each open office, where some team is available: one query."""
    found = (
        Availability.objects.filter(active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(Q(office__isnull=True) | Q(office__active=True))
        .values_list("channel", "office_id")
        .distinct()
    )
    pairs = set(found)
    offices = {o.pk: o for o in Office.objects.filter(pk__in={o for _c, o in pairs if o})}
    order: dict[str, int] = {Channel.PHONE: 0, Channel.VIDEO: 1, Channel.OFFICE: 2}
    ways = [Way(channel=c, office=offices.get(o) if o else None) for c, o in pairs]
    return sorted(ways, key=lambda w: (order[w.channel], w.office.name if w.office else ""))


def office_for_booking(office_id: int) -> Office | None:
    return Office.objects.filter(pk=office_id, active=True).first()


@dataclass(frozen=True)
class Week:
    number: int  # 0: this week
    first_day: date

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(7)]

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < BOOKING_WEEKS - 1


def week(number: int, *, today: date) -> Week:
    monday = today - timedelta(days=today.weekday())
    return Week(number=number, first_day=monday + timedelta(days=7 * number))


def free_times(*, channel: str, office_id: int | None, week: Week, now: datetime) -> list[Slot]:
    """The times with a place free in ``week`` for this way of meeting, from the cut-off
    on: one slot per start and end time (the first made, when teams offer the same time),
    in time order, at most ``MOST_TIMES``.

    One query, served by the partial index ``appt_slot_free`` (channel, office, starts_at
    where a place is free): a range scan over the week, however many slots are full or
    in other weeks.
    """
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(week.first_day, time.min), tz)
    end = timezone.make_aware(datetime.combine(week.first_day + timedelta(days=7), time.min), tz)
    start = max(start, now + CUTOFF)
    slots = Slot.objects.filter(
        channel=channel, starts_at__gt=start, starts_at__lt=end, booked__lt=F("capacity")
    )
    slots = slots.filter(office_id=office_id) if office_id else slots.filter(office__isnull=True)
    return list(
        slots.order_by("starts_at", "ends_at", "pk").distinct("starts_at", "ends_at")[:MOST_TIMES]
    )


# --- Staff -------------------------------------------------------------------------------


def day_for_staff(*, team_ids: Iterable[int], day: date) -> QuerySet[Appointment]:
    """The teams' appointments on ``day`` (local), booked or done, in time order, with the
    person, the slot and the claim: one query."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    return (
        Appointment.objects.filter(team_id__in=list(team_ids), starts_at__gte=start)
        .filter(starts_at__lt=end)
        .exclude(status__in=[Status.CANCELLED])
        .exclude(status=Status.RESCHEDULED, moved_to__isnull=False)
        .select_related("customer", "slot__office", "claim__benefit", "team", "follow_up")
        .order_by("starts_at", "pk")
    )


def for_customer_360(*, customer: Customer, limit: int) -> list[Appointment]:
    """For staff: the person's latest appointments, with outcome and follow-up."""
    return list(
        Appointment.objects.filter(customer=customer)
        .select_related("slot__office", "team", "claim", "outcome_by", "follow_up")
        .order_by("-starts_at", "-pk")[:limit]
    )


def open_follow_ups(*, team_ids: Iterable[int]) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(team_id__in=list(team_ids), done_at__isnull=True)
        .select_related("appointment__customer", "team")
        .order_by("due_on", "pk")
    )
