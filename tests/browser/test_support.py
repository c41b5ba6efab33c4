"""Secure messages and appointments end to end (issue 15): a citizen and a caseworker
(signed in with a TOTP code), each in their own browser. axe and the 320 px reflow check run
on every citizen page; moving the appointment is done with JavaScript off."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.browser.test_accounts import sign_in
from tests.browser.test_casework import staff_sign_in
from tests.claim_factory import pdf_bytes
from tests.conftest import make_person, make_staff

CITIZEN = "rhiannon.support@example.org"
CASEWORKER = "cai.support@example.org"


def _phone_times(team):
    """Phone appointments every day from 10am to midday, an hour each, for three weeks."""
    from appointments.generation import generate_slots
    from appointments.models import Availability, Channel

    availability = Availability.objects.create(
        team=team, channel=Channel.PHONE, weekdays=[1, 2, 3, 4, 5, 6, 7],
        start_time=time(10, 0), end_time=time(12, 0), slot_minutes=60, capacity=1,
        starts_on=timezone.localdate(),
    )  # fmt: skip
    assert generate_slots(weeks=3) > 0
    return availability


def _past_appointment(customer, availability, *, days_ago: int):
    """An appointment that has happened, made directly (nobody can book yesterday), as the
    demo data does."""
    from appointments import services
    from appointments.models import Appointment, Purpose, Slot

    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(10, 0))
    )
    slot = Slot.objects.create(
        availability=availability, team=availability.team, channel=availability.channel,
        starts_at=starts, ends_at=starts + timedelta(minutes=60), capacity=1, booked=1,
    )  # fmt: skip
    return Appointment.objects.create(
        reference=services.new_reference(), customer=customer, slot=slot, team=slot.team,
        starts_at=starts, purpose=Purpose.WORK_COACH, booked_by=customer.user,
        callback_phone="07700 900123",
    )  # fmt: skip


def _next_week_times(availability):
    """The free times of next week's page, soonest first."""
    from appointments.models import Slot

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    start = timezone.make_aware(datetime.combine(monday, time.min))
    return list(
        Slot.objects.filter(
            availability=availability, starts_at__gte=start,
            starts_at__lt=start + timedelta(days=7),
        ).order_by("starts_at")
    )  # fmt: skip


def _choose(page, slot) -> None:
    """Tick ``slot`` on a choose-a-time page: its day's group, then its time."""
    from appointments.forms import time_label

    day = date_format(timezone.localtime(slot.starts_at).date(), "l j F")
    page.get_by_role("group", name=day, exact=True).get_by_label(time_label(slot)).check()


