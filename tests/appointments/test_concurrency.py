"""Double booking is impossible under concurrency: people racing for the last place, each
in their own thread and connection on the real PostgreSQL, get one booking between them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from appointments import services
from appointments.models import Appointment, Slot, Status
from tests.appointment_factory import book, slots
from tests.conftest import make_person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(*jobs):
    """Run each job in its own thread and connection, released together."""
    barrier, results, errors = threading.Barrier(len(jobs)), [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except services.BookingRefused as refused:
            results[index] = type(refused).__name__
        except Exception as exc:  # reported below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results, errors


def test_two_people_booking_the_last_place_get_one_booking(citizen, other_citizen):
    slot = slots(count=1, capacity=1)[0]

    for _round in range(3):
        results, errors = race(lambda: book(citizen, slot), lambda: book(other_citizen, slot))

        assert errors == []
        assert sorted(r if isinstance(r, str) else "booked" for r in results) == [
            "SlotTaken", "booked",
        ]  # fmt: skip
        assert Slot.objects.get(pk=slot.pk).booked == 1
        assert Appointment.objects.filter(slot=slot, status=Status.BOOKED).count() == 1
        # Free the place and race again: either may win.
        winner = Appointment.objects.get(slot=slot, status=Status.BOOKED)
        services.cancel_appointment(appointment=winner, by=winner.customer.user)


def test_many_people_racing_for_a_group_session_fill_exactly_its_places():
    slot = slots(count=1, capacity=3)[0]
    people = [make_person(f"racer{n}@example.org") for n in range(8)]

    results, errors = race(*[lambda person=person: book(person, slot) for person in people])

    assert errors == []
    assert sum(1 for r in results if isinstance(r, Appointment)) == 3
    assert results.count("SlotTaken") == 5
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert Appointment.objects.filter(slot=slot, status=Status.BOOKED).count() == 3


def test_a_move_and_a_booking_racing_for_the_last_place_leave_one_holder(citizen, other_citizen):
    first, last = slots(count=2)
    mine = book(citizen, first)

    _results, errors = race(
        lambda: services.move_appointment(appointment=mine, slot_id=last.pk, by=citizen),
        lambda: book(other_citizen, last),
    )

    assert errors == []
    assert Slot.objects.get(pk=last.pk).booked == 1
    assert Appointment.objects.filter(slot=last, status=Status.BOOKED).count() == 1
    # The move either happened whole (the first place free) or not at all.
    moved = Appointment.objects.get(pk=mine.pk).status == Status.RESCHEDULED
    assert Slot.objects.get(pk=first.pk).booked == (0 if moved else 1)


def test_two_tabs_moving_the_same_appointment_move_it_once(citizen):
    first, second, third = slots(count=3)
    mine = book(citizen, first)

    results, errors = race(
        lambda: services.move_appointment(appointment=mine, slot_id=second.pk, by=citizen),
        lambda: services.move_appointment(appointment=mine, slot_id=third.pk, by=citizen),
    )

    assert errors == []
    assert "NotBooked" in results
    booked = Appointment.objects.filter(customer=citizen.customer, status=Status.BOOKED)
    assert booked.count() == 1
    assert (
        sum(
            Slot.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list(
                "booked", flat=True
            )
        )
        == 1
    )
