"""Caseworkers see their day and record what happened. The outcome is on the person's
appointment page and, for an appointment about a claim, on the claim's timeline. A missed
appointment gives the team a follow-up and tells the person kindly: never a sanction."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import AccessEvent
from appointments import services
from appointments.models import Appointment, FollowUp, Status
from benefits.models import ClaimEvent, Payment
from notifications.models import Notification
from tests.appointment_factory import book, slots, team
from tests.claim_factory import sent_claim
from tests.conftest import sign_in_with_mfa
from tests.helpers import reload, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    def move(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


@pytest.fixture
def about_a_claim(citizen):
    claim = sent_claim(citizen)
    return book(citizen, purpose="claim", claim=claim), claim


def test_attended_is_on_the_claims_timeline_and_the_persons_page(
    citizen, citizen_client, caseworker, about_a_claim, clock, monkeypatch
):
    appointment, claim = about_a_claim
    clock(appointment.starts_at + timedelta(minutes=40))
    status_before = reload(claim).status

    services.record_outcome(
        appointment=appointment, outcome=Status.ATTENDED, by=caseworker,
        note="Discussed childcare costs", for_person="Send us your childcare bills by Friday.",
    )  # fmt: skip

    event = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert event.visible_to_customer
    assert event.by == caseworker
    assert "you came to it" in event.reason
    assert "Send us your childcare bills by Friday." in event.reason
    assert "childcare costs" not in event.reason  # staff notes stay with staff
    assert reload(claim).status == status_before
    monkeypatch.undo()  # back to the real clock: the person's session is of now
    page = citizen_client.get(f"/appointments/{appointment.pk}/").content.decode()
    assert "You came to this appointment." in page
    assert "Send us your childcare bills by Friday." in page
    assert "childcare costs" not in page
    claim_page = citizen_client.get(f"/claims/{claim.pk}/").content.decode()
    assert "you came to it" in claim_page


def test_a_missed_appointment_makes_a_follow_up_and_tells_the_person_kindly(
    citizen, caseworker, about_a_claim, clock
):
    appointment, claim = about_a_claim
    clock(appointment.starts_at + timedelta(hours=1))
    status_before = reload(claim).status
    payments_before = list(
        Payment.objects.filter(claim=claim).values_list("pk", "status", "amount")
    )

    services.record_outcome(appointment=appointment, outcome=Status.MISSED, by=caseworker)

    follow_up = FollowUp.objects.get(appointment=appointment)
    assert follow_up.team_id == appointment.team_id
    assert follow_up.done_at is None
    assert follow_up.due_on > timezone.localdate(appointment.starts_at)
    note = Notification.objects.filter(customer=citizen.customer).order_by("-pk").first()
    assert note.title.startswith("We missed you at your appointment on ")
    assert note.title.endswith("book another time")
    assert note.link == "/appointments/book/"
    # Never a sanction: the claim and its payments are as they were.
    assert reload(claim).status == status_before
    assert (
        list(Payment.objects.filter(claim=claim).values_list("pk", "status", "amount"))
        == payments_before
    )
    event = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert "does not change your payments" in event.reason


def test_a_follow_up_is_due_in_two_working_days(citizen, caseworker, clock):
    """Missed on Thursday 24 December 2026: Christmas, the weekend and Boxing Day's
    substitute on Monday 28th are not working days, so Tuesday 29th and Wednesday 30th."""
    slot = slots(count=1, first=timezone.make_aware(datetime(2026, 12, 24, 10)))[0]
    clock(timezone.make_aware(datetime(2026, 12, 20, 9)))
    appointment = book(citizen, slot)
    clock(timezone.make_aware(datetime(2026, 12, 24, 11)))

    services.record_outcome(appointment=appointment, outcome=Status.MISSED, by=caseworker)

    assert FollowUp.objects.get(appointment=appointment).due_on == date(2026, 12, 30)


def test_the_outcome_of_an_appointment_to_come_cannot_be_attended_or_missed(citizen, caseworker):
    appointment = book(citizen)

    for outcome in (Status.ATTENDED, Status.MISSED):
        with pytest.raises(services.OutcomeRefused):
            services.record_outcome(appointment=appointment, outcome=outcome, by=caseworker)

    assert reload(appointment).status == Status.BOOKED


def test_rescheduling_one_to_come_frees_its_place(citizen, caseworker):
    appointment = book(citizen)

    services.record_outcome(appointment=appointment, outcome=Status.RESCHEDULED, by=caseworker)

    assert reload(appointment.slot).booked == 0
    assert reload(appointment).status == Status.RESCHEDULED


def test_an_outcome_is_recorded_once(citizen, caseworker, clock):
    appointment = book(citizen)
    clock(appointment.starts_at + timedelta(hours=1))
    services.record_outcome(appointment=appointment, outcome=Status.MISSED, by=caseworker)

    with pytest.raises(services.OutcomeRefused):
        services.record_outcome(appointment=appointment, outcome=Status.ATTENDED, by=caseworker)

    assert FollowUp.objects.filter(appointment=appointment).count() == 1


def test_a_follow_up_is_done_once(citizen, caseworker, team_leader, clock):
    appointment = book(citizen)
    clock(appointment.starts_at + timedelta(hours=1))
    services.record_outcome(appointment=appointment, outcome=Status.MISSED, by=caseworker)
    follow_up = FollowUp.objects.get()

    assert services.complete_follow_up(follow_up=follow_up, by=caseworker, note="Rebooked")
    assert not services.complete_follow_up(follow_up=follow_up, by=team_leader)

    assert (reload(follow_up).done_by, reload(follow_up).note) == (caseworker, "Rebooked")


# --- The admin ---------------------------------------------------------------------------


def test_the_caseworkers_day_lists_their_teams_appointments_and_is_logged(
    client, citizen, other_citizen, caseworker
):
    mine = team("Leeds service centre")
    mine.members.add(caseworker)
    ours = book(citizen)
    elsewhere = book(other_citizen, slots(count=1, team_name="Cardiff service centre")[0])
    sign_in_with_mfa(client, caseworker)
    day = timezone.localtime(ours.starts_at).date()

    page = client.get("/admin/appointments/appointment/my-day/", {"day": day.isoformat()})

    assert page.status_code == 200
    shown = " ".join(texts(page, "#content table td"))
    assert ours.customer.reference in shown
    assert elsewhere.customer.reference not in shown
    event = AccessEvent.objects.order_by("-pk").first()
    assert (event.what, event.page, event.model) == (
        "appointment",
        "list",
        "appointments.appointment",
    )
    assert event.object_ids == [ours.pk]
    assert event.customer_ids == [citizen.customer.pk]


def started(appointment):
    """The appointment began 45 minutes ago. There is no service for travelling in time,
    and a moved clock would end the staff member's session."""
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(minutes=45)
    )
    return reload(appointment)


