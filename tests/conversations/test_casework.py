"""The caseworkers' services on conversations: the queue and its order, taking the next
one, giving and transferring, replies and what the person is sent about them, internal
notes, templates, supervisors, closing, and turning a message into work.

The race for the next conversation is in test_take_next_concurrency.py; the admin's pages
in test_casework_admin.py.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Fact, FactKind, FactSource
from accounts.services import update_contact_details
from benefits.models import ClaimEvent, ClaimStatus, InformationRequest
from conversations import casework, services
from conversations.models import (
    Author,
    ConversationStatus,
    InternalNote,
    Message,
)
from notifications import services as notification_services
from notifications import sms
from notifications.models import Delivery, Notification
from tests.claim_factory import awarded_claim, sent_claim
from tests.conftest import make_person, make_staff
from tests.conversations.casework_factory import conversation, reply_template, team, topic
from tests.helpers import reload, set_channels

pytestmark = pytest.mark.django_db
S = ConversationStatus


def named(user, name: str = "Alice") -> str:
    user.customer.preferred_name = name
    user.customer.save(update_fields=["preferred_name"])
    return name


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


# --- The queue ----------------------------------------------------------------------------------


def test_the_queue_puts_overdue_first_then_the_earliest_due_then_the_longest_waiting(citizen):
    today = timezone.localdate()
    due_tomorrow = conversation(citizen, due=today + timedelta(days=1), waiting_since=days_ago(1))
    overdue_long = conversation(citizen, due=today - timedelta(days=3), waiting_since=days_ago(6))
    overdue = conversation(citizen, due=today - timedelta(days=1), waiting_since=days_ago(3))
    due_today_older = conversation(citizen, due=today, waiting_since=days_ago(3))
    due_today_newer = conversation(citizen, due=today, waiting_since=days_ago(2))
    # Not in the queue: waiting for the person, or closed.
    conversation(citizen, status=S.WAITING_FOR_YOU)
    conversation(citizen, status=S.CLOSED)

    order = list(casework.queue().values_list("pk", flat=True))

    assert order == [
        overdue_long.pk, overdue.pk, due_today_older.pk, due_today_newer.pk, due_tomorrow.pk,
    ]  # fmt: skip
    assert [casework.is_overdue(c) for c in casework.queue()] == [True, True, False, False, False]


def test_take_next_gives_the_most_overdue_unassigned_one_and_notes_it(citizen, caseworker):
    today = timezone.localdate()
    colleague = make_staff("colleague@example.org", group="caseworker")
    conversation(citizen, due=today - timedelta(days=5), assigned_to=colleague)  # someone's
    oldest_free = conversation(citizen, due=today - timedelta(days=2))
    conversation(citizen, due=today + timedelta(days=1))

    taken = casework.take_next_conversation(by=caseworker)

    assert taken.pk == oldest_free.pk
    assert reload(taken).assigned_to == caseworker
    assert InternalNote.objects.get(conversation=taken).text == f"Assigned to {caseworker.email}"


def test_take_next_from_a_team_takes_that_teams_only_and_only_for_its_members(
    citizen, caseworker, team_leader
):
    pensions = team("Pensions", caseworker)
    carers = team("Carers")
    today = timezone.localdate()
    conversation(citizen, team=carers, due=today - timedelta(days=9))
    mine = conversation(citizen, team=pensions, due=today)

    assert casework.take_next_conversation(by=caseworker, team=pensions).pk == mine.pk
    assert casework.take_next_conversation(by=caseworker, team=pensions) is None
    with pytest.raises(PermissionDenied):
        casework.take_next_conversation(by=caseworker, team=carers)
    # A team leader takes from any team.
    assert casework.take_next_conversation(by=team_leader, team=carers) is not None


def test_a_conversation_needing_a_supervisor_goes_to_a_team_leader_only(
    citizen, caseworker, team_leader
):
    flagged = conversation(citizen, due=timezone.localdate() - timedelta(days=1))
    casework.mark_needs_supervisor(conversation=flagged, by=caseworker, reason="A complaint")

    assert casework.take_next_conversation(by=caseworker) is None
    assert casework.take_next_conversation(by=team_leader).pk == flagged.pk


def test_nothing_to_take_gives_none(caseworker):
    assert casework.take_next_conversation(by=caseworker) is None


def test_taking_the_next_conversation_inside_another_transaction_fails_loudly(citizen, caseworker):
    waiting = conversation(citizen)

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        casework.take_next_conversation(by=caseworker)

    assert reload(waiting).assigned_to is None


# --- Permissions --------------------------------------------------------------------------------


def test_staff_without_the_permission_can_do_nothing(citizen):
    clerk = make_staff("clerk@example.org")  # staff, in no group
    waiting = conversation(citizen)

    for attempt in (
        lambda: casework.take_next_conversation(by=clerk),
        lambda: casework.send_staff_reply(conversation=waiting, by=clerk, body="Hello"),
        lambda: casework.add_internal_note(conversation=waiting, by=clerk, text="Hm"),
        lambda: casework.assign(conversation=waiting, to=clerk, by=clerk),
        lambda: casework.close_conversation(conversation=waiting, by=clerk),
        lambda: casework.mark_needs_supervisor(conversation=waiting, by=clerk, reason="?"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert Message.objects.filter(conversation=waiting).count() == 1
    assert not InternalNote.objects.exists()
    assert reload(waiting).status == S.WAITING_FOR_US


def test_only_a_team_leader_gives_a_conversation_to_someone_else_or_takes_it_from_them(
    citizen, caseworker, team_leader
):
    colleague = make_staff("colleague@example.org", group="caseworker")
    waiting = conversation(citizen)

    with pytest.raises(PermissionDenied):
        casework.assign(conversation=waiting, to=colleague, by=caseworker)
    casework.assign(conversation=waiting, to=colleague, by=team_leader)
    assert reload(waiting).assigned_to == colleague
    with pytest.raises(PermissionDenied):
        casework.assign(conversation=waiting, to=caseworker, by=caseworker)
    with pytest.raises(PermissionDenied):
        casework.unassign(conversation=waiting, by=caseworker)
    casework.unassign(conversation=waiting, by=colleague)
    assert reload(waiting).assigned_to is None
    with pytest.raises(ValueError, match="active caseworkers"):
        casework.assign(conversation=waiting, to=citizen, by=team_leader)


def test_transfer_to_a_team_is_for_team_leaders_and_puts_it_in_that_teams_queue(
    citizen, caseworker, team_leader
):
    pensions = team("Pensions")
    waiting = conversation(citizen, assigned_to=caseworker)

    with pytest.raises(PermissionDenied):
        casework.transfer_to_team(conversation=waiting, team=pensions, by=caseworker)
    casework.transfer_to_team(conversation=waiting, team=pensions, by=team_leader)

    moved = reload(waiting)
    assert (moved.team, moved.assigned_to, moved.reply_due_on) == (
        pensions, None, waiting.reply_due_on,
    )  # fmt: skip
    assert "Transferred to the team Pensions" in InternalNote.objects.get(conversation=waiting).text


# --- Replying, and what the person is sent ------------------------------------------------------


SECRET_REPLY = "Your overpayment of 412 pounds arises from the Zanzibar pension you declared."


def test_a_reply_waits_for_the_person_clears_the_due_date_and_reads_their_messages(
    citizen, caseworker
):
    waiting = conversation(citizen)

    message = casework.send_staff_reply(conversation=waiting, by=caseworker, body=SECRET_REPLY)

    assert (message.author, message.sent_by, message.body) == (
        Author.STAFF,
        caseworker,
        SECRET_REPLY,
    )
    after = reload(waiting)
    assert (after.status, after.waiting_since, after.reply_due_on) == (
        S.WAITING_FOR_YOU,
        None,
        None,
    )
    assert after.assigned_to == caseworker  # who answered has it
    assert after.last_message_at == message.sent_at
    theirs = Message.objects.get(conversation=waiting, author=Author.CUSTOMER)
    assert theirs.read_at is not None
    assert message.read_at is None  # the person has not read ours yet
    note = Notification.objects.get(customer=citizen.customer)
    assert note.kind == "message"
    assert note.title == f"You have a new message about your conversation {waiting.reference}"
    assert note.link == services.conversation_path(waiting.pk)
    assert str(waiting.pk) in note.link


def test_a_reply_can_close_the_conversation_which_stays_readable(citizen, caseworker):
    waiting = conversation(citizen)

    casework.send_staff_reply(conversation=waiting, by=caseworker, body="Done.", close=True)

    after = reload(waiting)
    assert after.status == S.CLOSED
    assert after.closed_at is not None
    assert list(after.messages.values_list("author", flat=True)) == ["customer", "staff"]


def test_a_reply_to_a_closed_conversation_opens_it_again_for_the_person(citizen, caseworker):
    """Staff may write once more in a closed conversation: it is open again (the person can
    answer), no longer says when it was closed, and the notes say it was reopened."""
    waiting = conversation(citizen)
    casework.send_staff_reply(conversation=waiting, by=caseworker, body="Done.", close=True)

    casework.send_staff_reply(conversation=waiting, by=caseworker, body="One more thing.")

    after = reload(waiting)
    assert (after.status, after.closed_at) == (S.WAITING_FOR_YOU, None)
    assert list(after.notes.values_list("text", flat=True))[-2:] == [
        "Closed with the reply",
        "Reopened with the reply",
    ]


def test_the_same_reply_posted_twice_is_sent_once(citizen, caseworker):
    import uuid

    waiting = conversation(citizen)
    key = uuid.uuid4()

    first = casework.send_staff_reply(
        conversation=waiting, by=caseworker, body="Hi", submission_key=key
    )
    again = casework.send_staff_reply(
        conversation=waiting, by=caseworker, body="Hi", submission_key=key
    )

    assert first.pk == again.pk
    assert Message.objects.filter(author=Author.STAFF).count() == 1
    assert Notification.objects.count() == 1


def test_an_empty_reply_is_refused(citizen, caseworker):
    waiting = conversation(citizen)

    with pytest.raises(ValueError, match="Write the reply"):
        casework.send_staff_reply(conversation=waiting, by=caseworker, body="   ")

    assert not Message.objects.filter(author=Author.STAFF).exists()


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_the_email_and_the_text_say_there_is_a_new_message_and_never_what_it_says(
    citizen, caseworker, sms_outbox
):
    update_contact_details(
        customer=citizen.customer, by=citizen, phone="07700 900123", address_line_1="1 High St",
        address_line_2="", town="Leeds", postcode="LS1 4DY",
    )  # fmt: skip
    set_channels(citizen, ["email", "sms"])
    waiting = conversation(citizen)
    casework.add_internal_note(conversation=waiting, by=caseworker, text="Suspected fraud: check")

    casework.send_staff_reply(conversation=waiting, by=caseworker, body=SECRET_REPLY)
    deliveries = list(Delivery.objects.values_list("pk", flat=True))
    assert len(deliveries) == 2
    outcome = notification_services.deliver_many(deliveries)

    assert set(outcome.values()) == {"sent"}, outcome
    [email] = mail.outbox
    [text] = sms_outbox
    sent = [
        email.subject,
        email.body,
        *(content for content, _type in email.alternatives),
        text.body,
    ]
    assert "new message" in email.subject
    assert "new message" in text.body
    # No part of the reply, nor of the note, in anything that left.
    words = {
        w.strip(".,") for w in (SECRET_REPLY + " Suspected fraud: check").split() if len(w) > 4
    }
    for part in sent:
        assert not {w for w in words if w.lower() in part.lower()}, part
    assert f"/messages/{waiting.pk}/" in text.body or str(waiting.pk) in text.body


# --- Internal notes -----------------------------------------------------------------------------


def test_an_internal_note_is_never_a_message_nor_sent_to_the_person(citizen, caseworker):
    set_channels(citizen, ["email", "sms"])
    waiting = conversation(citizen)

    note = casework.add_internal_note(conversation=waiting, by=caseworker, text="Phoned: no answer")

    assert (note.by, note.text) == (caseworker, "Phoned: no answer")
    assert Message.objects.filter(conversation=waiting).count() == 1  # the person's only
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert reload(waiting).status == S.WAITING_FOR_US  # a note is not an answer
    with pytest.raises(ValueError, match="Write the note"):
        casework.add_internal_note(conversation=waiting, by=caseworker, text="  ")


# --- Reply templates ----------------------------------------------------------------------------


def test_a_template_is_filled_in_from_the_conversation_and_its_claim(citizen, caseworker):
    named(citizen)
    claim = sent_claim(citizen)
    about_claim = conversation(citizen, claim=claim)
    template = reply_template(
        "Thanks",
        "Dear {name},\nThank you for your message {reference} about your {benefit} claim "
        "{claim_reference}.",
    )

    text = casework.render_template(template=template, conversation=about_claim)

    assert text == (
        "Dear Alice,\nThank you for your message "
        f"{about_claim.reference} about your {claim.benefit.name} claim {claim.reference}."
    )


def test_what_a_conversation_lacks_is_left_out_tidily(citizen):
    assert citizen.customer.display_name == ""  # no name on the record
    general = conversation(citizen)
    template = reply_template(
        "Thanks", "Dear {name},\nThank you for your message about claim {claim_reference}."
    )

    assert casework.render_template(template=template, conversation=general) == (
        "Dear,\nThank you for your message about claim."
    )


def test_a_template_cannot_reach_anything_but_its_four_values(citizen):
    name = named(citizen)
    general = conversation(citizen)
    template = reply_template(
        "Hostile",
        "{name.__class__} {customer.user.password} {0} {reference!r} %(name)s %s {{name}} {name}",
    )

    text = casework.render_template(template=template, conversation=general)

    assert text == (
        f"{{name.__class__}} {{customer.user.password}} {{0}} {{reference!r}} %(name)s %s "
        f"{{{name}}} {name}"
    )
    assert "pbkdf2" not in text
    assert "argon2" not in text


def test_a_reply_from_a_template_with_nothing_typed_sends_the_template_filled_in(
    citizen, caseworker
):
    named(citizen)
    waiting = conversation(citizen)
    template = reply_template("Hello", "Hello {name}, thank you.")

    message = casework.send_staff_reply(
        conversation=waiting, by=caseworker, body="", template=template
    )

    assert message.body == "Hello Alice, thank you."


# --- Supervisors, closing and reopening ---------------------------------------------------------


def test_a_caseworker_asks_for_a_supervisor_and_only_a_supervisor_clears_it(
    citizen, caseworker, team_leader
):
    waiting = conversation(citizen)

    casework.mark_needs_supervisor(conversation=waiting, by=caseworker, reason="Threatening")
    assert (reload(waiting).needs_supervisor, reload(waiting).supervisor_reason) == (
        True,
        "Threatening",
    )
    with pytest.raises(PermissionDenied):
        casework.clear_needs_supervisor(conversation=waiting, by=caseworker)
    with pytest.raises(ValueError, match="Say why"):
        casework.mark_needs_supervisor(conversation=waiting, by=caseworker, reason=" ")
    casework.clear_needs_supervisor(conversation=waiting, by=team_leader, note="Called them")

    assert reload(waiting).needs_supervisor is False
    notes = list(InternalNote.objects.filter(conversation=waiting).values_list("text", flat=True))
    assert notes == ["Needs a supervisor: Threatening", "Supervisor has dealt with it. Called them"]


def test_closing_keeps_every_message_and_reopening_puts_it_back_with_a_due_date(
    citizen, caseworker
):
    waiting = conversation(citizen)

    casework.close_conversation(conversation=waiting, by=caseworker)
    closed = reload(waiting)
    assert (closed.status, closed.reply_due_on) == (S.CLOSED, None)
    assert closed.messages.count() == 1
    assert waiting.pk not in casework.queue().values_list("pk", flat=True)
    with pytest.raises(ValueError, match="Only a closed conversation"):
        casework.reopen_conversation(conversation=conversation(citizen), by=caseworker)

    casework.reopen_conversation(conversation=waiting, by=caseworker)

    reopened = reload(waiting)
    assert (reopened.status, reopened.assigned_to, reopened.closed_at) == (
        S.WAITING_FOR_US, caseworker, None,
    )  # fmt: skip
    assert reopened.reply_due_on > timezone.localdate()
    assert reopened.reply_due_on.weekday() < 5


# --- Read state ---------------------------------------------------------------------------------


def test_a_caseworker_opening_it_reads_the_persons_messages_an_auditor_does_not(
    citizen, caseworker
):
    waiting = conversation(citizen)
    auditor = make_staff("auditor@example.org")
    from django.contrib.auth.models import Permission

    auditor.user_permissions.add(Permission.objects.get(codename="view_conversation"))
    auditor = reload(auditor)

    assert casework.mark_read_by_staff(conversation=waiting, by=auditor) == 0
    assert Message.objects.get(conversation=waiting).read_at is None
    assert casework.mark_read_by_staff(conversation=waiting, by=caseworker) == 1
    assert Message.objects.get(conversation=waiting).read_at is not None
    assert casework.mark_read_by_staff(conversation=waiting, by=caseworker) == 0  # once


# --- A message becomes work ---------------------------------------------------------------------


def test_a_request_for_information_raised_from_a_message_is_on_the_claim_and_the_to_do_list(
    citizen, caseworker
):
    from journeys.services import todo_for

    claim = sent_claim(citizen)
    about_claim = conversation(citizen, claim=claim, body="I have a new payslip.")
    due = timezone.localdate() + timedelta(days=14)

    request = casework.raise_information_request(
        conversation=about_claim, by=caseworker, what="Send the payslip from March", due_on=due
    )

    assert InformationRequest.objects.get(claim=claim) == request
    assert reload(claim).status == ClaimStatus.INFORMATION_REQUESTED
    todo = todo_for(citizen.customer)
    assert any(claim.benefit.name in item.title for item in todo), todo
    note = InternalNote.objects.get(conversation=about_claim)
    assert claim.reference in note.text
    assert "Send the payslip from March" in note.text


def test_a_conversation_about_no_claim_cannot_raise_a_request(citizen, caseworker):
    general = conversation(citizen)

    with pytest.raises(ValueError, match="not about a claim"):
        casework.raise_information_request(
            conversation=general, by=caseworker, what="A payslip",
            due_on=timezone.localdate() + timedelta(days=5),
        )  # fmt: skip

    assert not InformationRequest.objects.exists()
    assert not InternalNote.objects.exists()


def test_a_change_told_in_a_message_is_recorded_and_the_award_goes_to_review(citizen, caseworker):
    award, _decision = awarded_claim(citizen, caseworker)
    told = conversation(citizen, body="I now earn 900 a month from 1 May.")
    happened = timezone.localdate() - timedelta(days=20)

    fact = casework.raise_change_of_circumstances(
        conversation=told, by=caseworker, kind=FactKind.MONTHLY_EARNINGS,
        value=Decimal("900"), effective_from=happened,
    )  # fmt: skip

    assert (fact.kind, fact.value, fact.effective_from, fact.source) == (
        FactKind.MONTHLY_EARNINGS, "900.00", happened, FactSource.CASEWORKER,
    )  # fmt: skip
    assert told.reference in fact.note
    assert reload(award).change_to_review_from == happened
    assert award.reference in InternalNote.objects.get(conversation=told).text
    # Told again: already on the record, nothing more to review.
    assert (
        casework.raise_change_of_circumstances(
            conversation=told,
            by=caseworker,
            kind=FactKind.MONTHLY_EARNINGS,
            value=Decimal("900"),
            effective_from=happened,
        )
        is None
    )
    assert (
        Fact.objects.filter(customer=citizen.customer, kind=FactKind.MONTHLY_EARNINGS).count() == 1
    )


def test_only_the_kinds_of_change_offered_can_be_recorded(citizen, caseworker):
    told = conversation(citizen)

    with pytest.raises(ValueError, match="cannot be recorded"):
        casework.raise_change_of_circumstances(
            conversation=told, by=caseworker, kind="relationship_status", value=1,
            effective_from=date(2025, 1, 1),
        )  # fmt: skip


# --- The queue's queries use their indexes at 100,000 conversations -----------------------------


def seed_conversations(count: int, topic_id: int) -> None:
    """Most conversations closed long ago; one in 25 open, of those most waiting for us,
    three in four of those with a caseworker already."""
    people = [make_person(f"seed{i}@example.org").customer.pk for i in range(20)]
    staff = make_staff("seedstaff@example.org", group="caseworker")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO conversations_conversation
                (customer_id, topic_id, subject, reference, status, created_at, last_message_at,
                 waiting_since, reply_due_on, needs_supervisor, supervisor_reason, assigned_to_id)
            SELECT (%(people)s::bigint[])[1 + i %% cardinality(%(people)s::bigint[])], %(topic)s,
                   'Seeded', 'MSG-S' || lpad(to_hex(i), 9, '0'),
                   CASE WHEN i %% 25 = 0 THEN 'waiting_for_us'
                        WHEN i %% 25 = 1 THEN 'waiting_for_you' ELSE 'closed' END,
                   now() - make_interval(days => i %% 400), now() - make_interval(days => i %% 400),
                   CASE WHEN i %% 25 = 0 THEN now() - make_interval(days => (i / 25) %% 20) END,
                   CASE WHEN i %% 25 = 0 THEN (now() - make_interval(days => (i / 25) %% 20)
                                                + interval '2 days')::date END,
                   false, '',
                   CASE WHEN i %% 25 = 0 AND i %% 100 <> 0 THEN %(staff)s END
            FROM generate_series(1, %(count)s) AS i
            """,
            {"people": people, "topic": topic_id, "count": count, "staff": staff.pk},
        )
        cursor.execute("ANALYZE conversations_conversation")


