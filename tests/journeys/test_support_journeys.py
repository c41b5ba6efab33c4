"""Whole journeys across secure messages, appointments, claims, notifications and the
access log, as a person and a caseworker go through them: the real pages (the person's,
and the admin signed in with MFA), the services they call, PostgreSQL, and the outbox
delivered as a worker would.

What broke when the portal was tried as a new user would was between the parts: so each
journey follows one thing from the app where it starts to every place it must (and must
not) reach.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Fact, FactKind, FactSource
from accounts.services import update_contact_details
from appointments import reminders
from appointments.models import Appointment, FollowUp, Status
from benefits.claims import decisions as claim_decisions
from benefits.models import Claim, ClaimStatus, InformationRequest, Payment
from conversations.models import Attachment, Author, Conversation, ConversationStatus, Message
from notifications import occasions, sms
from notifications import services as notification_services
from notifications.models import Notification
from tests.appointment_factory import slots
from tests.claim_factory import awarded_claim, sent_claim, upload
from tests.conftest import sign_in_with_mfa
from tests.helpers import error_summary, input_value, one, reload, select, set_channels, texts

pytestmark = pytest.mark.django_db

ADMIN = "/admin/conversations/conversation/"
YOUR_SERVICES = reverse("portal:home")
LIVE = reverse("portal:home_live")
MESSAGES_BADGE = reverse("conversations:badge")

# What staff write to each other, and to the person: the first must never reach the
# person, the second only on the conversation's page (never in an email or a text).
INTERNAL_NOTE = "Sounds like the employer fiddles the payslips; ring HMRC before deciding"
STAFF_REPLY = "Thank you for the payslip. Your employer's letter would settle the hours question"


# --- The clock, the outbox and the pages -------------------------------------------------------


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday, GMT
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A moved clock (Friday 27 November 2026, 10am), that the test moves on. Sessions
    follow it: sign people in after setting it far (a session lasts 12 hours)."""
    return Clock(monkeypatch)


class Outbox:
    """What the person was sent, as a worker delivers it: the ids ``notify`` and the
    occasions queue after each commit are delivered through the real channels (email
    backend, text message backend, the print queue for letters)."""

    def __init__(self) -> None:
        self.queued: list[int] = []

    def deliver(self) -> dict[int, str]:
        """Deliver what was queued. A delivery's first attempt defaults to the wall clock's
        now (``default=timezone.now`` is bound before the test moves the clock), so the
        worker runs at the later of the two."""
        ids = list(self.queued)
        self.queued.clear()
        if not ids:
            return {}
        now = max(timezone.now(), datetime.now(UTC))
        outcome = notification_services.deliver_many(ids, now=now)
        assert set(outcome.values()) <= {"sent", "print_queue"}, outcome
        return outcome

    @property
    def emails(self) -> list[str]:
        return [
            html.unescape(" ".join([m.subject, m.body, *(c for c, _type in m.alternatives)]))
            for m in mail.outbox
        ]

    @property
    def texts(self) -> list[str]:
        return [m.body for m in sms.outbox]


@pytest.fixture
def outbox(monkeypatch, settings) -> Iterator[Outbox]:
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    mail.outbox.clear()
    sms.outbox.clear()
    box = Outbox()
    monkeypatch.setattr(notification_services, "publish", box.queued.extend)
    monkeypatch.setattr(occasions, "publish", box.queued.extend)
    yield box
    sms.outbox.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block leaves for after the commit (the outbox's
    queueing, the versions of live panels), as each request's own commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def person_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_client(user) -> Client:
    client = Client()
    sign_in_with_mfa(client, user)
    return client


def page(response) -> str:
    """A page's HTML with its entities decoded (what is read, not how it is escaped)."""
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def followed(client, response) -> str:
    assert response.status_code == 302, (
        error_summary(response) if response.status_code == 200 else response.status_code
    )
    return page(client.get(response["Location"]))


