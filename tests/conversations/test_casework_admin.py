"""The caseworkers' workspace for conversations, in the admin: the queue, taking the next
one, a conversation's page (the thread, files, notes, the buttons), the access log of
every look, and the 360° page's list of conversations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.access import access_log_page
from accounts.models import AccessEvent
from benefits.models import ClaimStatus, InformationRequest
from conversations.models import Author, Conversation, ConversationStatus, InternalNote, Message
from tests.claim_factory import sent_claim
from tests.conftest import make_person, make_staff, sign_in_with_mfa
from tests.conversations.casework_factory import (
    attachment,
    conversation,
    reply_template,
    team,
    topic,
)
from tests.helpers import one, reload, select, texts

pytestmark = pytest.mark.django_db
S = ConversationStatus
LIST = "/admin/conversations/conversation/"


def page(pk: int) -> str:
    return f"{LIST}{pk}/change/"


def act(pk: int, action: str) -> str:
    return f"{LIST}{pk}/act/{action}/"


@pytest.fixture
def casey(client, caseworker):
    sign_in_with_mfa(client, caseworker)
    return client


@pytest.fixture
def terry(client, team_leader):
    sign_in_with_mfa(client, team_leader)
    return client


def refs(response) -> list[str]:
    return list(texts(response, "#result_list tbody th a"))


# --- The queue ----------------------------------------------------------------------------------


def test_the_list_is_the_queue_overdue_first_and_marked(casey, citizen):
    today = timezone.localdate()
    later = conversation(citizen, due=today + timedelta(days=2))
    overdue = conversation(citizen, due=today - timedelta(days=1))
    answered = conversation(citizen, status=S.WAITING_FOR_YOU)

    response = casey.get(LIST)

    assert refs(response) == [overdue.reference, later.reference]
    assert "overdue" in texts(response, "#result_list .portal-overdue")[0]
    assert answered.reference in refs(casey.get(LIST, {"work": "waiting"}))
    assert set(refs(casey.get(LIST, {"work": "all"}))) == {
        overdue.reference, later.reference, answered.reference,
    }  # fmt: skip
    assert refs(casey.get(LIST, {"overdue": "yes"})) == [overdue.reference]


def test_the_filters_assigned_to_me_needs_a_supervisor_and_team(casey, caseworker, citizen):
    pensions = team("Pensions")
    mine = conversation(citizen, assigned_to=caseworker)
    flagged = conversation(citizen, team=pensions)
    Conversation.objects.filter(pk=flagged.pk).update(needs_supervisor=True)

    assert refs(casey.get(LIST, {"assigned": "me"})) == [mine.reference]
    assert refs(casey.get(LIST, {"supervisor": "yes"})) == [flagged.reference]
    assert refs(casey.get(LIST, {"team__id__exact": pensions.pk})) == [flagged.reference]


def test_take_the_next_conversation_assigns_it_and_opens_it(casey, caseworker, citizen):
    waiting = conversation(citizen)

    response = casey.post(f"{LIST}take-next/")

    assert response.status_code == 302
    assert response["Location"] == page(waiting.pk)
    assert reload(waiting).assigned_to == caseworker
    again = casey.post(f"{LIST}take-next/", follow=True)
    assert "there is no conversation to take" in again.content.decode()


def test_take_the_next_from_ones_team(casey, caseworker, citizen):
    pensions = team("Pensions", caseworker)
    conversation(citizen, due=timezone.localdate() - timedelta(days=3))  # no team, older
    theirs = conversation(citizen, team=pensions)

    listing = casey.get(LIST)
    assert [o.text for o in select(listing, "#id_take-next-team option")] == [
        "Any team",
        "Pensions",
    ]
    response = casey.post(f"{LIST}take-next/", {"take-next-team": pensions.pk})

    assert response["Location"] == page(theirs.pk)


def test_the_queue_runs_the_same_queries_with_5_or_60_conversations(
    casey, django_assert_max_num_queries
):
    people = [make_person(f"p{i}@example.org") for i in range(5)]
    pensions = team("Pensions")
    staff = make_staff("colleague@example.org", group="caseworker")

    def add(n: int) -> None:
        for i in range(n):
            conversation(
                people[i % 5], team=pensions if i % 2 else None, on=topic(f"t{i % 3}"),
                assigned_to=staff if i % 3 == 0 else None,
                due=timezone.localdate() + timedelta(days=i % 5 - 2),
            )  # fmt: skip

    add(5)
    casey.get(LIST)  # the session's first request
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert casey.get(LIST).status_code == 200
    add(55)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert casey.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert casey.get(LIST, {"assigned": "none", "overdue": "yes"}).status_code == 200


# --- A conversation's page ----------------------------------------------------------------------


def test_the_page_shows_the_thread_escaped_the_notes_and_reads_the_persons_messages(
    casey, caseworker, citizen
):
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    waiting = conversation(citizen, subject="<img src=x onerror=alert(1)>", body=hostile)
    InternalNote.objects.create(conversation=waiting, by=caseworker, text="<i>note</i>")

    response = casey.get(page(waiting.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<i>note</i>" not in html
    assert hostile in texts(response, ".portal-thread__message--customer p")[1]
    assert any("<i>note</i>" in t for t in texts(response, ".portal-casework li"))
    assert "new" in texts(response, ".portal-thread__message--customer p")[0]  # as opened
    assert Message.objects.get(conversation=waiting).read_at is not None
    event = AccessEvent.objects.get(customer=citizen.customer)
    assert (event.what, event.page, event.object_id, event.staff, event.model) == (
        "conversation", "detail", waiting.pk, caseworker, "conversations.conversation",
    )  # fmt: skip


def test_the_person_reads_the_look_as_their_conversation(casey, citizen):
    waiting = conversation(citizen, subject="My rent")
    casey.get(page(waiting.pk))
    casey.get(LIST)

    rows = list(access_log_page(customer=citizen.customer, page=None, show_staff=False))

    assert [r.what for r in rows] == [
        "Your details, in a list of conversations",
        f"Your conversation {waiting.reference} (My rent)",
    ]


def test_a_closed_conversation_stays_readable_to_staff(casey, caseworker, citizen):
    closed = conversation(citizen, status=S.CLOSED, body="Thanks, all sorted.")

    response = casey.get(page(closed.pk))

    assert "Thanks, all sorted." in response.content.decode()
    assert select(response, f'form[action="{act(closed.pk, "reopen")}"]')


def test_staff_who_only_view_it_leave_the_messages_unread_and_get_no_buttons(client, citizen):
    auditor = make_staff("auditor@example.org")
    auditor.user_permissions.add(Permission.objects.get(codename="view_conversation"))
    sign_in_with_mfa(client, auditor)
    waiting = conversation(citizen)

    response = client.get(page(waiting.pk))

    assert response.status_code == 200
    assert Message.objects.get(conversation=waiting).read_at is None
    assert not select(response, f'form[action="{act(waiting.pk, "reply")}"]')
    assert AccessEvent.objects.filter(customer=citizen.customer, what="conversation").exists()


def test_reply_through_the_page(casey, caseworker, citizen):
    waiting = conversation(citizen)
    form = casey.get(page(waiting.pk))
    key = one(form, 'input[name="reply-submission_key"]').get("value")
    data = {"reply-body": "We have paid you today.", "reply-submission_key": key}

    response = casey.post(act(waiting.pk, "reply"), data)
    casey.post(act(waiting.pk, "reply"), data)  # sent twice: one message

    assert response.status_code == 302
    [reply] = Message.objects.filter(conversation=waiting, author=Author.STAFF)
    assert (reply.body, reply.sent_by) == ("We have paid you today.", caseworker)
    assert reload(waiting).status == S.WAITING_FOR_YOU


def test_an_empty_reply_is_an_error_and_sends_nothing(casey, citizen):
    waiting = conversation(citizen)

    response = casey.post(act(waiting.pk, "reply"), {"reply-body": " "}, follow=True)

    assert "Write the reply." in response.content.decode()
    assert not Message.objects.filter(author=Author.STAFF).exists()


def test_the_template_picker_offers_the_topics_templates_and_fills_one_in(casey, citizen):
    citizen.customer.preferred_name = "Alice"
    citizen.customer.save(update_fields=["preferred_name"])
    payments, other = topic("payments"), topic("other")
    waiting = conversation(citizen, on=payments)
    chosen = reply_template("Paid", "Dear {name}, we paid you. Ref {reference}.", on=payments)
    reply_template("General", "Hello {name}.")
    reply_template("Elsewhere", "Not for payments.", on=other)

    offered = casey.get(page(waiting.pk))
    assert texts(offered, "#id_template option")[1:] == ["General", "Paid"]

    filled = casey.get(page(waiting.pk), {"template": chosen.pk})
    assert one(filled, "#id_reply-body").text.strip() == (
        f"Dear Alice, we paid you. Ref {waiting.reference}."
    )


def test_the_buttons_note_supervisor_close_and_reopen(casey, caseworker, citizen):
    waiting = conversation(citizen)

    casey.post(act(waiting.pk, "note"), {"note-text": "Phoned them"})
    casey.post(act(waiting.pk, "supervisor"), {"supervisor-reason": "Complaint about staff"})
    casey.post(act(waiting.pk, "close"))
    closed = reload(waiting)
    casey.post(act(waiting.pk, "reopen"))

    assert closed.status == S.CLOSED
    assert closed.needs_supervisor
    assert reload(waiting).status == S.WAITING_FOR_US
    texts_ = list(InternalNote.objects.filter(conversation=waiting).values_list("text", flat=True))
    assert texts_ == [
        "Phoned them",
        "Needs a supervisor: Complaint about staff",
        "Closed",
        "Reopened",
    ]
    assert Message.objects.filter(conversation=waiting).count() == 1  # notes are not messages


def test_a_team_leader_transfers_assigns_and_clears_the_supervisor_flag(
    terry, team_leader, caseworker, citizen
):
    pensions = team("Pensions")
    waiting = conversation(citizen)
    Conversation.objects.filter(pk=waiting.pk).update(needs_supervisor=True, supervisor_reason="?")

    terry.post(act(waiting.pk, "assign"), {"assign-to": caseworker.pk})
    assert reload(waiting).assigned_to == caseworker
    terry.post(act(waiting.pk, "transfer"), {"transfer-team": pensions.pk})
    terry.post(act(waiting.pk, "supervisor-done"), {"supervisor-done-note": ""})

    after = reload(waiting)
    assert (after.team, after.assigned_to, after.needs_supervisor) == (pensions, None, False)


def test_a_conversation_about_a_closed_claim_offers_no_request_for_information(casey, citizen):
    claim = sent_claim(citizen)
    about = conversation(citizen, claim=claim)
    claim.status = ClaimStatus.WITHDRAWN
    claim.save(update_fields=["status"])

    assert not select(
        casey.get(page(about.pk)), f'form[action="{act(about.pk, "request-information")}"]'
    )


def test_raise_a_request_for_information_from_the_page(casey, citizen):
    claim = sent_claim(citizen)
    about = conversation(citizen, claim=claim)
    due = timezone.localdate() + timedelta(days=14)

    assert select(
        casey.get(page(about.pk)), f'form[action="{act(about.pk, "request-information")}"]'
    )
    casey.post(
        act(about.pk, "request-information"),
        {
            "request-information-what": "Your March payslip",
            "request-information-due_on_day": due.day,
            "request-information-due_on_month": due.month,
            "request-information-due_on_year": due.year,
        },
    )

    assert InformationRequest.objects.get(claim=claim).what_is_needed == "Your March payslip"
    assert reload(claim).status == ClaimStatus.INFORMATION_REQUESTED
    # No claim, no such button.
    general = conversation(citizen)
    assert not select(
        casey.get(page(general.pk)), f'form[action="{act(general.pk, "request-information")}"]'
    )


# --- Files --------------------------------------------------------------------------------------


def test_opening_a_file_is_logged_then_marked_seen_and_sent(casey, caseworker, citizen):
    waiting = conversation(citizen)
    sent = attachment(waiting.messages.get(), name="tenancy.pdf")

    listing = casey.get(page(waiting.pk))
    url = f"{LIST}{waiting.pk}/files/{sent.pk}/"
    assert select(listing, f'a[href="{url}"]')
    response = casey.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a letter"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert reload(sent).seen_at is not None
    event = AccessEvent.objects.get(what="message_file")
    assert (event.object_id, event.customer, event.staff) == (sent.pk, citizen.customer, caseworker)
    rows = access_log_page(customer=citizen.customer, page=None, show_staff=False)
    assert rows[0].what == (
        f"A file you sent with a message: tenancy.pdf, in your conversation {waiting.reference}"
    )


def test_a_file_of_another_conversation_is_not_found(casey, citizen, other_citizen):
    mine = conversation(citizen)
    theirs = conversation(other_citizen)
    their_file = attachment(theirs.messages.get())

    assert casey.get(f"{LIST}{mine.pk}/files/{their_file.pk}/").status_code == 404
    assert reload(their_file).seen_at is None


# --- Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action", ["reply", "note", "take", "release", "supervisor", "close", "reopen", "change"]
)
def test_every_button_is_refused_without_the_permission_to_work_conversations(
    client, citizen, action
):
    clerk = make_staff("clerk@example.org")
    clerk.user_permissions.add(Permission.objects.get(codename="view_conversation"))
    sign_in_with_mfa(client, clerk)
    waiting = conversation(citizen)

    response = client.post(
        act(waiting.pk, action), {f"{action}-body": "Hi", f"{action}-text": "Hi"}
    )

    assert response.status_code == 403
    assert Message.objects.filter(conversation=waiting).count() == 1
    assert not InternalNote.objects.exists()
    assert client.post(f"{LIST}take-next/").status_code == 403


@pytest.mark.parametrize("action", ["assign", "transfer", "supervisor-done"])
def test_giving_transferring_and_supervising_are_refused_to_caseworkers(
    casey, caseworker, citizen, action
):
    pensions = team("Pensions")
    waiting = conversation(citizen)
    data = {"assign-to": caseworker.pk, "transfer-team": pensions.pk}

    assert casey.post(act(waiting.pk, action), data).status_code == 403
    assert reload(waiting).team is None
    assert reload(waiting).assigned_to is None


def test_citizens_cannot_reach_the_workspace(citizen_client, citizen):
    waiting = conversation(citizen)
    sent = attachment(waiting.messages.get())

    for response in (
        citizen_client.get(LIST),
        citizen_client.get(page(waiting.pk)),
        citizen_client.post(act(waiting.pk, "reply"), {"reply-body": "Hi"}),
        citizen_client.post(f"{LIST}take-next/"),
        citizen_client.get(f"{LIST}{waiting.pk}/files/{sent.pk}/"),
    ):
        assert response.status_code == 404
    assert Message.objects.count() == 1


# --- The 360° page ------------------------------------------------------------------------------


def test_the_360_page_lists_the_persons_conversations(casey, caseworker, citizen, other_citizen):
    pensions = team("Pensions")
    mine = conversation(citizen, subject="My rent", team=pensions, assigned_to=caseworker)
    closed = conversation(citizen, subject="Old question", status=S.CLOSED)
    theirs = conversation(other_citizen, subject="Bob's question")

    response = casey.get(f"/admin/customers/{citizen.customer.pk}/360/")

    rows = texts(response, 'section[aria-labelledby="conversations"] tbody tr')
    assert len(rows) == 2
    row = next(r for r in rows if mine.reference in r)
    for text in ("My rent", "Waiting for us", str(mine.reply_due_on), caseworker.email, "Pensions"):
        assert text in row
    assert any(closed.reference in r and "Closed" in r for r in rows)
    assert theirs.reference not in response.content.decode()


def test_the_360_page_runs_the_same_queries_with_2_or_40_conversations(
    casey, caseworker, citizen, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/admin/customers/{citizen.customer.pk}/360/"
    pensions = team("Pensions")
    for _ in range(2):
        conversation(citizen, team=pensions, assigned_to=caseworker)
    casey.get(url)
    with CaptureQueriesContext(connection) as few:
        assert casey.get(url).status_code == 200
    for i in range(38):
        conversation(citizen, team=pensions if i % 2 else None, on=topic(f"t{i % 4}"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert casey.get(url).status_code == 200


def test_the_360_page_names_the_conversation_a_change_was_recorded_from(casey, caseworker, citizen):
    """A fact a caseworker recorded from a message says where it came from on the 360°
    page, where a colleague reviewing the change looks for it."""
    from decimal import Decimal

    from accounts.models import FactKind
    from conversations import casework

    told = conversation(citizen, body="I earn 900 a month now.")
    casework.raise_change_of_circumstances(
        conversation=told, by=caseworker, kind=FactKind.MONTHLY_EARNINGS, value=Decimal("900"),
        effective_from=timezone.localdate() - timedelta(days=3),
    )  # fmt: skip

    response = casey.get(f"/admin/customers/{citizen.customer.pk}/360/")

    [row] = [
        r
        for r in texts(response, 'section[aria-labelledby="facts"] tbody tr')
        if r.startswith("Monthly earnings")
    ]
    assert "A caseworker" in row
    assert caseworker.email in row
    assert f"Told us in conversation {told.reference}" in row
