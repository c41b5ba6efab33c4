"""The person's pages: booking step by step without JavaScript, the appointment's page,
moving and cancelling; a fixed number of queries on the booking page however many slots
there are, and its query served by the free-slots index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from appointments import bulk, selectors
from appointments.models import Appointment, Channel, Slot, Status
from tests.appointment_factory import availability, book, slots, tomorrow_at
from tests.claim_factory import sent_claim
from tests.helpers import error_summary, reload, select, texts

pytestmark = pytest.mark.django_db


def choose(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, error_summary(response)
    return response["Location"]


def test_booking_step_by_step(citizen_client, citizen):
    claim = sent_claim(citizen)
    first, _second = slots(count=2)

    purpose_page = citizen_client.get("/appointments/book/")
    assert f"claim:{claim.pk}" in [
        i.get("value") for i in select(purpose_page, 'input[name="purpose"]')
    ]
    assert (
        choose(citizen_client, "/appointments/book/", {"purpose": f"claim:{claim.pk}"})
        == "/appointments/book/how/"
    )
    assert "phone" in [
        i.get("value")
        for i in select(citizen_client.get("/appointments/book/how/"), 'input[name="way"]')
    ]
    assert (
        choose(citizen_client, "/appointments/book/how/", {"way": "phone"})
        == "/appointments/book/time/"
    )
    time_url = "/appointments/book/time/"
    time_page = citizen_client.get(time_url)
    offered = [i.get("value") for i in select(time_page, 'input[name="slot"]')]
    if str(first.pk) not in offered:  # tomorrow is next week's Monday: look there
        time_url += "?week=1"
        time_page = citizen_client.get(time_url)
        offered = [i.get("value") for i in select(time_page, 'input[name="slot"]')]
    assert str(first.pk) in offered
    assert choose(citizen_client, time_url, {"slot": str(first.pk)}) == "/appointments/book/needs/"
    needs_page = citizen_client.get("/appointments/book/needs/")
    assert select(needs_page, 'input[name="callback_phone"]')  # by phone: the number to call
    assert not select(needs_page, 'input[name="step_free_access"]')  # only for an office
    assert choose(citizen_client, "/appointments/book/needs/", {
        "callback_phone": "07700 900123", "interpreter_language": "Polish", "other_needs": "",
    }) == "/appointments/book/check/"  # fmt: skip
    check = citizen_client.get("/appointments/book/check/").content.decode()
    assert "Polish" in check
    assert claim.reference in check

    done = citizen_client.post("/appointments/book/check/")

    appointment = Appointment.objects.get(customer=citizen.customer)
    assert done["Location"] == f"/appointments/{appointment.pk}/"
    assert (appointment.slot, appointment.claim, appointment.purpose) == (first, claim, "claim")
    assert appointment.interpreter_language == "Polish"
    assert reload(first).booked == 1
    assert "appointment_booking" not in citizen_client.session
    page = citizen_client.get(done["Location"])
    assert "Your appointment is booked" in page.content.decode()
    assert select(page, f'a[href="/appointments/{appointment.pk}/calendar.ics"]')


def test_a_later_step_without_the_earlier_ones_goes_back_to_the_start(citizen_client):
    for step in ("how", "time", "needs", "check"):
        assert (
            citizen_client.get(f"/appointments/book/{step}/")["Location"] == "/appointments/book/"
        )


def test_another_persons_claim_cannot_be_chosen(citizen_client, citizen, other_citizen):
    theirs = sent_claim(other_citizen)
    sent_claim(citizen)

    response = citizen_client.post("/appointments/book/", {"purpose": f"claim:{theirs.pk}"})

    assert response.status_code == 200
    assert error_summary(response) == [("#id_purpose_0", "Select one of the options")]
    assert "appointment_booking" not in citizen_client.session


def test_a_time_taken_meanwhile_sends_the_person_back_to_choose_again(
    citizen_client, citizen, other_citizen
):
    slot = slots(count=1, first=tomorrow_at(10) + timedelta(days=7))[0]
    citizen_client.post("/appointments/book/", {"purpose": "other"})
    citizen_client.post("/appointments/book/how/", {"way": "phone"})
    session = citizen_client.session
    session["appointment_booking"] |= {"slot_id": slot.pk, "needs": {
        "callback_phone": "07700 900123", "interpreter_language": "", "step_free_access": False,
        "other_needs": "",
    }}  # fmt: skip
    session.save()
    book(other_citizen, slot)

    response = citizen_client.post("/appointments/book/check/")

    assert response["Location"] == "/appointments/book/time/"
    assert not Appointment.objects.filter(customer=citizen.customer).exists()
    page = citizen_client.get(response["Location"])
    assert "that time has just been taken" in page.content.decode()


def test_an_office_appointment_asks_about_step_free_access(citizen_client):
    slot = slots(count=1, channel=Channel.OFFICE)[0]
    citizen_client.post("/appointments/book/", {"purpose": "apply"})
    way = f"office:{slot.office_id}"
    page = citizen_client.get("/appointments/book/how/")
    assert way in [i.get("value") for i in select(page, 'input[name="way"]')]
    citizen_client.post("/appointments/book/how/", {"way": way})
    session = citizen_client.session
    session["appointment_booking"]["slot_id"] = slot.pk
    session.save()

    needs = citizen_client.get("/appointments/book/needs/")

    assert select(needs, 'input[name="step_free_access"]')
    assert not select(needs, 'input[name="callback_phone"]')


def test_the_appointments_page_shows_what_is_coming_and_what_happened(citizen_client, citizen):
    coming = book(citizen)
    gone = book(citizen)
    from appointments import services

    services.cancel_appointment(appointment=gone, by=citizen)

    page = citizen_client.get("/appointments/")

    links = [a.get("href") for a in select(page, "main a")]
    assert f"/appointments/{coming.pk}/" in links
    assert f"/appointments/{gone.pk}/" in links
    assert "Cancelled" in texts(page, "main .govuk-tag")


def test_your_services_shows_the_next_appointments(citizen_client, citizen):
    appointment = book(citizen)

    page = citizen_client.get("/your-services/")

    assert select(page, f'a[href="/appointments/{appointment.pk}/"]')
    assert select(page, 'a[href="/appointments/book/"]')


def test_moving_from_the_page(citizen_client, citizen):
    first, later = slots(count=2)
    appointment = book(citizen, first)

    page = citizen_client.get(f"/appointments/{appointment.pk}/move/")
    offered = [i.get("value") for i in select(page, 'input[name="slot"]')]
    week = "" if str(later.pk) in offered else "?week=1"
    response = citizen_client.post(
        f"/appointments/{appointment.pk}/move/{week}", {"slot": str(later.pk)}
    )

    moved = Appointment.objects.get(moved_from=appointment)
    assert response["Location"] == f"/appointments/{moved.pk}/"
    assert reload(appointment).status == Status.RESCHEDULED
    assert (reload(first).booked, reload(later).booked) == (0, 1)


def test_cancelling_from_the_page(citizen_client, citizen):
    appointment = book(citizen)

    response = citizen_client.post(
        f"/appointments/{appointment.pk}/cancel/", {"reason": "not_needed"}
    )

    assert response["Location"] == f"/appointments/{appointment.pk}/"
    assert reload(appointment).status == Status.CANCELLED
    assert reload(appointment.slot).booked == 0
    page = citizen_client.get(response["Location"]).content.decode()
    assert "Your appointment is cancelled." in page
    assert f"/appointments/{appointment.pk}/move/" not in page


def test_after_the_cut_off_the_page_says_to_phone_and_offers_no_change(citizen_client, citizen):
    appointment = book(citizen)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() + timedelta(hours=1)
    )

    page = citizen_client.get(f"/appointments/{appointment.pk}/").content.decode()
    cancel = citizen_client.post(f"/appointments/{appointment.pk}/cancel/", {})

    assert "too close to the appointment to change it online" in page
    assert cancel["Location"] == f"/appointments/{appointment.pk}/"
    assert reload(appointment).status == Status.BOOKED


# --- Queries --------------------------------------------------------------------------------


def _on_the_time_page(client):
    client.post("/appointments/book/", {"purpose": "other"})
    client.post("/appointments/book/how/", {"way": "phone"})


def test_the_booking_page_runs_the_same_queries_however_many_slots(
    citizen_client, django_assert_max_num_queries
):
    source = availability()
    bulk.seed_slots(
        availability=source, count=20, first_start=tomorrow_at(9), every=timedelta(hours=1)
    )
    _on_the_time_page(citizen_client)
    citizen_client.get("/appointments/book/time/")
    with django_assert_max_num_queries(12) as few:
        assert citizen_client.get("/appointments/book/time/?week=1").status_code == 200

    more = availability(team_name="Another team")
    bulk.seed_slots(
        availability=more, count=3000, first_start=tomorrow_at(9), every=timedelta(minutes=7)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = citizen_client.get("/appointments/book/time/?week=1")

    assert len(select(page, 'input[name="slot"]')) > 20


def test_the_free_times_query_is_served_by_the_free_slots_index():
    source = availability()
    bulk.seed_slots(
        availability=source, count=500, first_start=tomorrow_at(9), every=timedelta(minutes=30)
    )
    Slot.objects.filter(availability=source, starts_at__lt=tomorrow_at(12)).update(booked=1)
    queryset = Slot.objects.filter(channel="phone")  # the selector's query, as SQL
    week = selectors.week(1, today=timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # few rows here: ask what it can use
        cursor.execute("ANALYZE appointments_slot")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        found = selectors.free_times(channel="phone", office_id=None, week=week, now=timezone.now())
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert found
    assert "appt_slot_free" in plan, plan
    assert queryset.exists()


def test_your_services_runs_the_same_queries_for_1_or_5_appointments(
    citizen_client, citizen, django_assert_max_num_queries
):
    from notifications.models import Notification

    def read_confirmations():  # the unread messages' own count is not what is measured
        Notification.objects.filter(customer=citizen.customer).update(read_at=timezone.now())

    book(citizen)
    read_confirmations()
    citizen_client.get("/your-services/")
    with django_assert_max_num_queries(16) as one:
        citizen_client.get("/your-services/")
    for slot in slots(count=4):
        book(citizen, slot)
    read_confirmations()

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = citizen_client.get("/your-services/")

    assert len(select(page, 'main a[href^="/appointments/"]')) >= 5


def test_a_person_at_the_limit_is_told_before_starting_to_book(citizen_client, citizen):
    from appointments.models import MAX_UPCOMING

    for slot in slots(count=MAX_UPCOMING):
        book(citizen, slot)

    response = citizen_client.get("/appointments/book/")

    assert response["Location"] == "/appointments/"
    page = citizen_client.get("/appointments/").content.decode()
    assert "Cancel one to book another" in page
    assert "/appointments/book/" not in page.split("<main", 1)[1]