def pdf_text(response) -> str:
    import io

    import pypdf

    assert response.status_code == 200, response.status_code
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def everything_the_person_can_see(client, customer, *, extra_urls=()) -> dict[str, str]:
    """Every page the person has (claims, conversations, lists, "Your services" and its
    live panel, the access log…) and every notification, by name."""
    claims = list(Claim.objects.filter(customer=customer).exclude(status=ClaimStatus.DRAFT))
    conversations = list(Conversation.objects.filter(customer=customer))
    urls = {
        "your services": YOUR_SERVICES, "your services (live)": LIVE,
        "to-do list": reverse("journeys:todo"), "notifications": reverse("notifications:inbox"),
        "messages": reverse("conversations:list"), "access log": reverse("accounts:access_log"),
        "appointments": reverse("appointments:index"),
        **{f"claim {c.reference}": reverse("claims:detail", args=[c.pk]) for c in claims},
        **{f"claim status {c.reference}": reverse("claims:status", args=[c.pk]) for c in claims},
        **{f"conversation {c.reference}": reverse("conversations:detail", args=[c.pk])
           for c in conversations},
        **{url: url for url in extra_urls},
    }  # fmt: skip
    seen = {name: page(client.get(url)) for name, url in urls.items()}
    for note in Notification.objects.filter(customer=customer):
        seen[f"notification {note.pk}"] = f"{note.title} {note.body}"
    return seen


# --- 1. A question about a claim becomes a request, answered on the claim's page ---------------


