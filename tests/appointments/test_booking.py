"""Booking, moving and cancelling, through the services: places counted on the slot, the
cut-off 2 hours before (with a moved clock), a place freed at once, and the person told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import services
from appointments.models import CUTOFF, MAX_UPCOMING, Appointment, Slot, Status
from notifications.models import Notification
from tests.appointment_factory import book, slots
from tests.claim_factory import sent_claim
from tests.helpers import reload

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:
    return list(
        Notification.objects.filter(customer=user.customer)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_booking_takes_a_place_and_tells_the_person(citizen):
    slot = slots(count=1, capacity=2)[0]

    appointment = book(citizen, slot, purpose="apply")

    assert reload(slot).booked == 1
    assert appointment.status == Status.BOOKED
    assert (appointment.starts_at, appointment.team_id) == (slot.starts_at, slot.team_id)
    assert appointment.reference.startswith("AP-")
    assert appointment.booked_by == citizen
    assert appointment.callback_phone == "07700 900123"
    [title] = titles(citizen)
    assert title.startswith("Your appointment is booked for ")
    assert "10am" in title


def test_a_full_slot_refuses_the_next_person(citizen, other_citizen):
    slot = slots(count=1, capacity=1)[0]
    book(citizen, slot)

    with pytest.raises(services.SlotTaken):
        book(other_citizen, slot)

    assert reload(slot).booked == 1
    assert not Appointment.objects.filter(customer=other_citizen.customer).exists()
    assert titles(other_citizen) == []


def test_a_group_session_takes_as_many_people_as_its_places(citizen, other_citizen):
    from tests.conftest import make_person

    slot = slots(count=1, capacity=2)[0]
    book(citizen, slot)
    book(other_citizen, slot)

    with pytest.raises(services.SlotTaken):
        book(make_person("carol@example.org"), slot)

    assert reload(slot).booked == 2


def test_a_person_cannot_hold_the_same_slot_twice(citizen):
    slot = slots(count=1, capacity=3)[0]
    first = book(citizen, slot)

    with pytest.raises(services.SlotTaken):
        book(citizen, slot)

    assert reload(slot).booked == 1
    # And the database refuses it whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            reference="AP-TEST-0001", customer=citizen.customer, slot=slot, team_id=slot.team_id,
            starts_at=slot.starts_at, purpose="other",
        )  # fmt: skip
    assert Appointment.objects.filter(customer=citizen.customer).get() == first


def test_the_database_refuses_more_places_than_the_slot_has(citizen):
    slot = slots(count=1, capacity=1)[0]
    book(citizen, slot)

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=2)


def test_an_appointment_about_a_claim_is_about_the_persons_own_claim(citizen, other_citizen):
    theirs = sent_claim(other_citizen)
    mine = sent_claim(citizen)

    with pytest.raises(ValueError, match="own claim"):
        book(citizen, purpose="claim", claim=theirs)

    assert not Appointment.objects.filter(customer=citizen.customer).exists()
    assert book(citizen, purpose="claim", claim=mine).claim == mine


def test_a_person_holds_at_most_a_few_appointments_to_come(citizen):
    times = slots(count=MAX_UPCOMING + 1)
    for slot in times[:MAX_UPCOMING]:
        book(citizen, slot)

    with pytest.raises(services.TooMany):
        book(citizen, times[-1])

    assert reload(times[-1]).booked == 0


# --- The cut-off, at its real value ----------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Move the clock: ``clock(moment)``."""

    def move(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def test_the_cut_off_is_two_hours():
    assert timedelta(hours=2) == CUTOFF


def test_booking_closes_two_hours_before_the_start(citizen, other_citizen, clock):
    slot = slots(count=1, capacity=2)[0]

    clock(slot.starts_at - CUTOFF - timedelta(minutes=1))
    book(citizen, slot)
    clock(slot.starts_at - CUTOFF)
    with pytest.raises(services.TooLate):
        book(other_citizen, slot)

    assert reload(slot).booked == 1


def test_cancelling_online_closes_two_hours_before_the_start(citizen, clock):
    appointment = book(citizen)

    clock(appointment.starts_at - CUTOFF)
    with pytest.raises(services.TooLate):
        services.cancel_appointment(appointment=appointment, by=citizen)
    assert reload(appointment).status == Status.BOOKED

    clock(appointment.starts_at - CUTOFF - timedelta(seconds=1))
    services.cancel_appointment(appointment=appointment, by=citizen)
    assert reload(appointment).status == Status.CANCELLED


def test_staff_may_cancel_for_the_person_after_the_cut_off(citizen, caseworker, clock):
    appointment = book(citizen)
    clock(appointment.starts_at - timedelta(minutes=30))

    services.cancel_appointment(appointment=appointment, by=caseworker)

    assert reload(appointment).cancelled_by == caseworker


def test_moving_closes_two_hours_before_the_start(citizen, clock):
    first, later = slots(count=2, every=timedelta(days=1))
    appointment = book(citizen, first)

    clock(first.starts_at - CUTOFF)
    with pytest.raises(services.TooLate):
        services.move_appointment(appointment=appointment, slot_id=later.pk, by=citizen)

    assert reload(appointment).status == Status.BOOKED
    assert (reload(first).booked, reload(later).booked) == (1, 0)


# --- Cancelling and moving ----------------------------------------------------------------


def test_cancelling_frees_the_place_at_once(citizen, other_citizen):
    slot = slots(count=1, capacity=1)[0]
    appointment = book(citizen, slot)

    cancelled = services.cancel_appointment(appointment=appointment, by=citizen, reason="mistake")

    assert (cancelled.status, cancelled.cancel_reason) == (Status.CANCELLED, "mistake")
    assert cancelled.cancelled_at is not None
    assert reload(slot).booked == 0
    assert book(other_citizen, slot).slot == slot  # someone else can have it now
    assert titles(citizen)[-1].startswith("Your appointment on ")
    assert titles(citizen)[-1].endswith(" is cancelled")


def test_deleting_a_person_gives_back_the_place_their_booking_held(citizen, other_citizen):
    slot = slots(count=1, capacity=1)[0]
    book(citizen, slot)
    assert reload(slot).booked == 1

    citizen.customer.delete()  # a caseworker removes a record made in error

    assert not Appointment.objects.filter(slot=slot).exists()
    assert reload(slot).booked == 0
    assert book(other_citizen, slot).slot == slot


def test_a_cancelled_appointment_cannot_be_cancelled_again(citizen):
    appointment = book(citizen)
    services.cancel_appointment(appointment=appointment, by=citizen)

    with pytest.raises(services.NotBooked):
        services.cancel_appointment(appointment=appointment, by=citizen)

    assert reload(appointment.slot).booked == 0  # freed once, not twice


def test_moving_books_the_new_time_and_frees_the_old_together(citizen):
    first, later = slots(count=2)
    needs = services.Needs(
        interpreter_language="Polish", step_free_access=False, callback_phone="07700 900123",
        other_needs="I need more time",
    )  # fmt: skip
    appointment = book(citizen, first, purpose="work_coach", needs=needs)

    moved = services.move_appointment(appointment=appointment, slot_id=later.pk, by=citizen)

    old = reload(appointment)
    assert old.status == Status.RESCHEDULED
    assert moved.moved_from == old
    assert moved.status == Status.BOOKED
    assert (moved.purpose, moved.interpreter_language, moved.other_needs) == (
        "work_coach", "Polish", "I need more time",
    )  # fmt: skip
    assert (reload(first).booked, reload(later).booked) == (0, 1)
    assert titles(citizen)[-1].startswith("Your appointment has moved to ")


def test_moving_to_a_full_time_changes_nothing(citizen, other_citizen):
    first, later = slots(count=2)
    appointment = book(citizen, first)
    book(other_citizen, later)

    with pytest.raises(services.SlotTaken):
        services.move_appointment(appointment=appointment, slot_id=later.pk, by=citizen)

    assert reload(appointment).status == Status.BOOKED
    assert (reload(first).booked, reload(later).booked) == (1, 1)


def test_moving_to_the_same_time_is_refused(citizen):
    appointment = book(citizen)

    with pytest.raises(services.BookingRefused):
        services.move_appointment(appointment=appointment, slot_id=appointment.slot_id, by=citizen)

    assert reload(appointment).status == Status.BOOKED


def test_a_person_at_the_limit_can_still_move_one(citizen):
    times = slots(count=MAX_UPCOMING + 1)
    booked = [book(citizen, slot) for slot in times[:MAX_UPCOMING]]

    moved = services.move_appointment(appointment=booked[0], slot_id=times[-1].pk, by=citizen)

    assert moved.slot == times[-1]
