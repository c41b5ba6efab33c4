"""Slots are generated from availability in one statement, bank holidays left out, the
same local times whatever the clocks do, and generating again makes nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from appointments.generation import generate_slots
from appointments.models import Slot
from tests.appointment_factory import availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def early_december(monkeypatch):
    """The clock on Tuesday 1 December 2026 at 8am, before the Christmas bank holidays."""
    moment = timezone.make_aware(datetime(2026, 12, 1, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def local_days(source) -> list[date]:
    return sorted(
        {timezone.localtime(s.starts_at).date() for s in Slot.objects.filter(availability=source)}
    )


def test_slots_are_made_on_the_weekdays_and_hours_of_the_availability(early_december):
    source = availability(
        weekdays=[1, 3], start_time=time(9), end_time=time(12), slot_minutes=45, capacity=2
    )

    made = generate_slots(weeks=2, start=date(2026, 12, 7))

    assert local_days(source) == [
        date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 14), date(2026, 12, 16),
    ]  # fmt: skip
    # 9:00, 9:45, 10:30, 11:15: a whole slot fits before noon, a fifth would not.
    first_day = Slot.objects.filter(availability=source).order_by("starts_at")[:4]
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in first_day] == [
        "09:00", "09:45", "10:30", "11:15",
    ]  # fmt: skip
    assert made == 16
    slot = first_day[0]
    assert (slot.capacity, slot.booked, slot.team_id, slot.channel) == (
        2, 0, source.team_id, source.channel,
    )  # fmt: skip
    assert (slot.ends_at - slot.starts_at).total_seconds() == 45 * 60


def test_generating_again_makes_nothing_twice(early_december):
    source = availability(weekdays=[1, 2, 3, 4, 5], start_time=time(9), end_time=time(11))
    first = generate_slots(weeks=3)
    count = Slot.objects.filter(availability=source).count()

    again = generate_slots(weeks=3)

    assert first == count > 0
    assert again == 0
    assert Slot.objects.filter(availability=source).count() == count


def test_a_longer_run_adds_only_the_weeks_beyond(early_december):
    source = availability(weekdays=[1, 2, 3, 4, 5], start_time=time(9), end_time=time(10))
    generate_slots(weeks=1)
    one_week = Slot.objects.filter(availability=source).count()

    added = generate_slots(weeks=2)

    assert added == Slot.objects.filter(availability=source).count() - one_week > 0


def test_bank_holidays_are_left_out(early_december):
    """In England, Christmas Day is a Friday and Boxing Day's substitute a Monday."""
    source = availability(weekdays=[1, 2, 3, 4, 5], start_time=time(9), end_time=time(10))

    generate_slots(weeks=2, start=date(2026, 12, 21))

    days = local_days(source)
    assert date(2026, 12, 25) not in days
    assert date(2026, 12, 28) not in days
    assert days == [
        date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 24),
        date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31),
    ]  # fmt: skip


def test_each_availability_keeps_the_bank_holidays_of_its_nation(early_december):
    """2 January 2027 is a Saturday: Scotland has Monday 4 January off, England does not."""
    england = availability(weekdays=[1], start_time=time(9), end_time=time(10))
    scotland = availability(
        weekdays=[1], start_time=time(9), end_time=time(10), nation="scotland",
        team_name="Glasgow service centre",
    )  # fmt: skip

    generate_slots(weeks=1, start=date(2027, 1, 4))

    assert local_days(england) == [date(2027, 1, 4)]
    assert local_days(scotland) == []


def test_generation_is_one_statement_however_many_slots(early_december):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        availability(team_name=f"Team {n}", start_time=time(8), end_time=time(18), slot_minutes=10)

    with CaptureQueriesContext(connection) as queries:
        made = generate_slots(weeks=8)

    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].lstrip().startswith("INSERT INTO appointments_slot")
    assert made == Slot.objects.count() > 3 * 50 * 60


def test_local_times_stay_the_same_when_the_clocks_change(monkeypatch):
    """The clocks go forward on 28 March 2027: 9am is 09:00 UTC before, 08:00 UTC after."""
    moment = timezone.make_aware(datetime(2027, 3, 20, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    source = availability(weekdays=[4, 2], start_time=time(9), end_time=time(9, 30))

    generate_slots(weeks=2, start=date(2027, 3, 22))

    starts = {
        timezone.localtime(s.starts_at).date(): s.starts_at.astimezone(UTC).hour
        for s in Slot.objects.filter(availability=source)
    }
    assert starts[date(2027, 3, 25)] == 9  # Thursday, GMT (Friday is Good Friday)
    assert starts[date(2027, 3, 30)] == 8  # Tuesday, BST (Monday is Easter Monday)


def test_no_slot_is_made_in_the_past(monkeypatch):
    noon = timezone.make_aware(datetime(2026, 12, 2, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    source = availability(weekdays=[3], start_time=time(9), end_time=time(17), slot_minutes=60)

    generate_slots(weeks=1, start=date(2026, 12, 2))

    hours = [timezone.localtime(s.starts_at).hour for s in Slot.objects.filter(availability=source)]
    assert sorted(hours) == [13, 14, 15, 16]


def test_an_inactive_or_ended_availability_makes_no_slots(early_december):
    stopped = availability(weekdays=[1, 2, 3, 4, 5])
    stopped.active = False
    stopped.save(update_fields=["active"])
    ended = availability(weekdays=[1, 2, 3, 4, 5], team_name="Other team")
    ended.ends_on = date(2026, 11, 30)
    ended.starts_on = date(2026, 11, 1)
    ended.save(update_fields=["ends_on", "starts_on"])

    assert generate_slots(weeks=2) == 0


def test_only_the_chosen_availabilities_when_asked(early_december):
    chosen = availability(weekdays=[2], start_time=time(9), end_time=time(10))
    other = availability(weekdays=[2], start_time=time(9), end_time=time(10), team_name="B")

    generate_slots(weeks=1, availability_ids=[chosen.pk])

    assert Slot.objects.filter(availability=chosen).exists()
    assert not Slot.objects.filter(availability=other).exists()


def test_the_command_generates_the_weeks_asked(early_december):
    from io import StringIO

    source = availability(weekdays=[1, 2, 3, 4, 5], start_time=time(9), end_time=time(10))
    out = StringIO()

    call_command("generate_slots", "--weeks", "2", stdout=out)

    made = Slot.objects.filter(availability=source).count()
    assert f"{made} new slots for the next 2 weeks" in out.getvalue()
    assert max(local_days(source)) <= date(2026, 12, 14)


def test_a_team_leader_generates_slots_from_the_admin(client, team_leader):
    from tests.conftest import sign_in_with_mfa

    source = availability(weekdays=[1, 2, 3, 4, 5], start_time=time(9), end_time=time(10))
    sign_in_with_mfa(client, team_leader)
    chosen = {"action": "generate", "_selected_action": [source.pk]}

    confirm = client.post("/admin/appointments/availability/", chosen)
    done = client.post("/admin/appointments/availability/", {**chosen, "apply": "1", "weeks": "2"})

    assert confirm.status_code == 200
    assert "Weeks ahead" in confirm.content.decode()
    assert done.status_code == 302
    assert Slot.objects.filter(availability=source).count() > 0