def test_a_caseworker_records_the_outcome_on_the_appointments_page(client, citizen, caseworker):
    appointment = started(book(citizen))
    sign_in_with_mfa(client, caseworker)
    page = client.get(f"/admin/appointments/appointment/{appointment.pk}/change/")
    assert page.status_code == 200
    assert "Record the outcome" in page.content.decode()

    response = client.post(
        f"/admin/appointments/appointment/{appointment.pk}/outcome/",
        {"outcome-outcome": "attended", "outcome-for_person": "", "outcome-note": "Fine"},
    )

    assert response.status_code == 302
    assert reload(appointment).status == Status.ATTENDED
    assert reload(appointment).outcome_by == caseworker


def test_recording_an_outcome_needs_its_permission(client, citizen):
    from tests.conftest import make_staff

    viewer = make_staff("viewer@example.org")
    appointment = started(book(citizen))
    sign_in_with_mfa(client, viewer)

    response = client.post(
        f"/admin/appointments/appointment/{appointment.pk}/outcome/",
        {"outcome-outcome": "missed"},
    )

    assert response.status_code == 403
    assert reload(appointment).status == Status.BOOKED
    assert not FollowUp.objects.exists()


def test_the_follow_ups_are_marked_done_from_their_list(client, citizen, caseworker, clock):
    appointment = book(citizen)
    clock(appointment.starts_at + timedelta(hours=1))
    services.record_outcome(appointment=appointment, outcome=Status.MISSED, by=caseworker)
    follow_up = FollowUp.objects.get()
    sign_in_with_mfa(client, caseworker)

    response = client.post(
        "/admin/appointments/followup/",
        {"action": "mark_done", "_selected_action": [follow_up.pk]},
    )

    assert response.status_code == 302
    assert reload(follow_up).done_by == caseworker


def test_the_persons_access_log_names_the_appointment_staff_opened(client, citizen, caseworker):
    from django.test import Client

    appointment = book(citizen)
    sign_in_with_mfa(client, caseworker)
    client.get(f"/admin/appointments/appointment/{appointment.pk}/change/")
    citizen_client = Client()
    citizen_client.force_login(citizen)

    event = AccessEvent.objects.order_by("-pk").first()
    assert (event.what, event.object_id, event.customer_id) == (
        "appointment", appointment.pk, citizen.customer.pk,
    )  # fmt: skip
    page = citizen_client.get("/account/access-log/").content.decode()
    assert "An appointment: " in page
    assert appointment.reference in page


def test_the_360_page_shows_the_persons_appointments(client, citizen, caseworker):
    appointment = book(citizen)
    sign_in_with_mfa(client, caseworker)

    page = client.get(f"/admin/customers/{citizen.customer.pk}/360/").content.decode()

    assert appointment.reference in page


def test_the_360_page_runs_the_same_queries_for_1_or_5_appointments(
    client, citizen, caseworker, django_assert_max_num_queries
):
    book(citizen)
    sign_in_with_mfa(client, caseworker)
    url = f"/admin/customers/{citizen.customer.pk}/360/"
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for slot in slots(count=4):
        book(citizen, slot)

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()

    import re

    assert len(re.findall(r"/admin/appointments/appointment/\d+/change/", page)) == 5