def test_a_question_about_a_claim_is_answered_by_a_request_the_person_answers_on_the_claim_page(
    citizen, caseworker, team_leader, clock, outbox, committed
):
    """Alice lives in Edinburgh. On Friday 27 November 2026 she asks about her claim from
    its page, with a payslip. The topic is answered within 2 working days; the weekend
    and Monday 30 November, St Andrew's Day in Scotland, do not count: due on Wednesday
    2 December (in England it would be Tuesday 1 December). A caseworker takes the next
    conversation, notes something for colleagues, asks for information on the claim from
    the conversation and replies. Alice sees the request to do and the reply on "Your
    services", answers on the claim's page, and the claim goes back to review, then is
    awarded. The note reaches nothing of hers (pages, notifications, emails,
    texts, the decision letter); the reply is never in an email or a text."""
    update_contact_details(
        customer=citizen.customer, by=citizen, phone="07700 900123",
        address_line_1="1 Princes Street", address_line_2="", town="Edinburgh",
        postcode="EH2 2AN",
    )  # fmt: skip
    set_channels(citizen, ["email", "sms"])
    claim = sent_claim(citizen)
    alice = person_client(citizen)

    # From the claim's page, "Send us a message about this claim", with a payslip.
    claim_page = alice.get(reverse("claims:detail", args=[claim.pk]))
    link = one(claim_page, f'a[href="{reverse("conversations:new_about_claim", args=[claim.pk])}"]')
    assert link.text_content().strip() == "Send us a message about this claim"
    form = alice.get(link.get("href"))
    with committed():
        sent = alice.post(link.get("href"), {
            "submission_key": input_value(form, "submission_key"), "topic": "your-claim",
            "subject": "My hours at work", "body": "My hours changed in October.\r\nPayslip attached.",
            "attachments": [upload("october-payslip.png")],
        })  # fmt: skip
    assert "We will reply by Wednesday 2 December 2026." in followed(alice, sent)
    conversation = Conversation.objects.get(customer=citizen.customer)
    assert (conversation.claim, conversation.status) == (claim, ConversationStatus.WAITING_FOR_US)
    assert conversation.reply_due_on == date(2026, 12, 2)  # St Andrew's Day skipped
    [attachment] = Attachment.objects.filter(message__conversation=conversation)
    assert attachment.original_name == "october-payslip.png"

    # The caseworkers' queue, due first; "take the next" gives it to Casey.
    casey = staff_client(caseworker)
    queue = casey.get(ADMIN)
    assert texts(queue, "#result_list tbody th a") == [conversation.reference]
    assert "2026-12-02" in page(queue)
    taken = casey.post(f"{ADMIN}take-next/")
    assert taken["Location"] == f"{ADMIN}{conversation.pk}/change/"
    workspace = page(casey.get(taken["Location"]))
    assert "Answer due by 2 December 2026." in workspace
    assert "october-payslip.png" in workspace
    assert claim.reference in workspace
    act = f"{ADMIN}{conversation.pk}/act/"
    due = date(2026, 12, 14)
    with committed():
        casey.post(act + "note/", {"note-text": INTERNAL_NOTE})
        casey.post(act + "request-information/", {
            "request-information-what": "A letter from your employer saying your new hours",
            "request-information-due_on_day": due.day, "request-information-due_on_month": due.month,
            "request-information-due_on_year": due.year,
        })  # fmt: skip
        reply = casey.get(taken["Location"])
        casey.post(act + "reply/", {
            "reply-body": STAFF_REPLY, "reply-submission_key": input_value(reply, "reply-submission_key"),
        })  # fmt: skip
    request = InformationRequest.objects.get(claim=claim)
    assert request.due_on == due
    assert reload(claim).status == ClaimStatus.INFORMATION_REQUESTED
    assert reload(conversation).status == ConversationStatus.WAITING_FOR_YOU
    assert INTERNAL_NOTE in page(casey.get(taken["Location"]))  # staff see their note

    # "Your services": the request to do, and the conversation with our unread reply.
    services = alice.get(YOUR_SERVICES)
    answer_url = reverse("claims:answer_request", args=[claim.pk, request.pk])
    assert texts(services, f'a[href="{answer_url}"]') == [
        "Reply to our request about your Carer's Allowance claim"
    ]
    conversation_url = reverse("conversations:detail", args=[conversation.pk])
    assert texts(
        services,
        f'//h2[@id="your-messages"]/following-sibling::ul[1]//a[@href="{conversation_url}"]',
    ) == ["My hours at work"]
    assert "You have 1 unread message from us." in page(services)

    # She reads the reply, then answers on the claim's page: the claim moves on.
    assert STAFF_REPLY in page(alice.get(conversation_url))
    with committed():
        answered = alice.post(answer_url, {"answer": "My employer will post the letter to you."})
    assert "Thank you. We have your answer." in followed(alice, answered)
    assert reload(claim).status == ClaimStatus.IN_REVIEW
    assert reload(request).answered_at is not None

    # The claim is decided: a letter the person downloads.
    with committed():
        decision = claim_decisions.award_claim(
            claim=reload(claim), by=team_leader, reasons="You care for 35 hours a week or more.",
            amount=Decimal("83.30"), adjustment_reason="Worked out from your employer's letter",
        )  # fmt: skip
    letter = alice.get(reverse("claims:decision_letter", args=[claim.pk, decision.pk]))

    # Nothing of the note anywhere the person can see; the reply on its page only.
    seen = everything_the_person_can_see(alice, citizen.customer)
    seen["decision letter"] = pdf_text(letter)
    assert "Carer's Allowance" in seen["decision letter"]
    outbox.deliver()
    # Asked, our reply, back in review, awarded.
    assert len(outbox.emails) == len(outbox.texts) == 4
    for index, text in enumerate(outbox.emails):
        seen[f"email {index}"] = text
    for index, text in enumerate(outbox.texts):
        seen[f"text {index}"] = text
    for name, text in seen.items():
        assert "HMRC" not in text, f"the internal note is on {name}"
        assert "fiddles" not in text, f"the internal note is on {name}"
    for name, text in seen.items():
        if name.startswith(("email", "text", "notification")):
            assert "settle the hours" not in text, f"the reply's words are in the {name}"
    assert any("new message about your conversation" in text for text in outbox.texts)


# --- 2. A change told in a message, recorded by a caseworker, reviewed on the award ------------


