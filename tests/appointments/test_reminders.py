"""Reminders 24 hours and 2 hours before an appointment, through the occasions engine run
every 10 minutes: each told once, on the channels the person chose for reminders, never
for an appointment that is cancelled or moved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from appointments import bulk, reminders, services
from appointments.models import Appointment
from notifications import occasions
from notifications.models import Delivery, Notification, NotificationKind, Reminder
from notifications.services import save_preferences
from tests.appointment_factory import availability, book, slots, tomorrow_at
from tests.conftest import make_person
from tests.helpers import set_channels

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]


@pytest.fixture
def clock(monkeypatch):
    def move(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def book_early(user, slot=None, clock=None, **kwargs):
    """Booked two days before the start (whatever the time the tests run at)."""
    slot = slot or slots(count=1)[0]
    clock(slot.starts_at - timedelta(days=2))
    return book(user, slot, **kwargs)


def run() -> occasions.Report:
    return occasions.run(group=reminders.GROUP)


def reminded(user) -> list[tuple[str, str]]:
    """(key, title) of each reminder the person was sent."""
    rows = Reminder.objects.filter(customer=user.customer).order_by("pk")
    titles = dict(
        Notification.objects.filter(pk__in=rows.values("notification_id")).values_list(
            "pk", "title"
        )
    )
    return [(r.key, titles[r.notification_id]) for r in rows]


def test_the_beat_runs_the_reminders_every_ten_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["appointment-reminders"]
    assert entry["task"] == "appointments.tasks.send_reminders"
    assert entry["schedule"] == timedelta(minutes=10)


def test_a_reminder_24_hours_before_then_2_hours_before_each_once(citizen, clock):
    appointment = book_early(citizen, clock=clock)
    start = appointment.starts_at  # tomorrow at 10am
    key = f"appt:{appointment.pk}"

    clock(start - timedelta(hours=24, minutes=5))  # booked more than a day ahead
    assert run().new == 0
    clock(start - timedelta(hours=23, minutes=55))
    first = run()
    again = run()
    clock(start - timedelta(hours=3))
    quiet = run()
    clock(start - timedelta(hours=1, minutes=55))
    second = run()
    clock(start - timedelta(minutes=5))
    last = run()

    assert (first.new, again.new, quiet.new, second.new, last.new) == (1, 0, 0, 1, 0)
    assert again.already_sent == 1
    when = timezone.localtime(start)
    day = f"{when:%A} {when.day} {when:%B}"
    assert reminded(citizen) == [
        (f"{key}:24h", f"Reminder: your appointment is on {day} at 10am"),
        (f"{key}:2h", f"Your appointment starts soon, at 10am ({day})"),
    ]
    note = Notification.objects.get(pk=Reminder.objects.get(key=f"{key}:2h").notification_id)
    assert note.kind == NotificationKind.REMINDER
    assert note.link == f"/appointments/{appointment.pk}/"


def test_half_past_reads_as_people_write_it(citizen, clock):
    slot = slots(count=1, first=tomorrow_at(14, 30))[0]
    appointment = book_early(citizen, slot, clock=clock)

    clock(appointment.starts_at - timedelta(hours=1))
    run()

    [(_key, title)] = reminded(citizen)
    assert title.startswith("Your appointment starts soon, at 2:30pm (")


def test_a_missed_run_is_caught_up_by_the_next(citizen, clock):
    appointment = book_early(citizen, clock=clock)

    clock(appointment.starts_at - timedelta(hours=20))  # beat was down at the 24 hour mark
    run()

    assert [k for k, _t in reminded(citizen)] == [f"appt:{appointment.pk}:24h"]


def test_an_appointment_booked_within_a_day_gets_no_24_hour_reminder(citizen, clock):
    slot = slots(count=1)[0]
    clock(slot.starts_at - timedelta(hours=10))
    appointment = book(citizen, slot)  # the confirmation was just sent

    run()
    clock(slot.starts_at - timedelta(hours=1))
    run()

    assert [k for k, _t in reminded(citizen)] == [f"appt:{appointment.pk}:2h"]


def test_cancelled_and_moved_appointments_are_not_reminded(citizen, other_citizen, clock):
    first, second = slots(count=2, capacity=2)
    clock(first.starts_at - timedelta(days=2))
    cancelled = book(citizen, first)
    services.cancel_appointment(appointment=cancelled, by=citizen)
    moving = book(other_citizen, first)
    moved = services.move_appointment(appointment=moving, slot_id=second.pk, by=other_citizen)

    clock(first.starts_at - timedelta(hours=23))
    run()

    assert reminded(citizen) == []
    assert [k for k, _t in reminded(other_citizen)] == [f"appt:{moved.pk}:24h"]


def test_reminders_go_on_the_channels_chosen_for_reminders(citizen, other_citizen, clock):
    set_channels(citizen, ["email", "sms"])
    save_preferences(
        customer=citizen.customer, channels={"reminder": ["sms"], "status": ["email"]},
        quiet_from=None, quiet_until=None,
    )  # fmt: skip
    set_channels(other_citizen, ["email"])
    slot = slots(count=1, capacity=2)[0]
    mine, theirs = book_early(citizen, slot, clock=clock), book(other_citizen, slot)

    clock(slot.starts_at - timedelta(hours=23))
    run()

    def channels(user, appointment):
        note_id = Reminder.objects.get(key=f"appt:{appointment.pk}:24h").notification_id
        return sorted(
            Delivery.objects.filter(notification_id=note_id).values_list("channel", flat=True)
        )

    assert channels(citizen, mine) == ["sms"]
    assert channels(other_citizen, theirs) == ["email"]


def test_the_run_is_set_based_queries_stay_the_same_however_many_are_due(clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source = availability()
    bulk.seed_slots(
        availability=source, count=300, first_start=tomorrow_at(9), every=timedelta(seconds=1)
    )
    people = [make_person(f"p{n}@example.org").customer.pk for n in range(3)]
    bulk.seed_appointments(
        availability=source, customer_ids=people, booked_at=timezone.now() - timedelta(days=3)
    )
    clock(tomorrow_at(9) - timedelta(hours=23))
    with CaptureQueriesContext(connection) as few:
        assert run().new == 3

    more = [make_person(f"q{n}@example.org").customer.pk for n in range(40)]
    bulk.seed_appointments(
        availability=source, customer_ids=more, booked_at=timezone.now() - timedelta(days=3)
    )
    with CaptureQueriesContext(connection) as many:
        report = run()

    assert report.new == 40
    assert report.already_sent == 3
    assert len(many) == len(few)
    assert Appointment.objects.count() == 43


def test_a_welsh_speakers_reminder_names_the_day_as_their_confirmation_does(citizen, clock):
    """The day and month are words: in the person's language, in the reminder as in the
    confirmation sent when they booked (never "Monday" in one and "Dydd Llun" in the other)."""
    from django.utils import translation
    from django.utils.formats import date_format

    set_channels(citizen, ["email"], language="cy")
    appointment = book_early(citizen, clock=clock)
    clock(appointment.starts_at - timedelta(hours=23))
    run()
    clock(appointment.starts_at - timedelta(hours=1))
    run()

    with translation.override("cy"):
        day = date_format(timezone.localtime(appointment.starts_at), "l j F")
    assert "Dydd" in day
    confirmation = Notification.objects.get(
        customer=citizen.customer, title__startswith="Your appointment is booked"
    )
    assert day in confirmation.title
    titles = [title for _key, title in reminded(citizen)]
    assert len(titles) == 2
    assert all(day in title for title in titles), titles