def _plan(queryset) -> str:
    return json.dumps(json.loads(queryset.explain(format="json")))


def test_the_queue_and_take_next_use_their_partial_indexes_at_100000_conversations(db):
    seed_conversations(100_000, topic().pk)
    assert casework.queue().count() == 4000

    queue_page = _plan(casework.queue()[:50])
    take_next = _plan(casework.queue().filter(assigned_to__isnull=True, needs_supervisor=False)[:1])

    assert '"conv_queue"' in queue_page, queue_page
    assert '"Sort"' not in queue_page, queue_page
    assert '"conv_next"' in take_next, take_next
    assert '"Sort"' not in take_next, take_next


def test_the_person_reads_on_their_award_that_we_have_the_change_they_told_us(citizen, caseworker):
    """As when they report a change themselves: a line on the award's timeline, in their
    words, naming the conversation; the caseworkers' "a decision is needed" stays hidden."""
    award, _decision = awarded_claim(citizen, caseworker)
    told = conversation(citizen, body="I care for my mother 20 hours a week now.")
    happened = date(2026, 11, 16)

    casework.raise_change_of_circumstances(
        conversation=told, by=caseworker, kind=FactKind.CARING_HOURS, value=20,
        effective_from=happened,
    )  # fmt: skip

    seen = list(
        ClaimEvent.objects.filter(claim=award, visible_to_customer=True)
        .order_by("-pk")
        .values_list("reason", flat=True)
    )
    assert seen[0] == (
        f"You told us about a change from 16 November 2026, in your conversation "
        f"{told.reference}: you care for 20 hours a week. We will look at what it means for "
        "your claim and tell you."
    )
    assert not any("decision is needed" in reason for reason in seen)