def test_a_change_told_in_a_message_reaches_the_record_the_award_review_and_the_person(
    citizen, caseworker, team_leader, outbox, committed
):
    """Ffion gets Universal Credit on £600 a month of earnings. She writes that she has
    earned £900 a month since 20 days ago. A caseworker records it from the message: the
    same fact, flag and review as if she had reported it herself (55p of each extra pound:
    £165 less a month), with where it came from on the record, and she is told on her
    claim's page that we have it."""
    from benefits.demo import _age
    from tests.journeys.test_journeys import worked_household
    from tests.journeys.test_whole_journeys import LONE_PARENT, apply_without_being_asked_twice

    customer = worked_household(citizen, born=date(1990, 1, 1), facts=LONE_PARENT)
    record_children(citizen)
    uc, _known = apply_without_being_asked_twice(citizen, "universal_credit")
    claim_decisions.award_claim(claim=Claim.objects.get(pk=uc.pk), by=team_leader)
    paid = uc.statements.get().amount
    _age(uc, 60)
    happened_on = timezone.localdate() - timedelta(days=20)

    ffion = person_client(citizen)
    form = ffion.get(reverse("conversations:new"))
    with committed():
        ffion.post(reverse("conversations:new"), {
            "submission_key": input_value(form, "submission_key"), "topic": "change-in-your-life",
            "subject": "New job", "body": f"I have earned £900 a month since {happened_on:%d/%m/%Y}.",
        })  # fmt: skip
    conversation = Conversation.objects.get(customer=customer)

    casey = staff_client(caseworker)
    assert casey.post(f"{ADMIN}take-next/")["Location"] == f"{ADMIN}{conversation.pk}/change/"
    with committed():
        done = casey.post(f"{ADMIN}{conversation.pk}/act/change/", {
            "change-kind": FactKind.MONTHLY_EARNINGS, "change-value": "900",
            "change-effective_from_day": happened_on.day,
            "change-effective_from_month": happened_on.month,
            "change-effective_from_year": happened_on.year,
        })  # fmt: skip
    assert "Their awards are on the list of changes to review" in followed(casey, done)

    # On the record, from that date, with its source and the conversation it came from.
    fact = Fact.objects.filter(customer=customer, kind=FactKind.MONTHLY_EARNINGS).latest("pk")
    assert (Decimal(fact.value), fact.effective_from, fact.source, fact.recorded_by) == (
        Decimal(900), happened_on, FactSource.CASEWORKER, caseworker,
    )  # fmt: skip
    assert conversation.reference in fact.note
    # The award is on the list of changes to review, from that date.
    assert reload(uc).change_to_review_from == happened_on
    terry = staff_client(team_leader)
    changes = terry.get("/admin/benefits/claim/", {"work": "changes"})
    assert uc.reference in texts(changes, "#result_list tbody tr")[0]

    # The 360° page: the conversation, and the fact with who recorded it and from where.
    whole = terry.get(f"/admin/customers/{customer.pk}/360/")
    facts = texts(whole, '//section[@aria-labelledby="facts"]//tbody/tr')
    earnings = [row for row in facts if row.startswith("Monthly earnings") and "900" in row]
    assert len(earnings) == 1, facts
    assert "A caseworker" in earnings[0]
    assert caseworker.email in earnings[0]
    assert conversation.reference in earnings[0], "the fact names the conversation it came from"
    assert conversation.reference in page(whole)

    # The person sees on her claim that we have the change (as if she had reported it),
    # never the caseworkers' note that a decision is needed.
    claim_page = page(ffion.get(reverse("claims:detail", args=[uc.pk])))
    assert (
        f"You told us about a change from {happened_on.day} {happened_on:%B %Y}, in your "
        f"conversation {conversation.reference}: you earn £900 a month." in claim_page
    )
    assert "A decision is needed" not in claim_page

    # The review: the same before and after as for a change she reported herself.
    expected_after = paid - Decimal("165.00")
    review = page(terry.get(f"/admin/benefits/claim/{uc.pk}/change/"))
    assert f"Worked out again from {happened_on.day} {happened_on:%B %Y}" in review
    assert f"£{paid:,.2f}" in review
    assert f"£{expected_after:,.2f}" in review
    assert "difference: £165 taken off" in review
    with committed():
        terry.post(f"/admin/benefits/claim/{uc.pk}/act/review-change/", {
            "review-change-apply": "yes", "review-change-reason": "",
        })  # fmt: skip
    second = uc.statements.get(version=2)
    assert (second.effective_from, second.amount) == (happened_on, expected_after)
    assert reload(uc).change_to_review_from is None
    assert f"£{expected_after:,.2f}" in page(ffion.get(reverse("claims:detail", args=[uc.pk])))