def test_a_question_a_template_reply_and_appointments_booked_moved_cancelled_and_attended(
    web, web_nojs, browser, live_server
):
    from accounts.models import Team
    from accounts.services import update_personal_details
    from appointments.models import Appointment, Slot, Status
    from conversations.models import Conversation, ConversationStatus, ReplyTemplate

    citizen = make_person(CITIZEN)
    update_personal_details(
        customer=citizen.customer, by=citizen, legal_given_names="Rhiannon",
        legal_family_name="Price", preferred_name="", date_of_birth=date(1984, 5, 4),
        ni_number="",
    )  # fmt: skip
    caseworker = make_staff(CASEWORKER, group="caseworker")
    ReplyTemplate.objects.create(
        name="Payment on its way",
        body="Dear {name},\n\nThank you for your message. Your payment is on its way and "
        "should reach your account within 3 working days.",
    )
    team = Team.objects.create(name="Support line")
    team.members.add(caseworker)
    availability = _phone_times(team)
    earlier = _past_appointment(citizen.customer, availability, days_ago=2)
    attachment = pdf_bytes()

    # --- The citizen asks a question with a file ----------------------------------------
    page = sign_in(web, CITIZEN)
    header = page.get_by_role("navigation", name="Account")
    header.get_by_role("link", name="Messages").click()
    web.check()
    page.get_by_role("button", name="Ask a question").click()
    web.check()
    page.get_by_label("Payments", exact=True).check()
    page.get_by_label("Subject").fill("My payment has not arrived")
    page.get_by_label("Your message").fill(
        "My payment was due on Monday. The bank letter is attached."
    )
    page.get_by_label("Attach files (optional)").set_input_files(
        {"name": "bank-letter.pdf", "mimeType": "application/pdf", "buffer": attachment}
    )
    page.get_by_role("button", name="Send message").click()
    web.check()
    expect(page.get_by_text("Your message has been sent. We will reply by")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("My payment has not arrived")
    expect(page.get_by_role("link", name="bank-letter.pdf")).to_be_visible()
    page.get_by_text("Receipt", exact=True).click()
    receipt = page.locator("#thread .govuk-details__text")
    expect(receipt).to_contain_text("File: bank-letter.pdf")
    expect(receipt).to_contain_text(hashlib.sha256(attachment).hexdigest())
    web.check()  # the open receipt, its checksum too, reflows at 320 px
    conversation = Conversation.objects.get(customer=citizen.customer)
    assert conversation.status == ConversationStatus.WAITING_FOR_US

    header.get_by_role("link", name="Your services").click()
    web.check()
    messages_badge = page.locator("#messages-badge")
    expect(messages_badge).not_to_contain_text("unread")

    # --- The caseworker takes it and replies from a template --------------------------------
    staff_context = browser.new_context(locale="en-GB")
    staff_context.set_default_timeout(10_000)
    admin = staff_context.new_page()
    try:
        staff_sign_in(admin, live_server.url, CASEWORKER)
        admin.goto(live_server.url + "/admin/conversations/conversation/")
        admin.get_by_role("button", name="Take the next conversation").click()
        expect(
            admin.get_by_text(f"Conversation {conversation.reference} is yours.")
        ).to_be_visible()
        expect(admin.get_by_role("link", name="bank-letter.pdf")).to_be_visible()
        admin.get_by_label("Start from a reply template").select_option(label="Payment on its way")
        admin.get_by_role("button", name="Use this template").click()
        reply = admin.get_by_label("Your reply to the person")
        expect(reply).to_have_value(re.compile(r"^Dear Rhiannon,\n\nThank you for your message\."))
        admin.get_by_role("button", name="Send the reply").click()
        expect(admin.get_by_text("Reply sent. The person has been told")).to_be_visible()

        # --- The citizen sees it arrive, reads it, and follows the notification ---------
        expect(messages_badge).to_contain_text("1 unread message", timeout=15_000)
        expect(page.locator("#notifications-badge")).to_contain_text("1 unread notification")
        web.check()
        messages_badge.get_by_role("link").click()
        web.check()
        expect(page.locator("#conversations")).to_contain_text("1 unread")
        page.get_by_role("link", name="My payment has not arrived").click()
        web.check()
        thread = page.locator("#thread")
        expect(thread).to_contain_text("Dear Rhiannon,")
        expect(thread).to_contain_text("Your payment is on its way")
        expect(thread).not_to_contain_text("{name}")
        expect(messages_badge).not_to_contain_text("unread")

        header.get_by_role("link", name=re.compile("^Notifications")).click()
        web.check()
        page.get_by_role(
            "link", name=f"You have a new message about your conversation {conversation.reference}"
        ).click()
        web.check()
        expect(page).to_have_url(re.compile(rf"/messages/{conversation.pk}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("My payment has not arrived")

        # --- The citizen books a phone appointment for next week ------------------------
        header.get_by_role("link", name="Your services").click()
        web.check()
        page.get_by_role("link", name="Book an appointment").click()
        web.check()
        page.get_by_label("Help to apply for a benefit").check()
        page.get_by_role("button", name="Continue").click()
        web.check()
        page.get_by_label("By phone: we call you").check()
        page.get_by_role("button", name="Continue").click()
        web.check()
        page.get_by_role("link", name="Later week").click()
        web.check()
        first, second = _next_week_times(availability)[:2]
        _choose(page, first)
        page.get_by_role("button", name="Continue").click()
        web.check()
        page.get_by_label("What number should we call?").fill("07700 900123")
        page.get_by_role("button", name="Continue").click()
        web.check()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your appointment")
        page.get_by_role("button", name="Book the appointment").click()
        web.check()
        expect(page.get_by_text("Your appointment is booked.")).to_be_visible()
        booked = Appointment.objects.get(customer=citizen.customer, status=Status.BOOKED,
                                         starts_at__gt=timezone.now())  # fmt: skip
        assert booked.slot_id == first.pk
        assert Slot.objects.get(pk=first.pk).booked == 1

        # --- It moves to another time with JavaScript off (the same signed-in session) ---
        nojs = web_nojs.page
        nojs.context.add_cookies(page.context.cookies())
        web_nojs.visit(f"/appointments/{booked.pk}/")
        nojs.get_by_role("button", name="Move it to another time").click()
        web_nojs.check()
        nojs.get_by_role("link", name="Later week").click()
        web_nojs.check()
        _choose(nojs, second)
        nojs.get_by_role("button", name="Move to this time").click()
        web_nojs.check()
        expect(nojs.get_by_text("Your appointment has moved.")).to_be_visible()
        moved = Appointment.objects.get(moved_from=booked)
        assert moved.slot_id == second.pk
        assert Appointment.objects.get(pk=booked.pk).status == Status.RESCHEDULED
        assert Slot.objects.get(pk=first.pk).booked == 0

        # --- Then it is cancelled, and its place is free again -------------------------
        web.visit(f"/appointments/{moved.pk}/")
        page.get_by_role("link", name="Cancel the appointment").click()
        web.check()
        page.get_by_label("I no longer need it").check()
        page.get_by_role("button", name="Cancel the appointment").click()
        web.check()
        expect(page.get_by_text("Your appointment is cancelled.")).to_be_visible()
        assert Appointment.objects.get(pk=moved.pk).status == Status.CANCELLED
        assert Slot.objects.get(pk=second.pk).booked == 0

        # --- The caseworker records the outcome of the earlier one, from their day -----
        admin.goto(live_server.url + "/admin/appointments/appointment/")
        admin.get_by_role("link", name="My day").click()
        admin.get_by_label("Day").fill(timezone.localtime(earlier.starts_at).date().isoformat())
        admin.get_by_role("button", name="Show").click()
        row = admin.get_by_role("row").filter(has_text=citizen.customer.reference)
        row.get_by_role("link", name="Record the outcome").click()
        admin.get_by_label("They came (attended)").check()
        admin.get_by_label("What happens next (the person sees this)").fill(
            "We will write to you about your application within 2 weeks."
        )
        admin.get_by_role("button", name="Record the outcome").click()
        expect(admin.get_by_text("The outcome is recorded.")).to_be_visible()
    finally:
        staff_context.close()
    assert Appointment.objects.get(pk=earlier.pk).status == Status.ATTENDED

    web.visit("/appointments/")
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    expect(page.get_by_text("You have no appointments booked.")).to_be_visible()
    past = page.get_by_role("listitem").filter(has_text="A meeting with a work coach")
    expect(past).to_contain_text("Attended")
    expect(past).to_contain_text("We will write to you about your application within 2 weeks.")
    past.get_by_role("link").click()
    web.check()
    expect(page.get_by_text("You came to this appointment.")).to_be_visible()