def record_children(user) -> None:
    from accounts import services as account_services

    account_services.record_fact(
        customer=user.customer, kind="children", by=user, effective_from=date(2024, 1, 1),
        value=[{"date_of_birth": "2016-02-10", "disability": "none", "sex": "female"},
               {"date_of_birth": "2019-07-22", "disability": "none", "sex": "male"}],
    )  # fmt: skip
    for born in (date(2016, 2, 10), date(2019, 7, 22)):
        account_services.add_household_member(
            customer=user.customer, by=user, relationship="child", name="Child",
            date_of_birth=born, joined_on=born,
        )  # fmt: skip


# --- 3. An appointment about a claim: booked, reminded, missed, never a sanction -------------


def test_an_appointment_about_an_award_is_confirmed_reminded_once_each_and_missed_without_sanction(
    citizen, caseworker, clock, outbox, committed
):
    """On Monday 23 November 2026 Alice books a phone call about her Carer's Allowance for
    Thursday 26 November at 10am. She is told on the channels she chose, reminded once a
    day before and once two hours before, and misses it. The caseworker records it: her
    claim's page says so kindly, her team has a follow-up, and her award and its payments
    are exactly as they were."""
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # GMT: local time is UTC
    update_contact_details(
        customer=citizen.customer, by=citizen, phone="07700 900123",
        address_line_1="1 High Street", address_line_2="", town="Leeds", postcode="LS1 4DY",
    )  # fmt: skip
    set_channels(citizen, ["email", "sms"])
    award, _decision = awarded_claim(citizen)
    payments = list(
        Payment.objects.filter(claim=award).values_list("pk", "status", "amount", "due_on")
    )
    assert payments
    start = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    slot, _later = slots(count=2, first=start)

    # Booking, step by step, about the award.
    alice = person_client(citizen)
    steps = [
        ("/appointments/book/", {"purpose": f"claim:{award.pk}"}),
        ("/appointments/book/how/", {"way": "phone"}),
        ("/appointments/book/time/", {"slot": str(slot.pk)}),
        ("/appointments/book/needs/", {"callback_phone": "07700 900123", "interpreter_language": "",
                                       "other_needs": ""}),
    ]  # fmt: skip
    for url, data in steps:
        response = alice.post(url, data)
        assert response.status_code == 302, (url, error_summary(response))
    assert award.reference in page(alice.get("/appointments/book/check/"))
    with committed():
        booked = alice.post("/appointments/book/check/")
    appointment = Appointment.objects.get(customer=citizen.customer)
    assert booked["Location"] == f"/appointments/{appointment.pk}/"
    assert (appointment.claim, appointment.slot) == (award, slot)

    # The confirmation, by email and by text.
    outbox.deliver()
    confirmation = "Your appointment is booked for Thursday 26 November 2026 at 10am"
    assert [confirmation in text for text in outbox.emails] == [True]
    assert [confirmation in text for text in outbox.texts] == [True]

    # The reminder run, every 10 minutes: once a day before, once two hours before.
    def run_at(moment: datetime) -> int:
        clock.set(moment)
        with committed():
            told = occasions.run(group=reminders.GROUP).new
        outbox.deliver()
        return told

    told = [
        run_at(start - timedelta(hours=24, minutes=5)),
        run_at(start - timedelta(hours=23, minutes=55)),
        run_at(start - timedelta(hours=23, minutes=45)),
        run_at(start - timedelta(hours=3)),
        run_at(start - timedelta(hours=1, minutes=55)),
        run_at(start - timedelta(hours=1, minutes=45)),
        run_at(start - timedelta(minutes=5)),
    ]
    assert told == [0, 1, 0, 0, 1, 0, 0]
    day_before = "Reminder: your appointment is on Thursday 26 November at 10am"
    soon = "Your appointment starts soon, at 10am (Thursday 26 November)"
    for sent in (outbox.emails, outbox.texts):
        assert sum(day_before in text for text in sent) == 1
        assert sum(soon in text for text in sent) == 1
    assert all(f"/appointments/{appointment.pk}/" in text for text in outbox.texts)

    # She does not answer the call. An hour later the caseworker records it.
    clock.set(start + timedelta(hours=1))
    casey = staff_client(caseworker)
    admin_page = f"/admin/appointments/appointment/{appointment.pk}/change/"
    assert "Record the outcome" in page(casey.get(admin_page))
    with committed():
        recorded = casey.post(f"/admin/appointments/appointment/{appointment.pk}/outcome/", {
            "outcome-outcome": "missed", "outcome-for_person": "",
            "outcome-note": "Rang twice, voicemail full",
        })  # fmt: skip
    assert recorded["Location"] == admin_page
    assert reload(appointment).status == Status.MISSED

    # The team has a follow-up, due two working days later (Monday 30 November).
    follow_up = FollowUp.objects.get(appointment=appointment)
    assert (follow_up.team_id, follow_up.due_on, follow_up.done_at) == (
        slot.team_id, date(2026, 11, 30), None,
    )  # fmt: skip
    follow_ups = casey.get("/admin/appointments/followup/", {"open": "yes"})
    assert any(appointment.reference in row for row in texts(follow_ups, "#result_list tbody tr"))

    # Never a sanction: the award and its payments are as they were.
    assert reload(award).status == ClaimStatus.AWARDED
    assert (
        list(Payment.objects.filter(claim=award).values_list("pk", "status", "amount", "due_on"))
        == payments
    )

    # What Alice sees: her claim's timeline, her appointment, a kind message; never the
    # caseworker's note.
    alice = person_client(citizen)
    claim_page = page(alice.get(reverse("claims:detail", args=[award.pk])))
    assert (
        "Appointment on Thursday 26 November 2026 at 10am: we missed you. We will get in touch "
        "to find another time. Missing it does not change your payments." in claim_page
    )
    assert "We missed you at this appointment." in page(alice.get(booked["Location"]))
    outbox.deliver()
    missed = "We missed you at your appointment on Thursday 26 November 2026 at 10am"
    assert sum(missed in text for text in outbox.texts) == 1
    seen = everything_the_person_can_see(alice, citizen.customer, extra_urls=[booked["Location"]])
    for name, text in {**seen, **dict(enumerate(outbox.emails + outbox.texts))}.items():
        assert "voicemail" not in text, f"the caseworker's note is on {name}"


# --- 4. Every staff look at a message, a file and an appointment, in the person's words --------


def test_the_person_sees_each_look_at_their_messages_files_and_appointments_and_nobody_elses(
    citizen, other_citizen, caseworker
):
    """A caseworker goes through the queue, searches it for Alice, opens her conversation
    and the payslip she sent, her appointment, Bob's conversation and appointment, and
    Alice's 360° page. Alice's "Who has looked
    at your record" lists each of her things, in words, newest first, and nothing of Bob."""
    from tests.appointment_factory import book

    alice_asks = start_conversation_with_file(citizen, subject="My hours at work")
    bob_asks = start_conversation_with_file(other_citizen, subject="Bob's rent arrears")
    first, second = slots(count=2, capacity=2)
    alices = book(citizen, first)
    bobs = book(other_citizen, second)
    payslip = Attachment.objects.get(message__conversation=alice_asks)

    casey = staff_client(caseworker)
    looks = [
        ADMIN,
        f"{ADMIN}?q={citizen.customer.reference}",
        f"{ADMIN}{alice_asks.pk}/change/",
        f"{ADMIN}{alice_asks.pk}/files/{payslip.pk}/",
        f"{ADMIN}{bob_asks.pk}/change/",
        f"/admin/appointments/appointment/{alices.pk}/change/",
        f"/admin/appointments/appointment/{bobs.pk}/change/",
        f"/admin/customers/{citizen.customer.pk}/360/",
    ]
    for url in looks:
        assert casey.get(url).status_code == 200, url
    assert reload(payslip).seen_at is not None

    alice = person_client(citizen)
    log = alice.get(reverse("accounts:access_log"))
    rows = [
        (who, what)
        for who, what in zip(
            texts(log, 'tbody td[data-label="Who"]'),
            texts(log, 'tbody td[data-label="What they saw"]'),
            strict=True,
        )
    ]
    assert [what for _who, what in rows] == [
        "Your whole record",
        f"An appointment: {words_when(alices)} ({alices.reference})",
        f"A file you sent with a message: payslip.png, in your conversation {alice_asks.reference}",
        f"Your conversation {alice_asks.reference} (My hours at work)",
        "Your details, in search results for conversations",
        "Your details, in a list of conversations",
    ]
    assert {who for who, _what in rows} == {"A caseworker"}
    shown = page(log)
    for theirs in (bob_asks.reference, "Bob's rent arrears", bobs.reference, other_citizen.email,
                   other_citizen.customer.reference):  # fmt: skip
        assert theirs not in shown
    # And Bob's log has his, not hers.
    bob_log = page(person_client(other_citizen).get(reverse("accounts:access_log")))
    assert bob_asks.reference in bob_log
    assert bobs.reference in bob_log
    assert alice_asks.reference not in bob_log
    assert "payslip.png" not in bob_log


def words_when(appointment: Appointment) -> str:
    from appointments import words

    return words.when(appointment.starts_at)


def start_conversation_with_file(user, *, subject: str) -> Conversation:
    from conversations import services
    from conversations.models import Topic

    return services.start_conversation(
        customer=user.customer, by=user, topic=Topic.objects.get(code="your-claim"),
        subject=subject, body="Please see the attached.", files=[upload("payslip.png")],
        submission_key=uuid.uuid4(),
    )  # fmt: skip


# --- 5. Our reply in the header and on "Your services", until the person reads it ------------


def count_in(response, badge: str) -> int:
    """The count the header's (or a polled badge's) link shows; 0 when it shows none."""
    counts = select(response, f"#{badge} .portal-count" if badge else ".portal-count")
    return int(counts[0].text) if counts else 0


def test_our_reply_shows_in_the_header_and_on_your_services_until_the_person_reads_it(
    citizen, caseworker, outbox, committed
):
    alice = person_client(citizen)
    form = alice.get(reverse("conversations:new"))
    with committed():
        alice.post(reverse("conversations:new"), {
            "submission_key": input_value(form, "submission_key"), "topic": "payments",
            "subject": "Payment not arrived", "body": "It was due on Friday.",
        })  # fmt: skip
    conversation = Conversation.objects.get(customer=citizen.customer)
    before = alice.get(YOUR_SERVICES)
    assert count_in(before, "messages-badge") == 0
    live, badge = alice.get(LIVE)["ETag"], alice.get(MESSAGES_BADGE)["ETag"]
    assert alice.get(LIVE, headers={"If-None-Match": live}).status_code == 304
    assert alice.get(MESSAGES_BADGE, headers={"If-None-Match": badge}).status_code == 304

    # A caseworker replies from the admin.
    casey = staff_client(caseworker)
    workspace = casey.get(f"{ADMIN}{conversation.pk}/change/")
    with committed():
        casey.post(f"{ADMIN}{conversation.pk}/act/reply/", {
            "reply-body": "We paid it this morning.",
            "reply-submission_key": input_value(workspace, "reply-submission_key"),
        })  # fmt: skip
    assert Message.objects.filter(conversation=conversation, author=Author.STAFF).count() == 1

    # The polls see a change; the header and "Your services" say there is one unread.
    panel = alice.get(LIVE, headers={"If-None-Match": live})
    assert panel.status_code == 200
    assert "You have 1 unread message from us." in page(panel)
    assert "Waiting for you" in page(panel)
    polled = alice.get(MESSAGES_BADGE, headers={"If-None-Match": badge})
    assert (polled.status_code, count_in(polled, "")) == (200, 1)
    assert count_in(alice.get(YOUR_SERVICES), "messages-badge") == 1
    assert count_in(alice.get(YOUR_SERVICES), "notifications-badge") == 1
    live, badge = panel["ETag"], polled["ETag"]

    # She opens the conversation: both go back, and so does the notification about it.
    with committed():
        assert "We paid it this morning." in page(alice.get(reverse(
            "conversations:detail", args=[conversation.pk]
        )))  # fmt: skip
    panel = alice.get(LIVE, headers={"If-None-Match": live})
    assert panel.status_code == 200
    assert "unread message from us" not in page(panel)
    polled = alice.get(MESSAGES_BADGE, headers={"If-None-Match": badge})
    assert (polled.status_code, count_in(polled, "")) == (200, 0)
    after = alice.get(YOUR_SERVICES)
    assert count_in(after, "messages-badge") == 0
    assert count_in(after, "notifications-badge") == 0
    assert alice.get(LIVE, headers={"If-None-Match": panel["ETag"]}).status_code == 304
    # The email and the text said there was a message, never what it said.
    outbox.deliver()
    for text in outbox.emails + outbox.texts:
        assert "paid it this morning" not in text


# --- Seams: what happens to one part when another changes under it ----------------------------


def test_a_claim_withdrawn_while_a_conversation_is_about_it_asks_nothing_more(
    citizen, caseworker, committed
):
    """Alice asks about her claim, then withdraws it. The caseworker answering the
    conversation cannot ask for information on the withdrawn claim (told why, nothing
    saved), can still answer her, and nothing appears on her list of things to do."""
    claim = sent_claim(citizen)
    alice = person_client(citizen)
    about = reverse("conversations:new_about_claim", args=[claim.pk])
    form = alice.get(about)
    alice.post(about, {
        "submission_key": input_value(form, "submission_key"), "topic": "your-claim",
        "subject": "Should I withdraw?", "body": "I have found a job.",
    })  # fmt: skip
    conversation = Conversation.objects.get(customer=citizen.customer)
    with committed():
        alice.post(reverse("claims:withdraw", args=[claim.pk]), {"reason": "I found a job"})
    assert reload(claim).status == ClaimStatus.WITHDRAWN

    casey = staff_client(caseworker)
    due = timezone.localdate() + timedelta(days=14)
    refused = casey.post(f"{ADMIN}{conversation.pk}/act/request-information/", {
        "request-information-what": "Your payslips",
        "request-information-due_on_day": due.day, "request-information-due_on_month": due.month,
        "request-information-due_on_year": due.year,
    }, follow=True)  # fmt: skip
    assert refused.status_code == 200
    assert texts(refused, "ul.messagelist li.error"), "the caseworker is told why"
    assert not InformationRequest.objects.exists()
    assert reload(claim).status == ClaimStatus.WITHDRAWN
    assert not conversation.notes.filter(text__contains="Your payslips").exists()

    workspace = casey.get(f"{ADMIN}{conversation.pk}/change/")
    with committed():
        casey.post(f"{ADMIN}{conversation.pk}/act/reply/", {
            "reply-body": "We have withdrawn it. Good luck with the job.",
            "reply-submission_key": input_value(workspace, "reply-submission_key"),
        })  # fmt: skip
    services = page(alice.get(YOUR_SERVICES))
    assert "There is nothing you need to do right now." in services
    assert "Should I withdraw?" in services
    assert "Good luck with the job." in page(
        alice.get(reverse("conversations:detail", args=[conversation.pk]))
    )
