"""The person's side of secure messages, through its services: statuses and due dates, double
submits, the rate limit, files through the evidence checks, the limits, closed conversations
and reading our replies."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts import services as account_services
from benefits.evidence.errors import UploadRejected
from conversations import services
from conversations.models import (
    MAX_ATTACHMENTS,
    MAX_MESSAGE_LENGTH,
    Attachment,
    Author,
    Conversation,
    ConversationStatus,
    Message,
)
from notifications.models import Notification
from tests.benefits.test_upload_metadata import jpeg_with_location
from tests.claim_factory import pdf_bytes, sent_claim, upload
from tests.conversations.helpers import agency_replies, ask, close, reply, topic
from tests.hostile import database_state, files_on_disk

pytestmark = pytest.mark.django_db

HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def live_in(user, postcode: str) -> None:
    account_services.update_contact_details(
        customer=user.customer, by=user, phone="", address_line_1="1 High Street",
        address_line_2="", town="Somewhere", postcode=postcode,
    )  # fmt: skip
    user.customer.refresh_from_db()


# --- Asking, statuses and due dates ----------------------------------------------------------------


def test_asking_a_question_waits_for_us_with_its_first_message(citizen, clock):
    conversation = ask(citizen, subject="  Payment   not arrived ", body="Where is it?\r\nThanks")

    assert conversation.status == ConversationStatus.WAITING_FOR_US
    assert conversation.subject == "Payment not arrived"
    assert conversation.waiting_since == clock.now
    assert conversation.last_message_at == clock.now
    assert conversation.customer == citizen.customer
    assert conversation.topic == topic("payments")
    assert re.fullmatch(r"MSG-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", conversation.reference)
    (message,) = conversation.messages.all()
    assert message.author == Author.CUSTOMER
    assert message.sent_by == citizen
    assert message.body == "Where is it?\nThanks"  # line breaks kept, as one character


def test_the_answer_is_due_in_the_topics_working_days_skipping_the_weekend(citizen, clock):
    clock.now = datetime(2027, 3, 12, 15, 0, tzinfo=UTC)  # a Friday

    assert ask(citizen, topic=topic("payments")).reply_due_on == date(2027, 3, 16)  # Tuesday
    assert ask(citizen, topic=topic("complaint")).reply_due_on == date(2027, 3, 19)  # 5 days


def test_the_answer_is_due_after_the_bank_holidays_of_the_persons_nation(
    citizen, other_citizen, clock
):
    # Wednesday 17 March 2027 is St Patrick's Day: a bank holiday in Northern Ireland only.
    live_in(citizen, "BT1 1AA")
    live_in(other_citizen, "LS1 1AA")

    assert ask(citizen).reply_due_on == date(2027, 3, 18)
    assert ask(other_citizen).reply_due_on == date(2027, 3, 17)


def test_replying_to_our_answer_waits_for_us_again_with_a_new_due_date(citizen, clock):
    conversation = ask(citizen)
    agency_replies(conversation)
    clock.now = datetime(2027, 3, 18, 11, 0, tzinfo=UTC)  # Thursday

    reply(citizen, conversation, "It still has not arrived.")

    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.WAITING_FOR_US
    assert conversation.waiting_since == clock.now
    assert conversation.last_message_at == clock.now
    assert conversation.reply_due_on == date(2027, 3, 22)  # Monday


def test_writing_again_before_we_answer_keeps_the_place_in_the_queue(citizen, clock):
    conversation = ask(citizen)
    due, since = conversation.reply_due_on, conversation.waiting_since
    clock.now += timedelta(days=1)

    reply(citizen, conversation, "I forgot to say: it was due on Friday.")

    conversation.refresh_from_db()
    assert (conversation.waiting_since, conversation.reply_due_on) == (since, due)
    assert conversation.last_message_at == clock.now


def test_a_question_about_a_claim_is_about_the_persons_own_claim(citizen, other_citizen):
    own = sent_claim(citizen)

    assert ask(citizen, claim=own).claim == own
    with pytest.raises(ValueError, match="own claim"):
        ask(citizen, claim=sent_claim(other_citizen))
    assert not Conversation.objects.filter(
        customer=citizen.customer, claim__customer=other_citizen.customer
    )


def test_a_closed_conversation_refuses_a_reply_and_saves_nothing(citizen):
    conversation = ask(citizen)
    close(conversation)
    before = database_state()

    with pytest.raises(services.ConversationClosed, match="closed"):
        reply(citizen, conversation, files=[upload()])

    assert database_state() == before


def test_an_inactive_topic_is_refused(citizen):
    payments = topic("payments")
    payments.active = False
    payments.save()

    with pytest.raises(services.MessageRefused) as refused:
        ask(citizen, topic=payments)
    assert refused.value.field == "topic"


# --- Double submits ---------------------------------------------------------------------------------


def test_sending_the_same_question_twice_starts_one_conversation(citizen):
    key = uuid.uuid4()

    first = ask(citizen, submission_key=key)
    second = ask(citizen, submission_key=key)

    assert first == second
    assert Conversation.objects.filter(customer=citizen.customer).count() == 1
    assert Message.objects.filter(conversation=first).count() == 1


def test_sending_the_same_reply_twice_sends_one_message(citizen):
    conversation = ask(citizen)
    key = uuid.uuid4()

    first = reply(citizen, conversation, "Here it is.", submission_key=key, files=[upload()])
    second = reply(citizen, conversation, "Here it is.", submission_key=key, files=[upload()])

    assert first == second
    assert conversation.messages.count() == 2
    assert Attachment.objects.filter(message__conversation=conversation).count() == 1


def test_a_used_key_with_new_words_is_refused_rather_than_lost(citizen):
    """A page kept from before, sent again with a new message: said, never swallowed."""
    conversation = ask(citizen)
    key = uuid.uuid4()
    reply(citizen, conversation, "First.", submission_key=key)

    with pytest.raises(services.AlreadySent):
        reply(citizen, conversation, "Something else.", submission_key=key)
    with pytest.raises(services.AlreadySent):
        reply(citizen, ask(citizen), "First.", submission_key=key)  # another conversation
    assert conversation.messages.count() == 2


def test_another_persons_key_is_never_their_message(citizen, other_citizen):
    key = uuid.uuid4()
    theirs = ask(other_citizen, body="Same words", submission_key=key)

    with pytest.raises(services.AlreadySent):
        ask(citizen, body="Same words", submission_key=key)
    assert Conversation.objects.filter(customer=citizen.customer).count() == 0
    assert theirs.messages.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_of_the_same_reply_at_once_send_one_message(citizen):
    conversation = ask(citizen)
    key = uuid.uuid4()
    start = threading.Barrier(2)
    results, errors = [], []

    def send():
        try:
            start.wait()
            results.append(reply(citizen, conversation, "At once.", submission_key=key).pk)
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert len(results) == 2
    assert results[0] == results[1]
    assert Message.objects.filter(submission_key=key).count() == 1


# --- The rate limit -----------------------------------------------------------------------------------


def test_the_eleventh_message_in_an_hour_is_refused_until_the_first_is_an_hour_old(citizen, clock):
    start = clock.now
    conversation = ask(citizen)
    for minute in range(5, 50, 5):  # nine more: ten in the hour
        clock.now = start + timedelta(minutes=minute)
        reply(citizen, conversation, f"Message at {minute}")
    clock.now = start + timedelta(minutes=59)
    before = database_state()

    with pytest.raises(services.TooManyMessages, match="up to 10 messages an hour"):
        reply(citizen, conversation, "One too many")
    with pytest.raises(services.TooManyMessages):
        ask(citizen, subject="A new question")  # a new conversation counts too

    assert database_state() == before
    clock.now = start + timedelta(hours=1, seconds=1)
    reply(citizen, conversation, "The first one is an hour old now")
    assert conversation.messages.count() == 11


def test_the_thirty_first_message_in_a_day_is_refused_until_the_next_day(citizen, clock):
    start = clock.now
    conversation = ask(citizen)
    sent = 1
    for hour in range(3):
        for minute in range(0, 60, 6):
            if hour == 0 and minute == 0:
                continue
            clock.now = start + timedelta(hours=hour, minutes=minute)
            reply(citizen, conversation, f"{hour}:{minute}")
            sent += 1
    assert sent == 30
    clock.now = start + timedelta(hours=5)  # nothing in the last hour
    before = database_state()

    with pytest.raises(services.TooManyMessages, match="up to 30 messages a day"):
        reply(citizen, conversation, "One too many today")

    assert database_state() == before
    clock.now = start + timedelta(days=1, seconds=1)
    reply(citizen, conversation, "A new day")


def test_the_limit_is_each_persons_own(citizen, other_citizen, clock):
    conversation = ask(citizen)
    for minute in range(1, 10):
        clock.now += timedelta(minutes=1)
        reply(citizen, conversation, f"{minute}")

    assert ask(other_citizen).messages.count() == 1


def test_our_messages_do_not_count_against_the_person(citizen, clock):
    conversation = ask(citizen)
    for _ in range(10):
        agency_replies(conversation)
    for minute in range(1, 10):
        clock.now += timedelta(minutes=1)
        reply(citizen, conversation, f"{minute}")

    assert conversation.messages.filter(author=Author.CUSTOMER).count() == 10


# --- Files and limits ------------------------------------------------------------------------------------


def test_files_are_kept_with_a_receipt_and_photos_lose_their_location(citizen):
    photo = SimpleUploadedFile("garden.jpg", jpeg_with_location(), "image/jpeg")
    letter = SimpleUploadedFile("letter.pdf", pdf_bytes(), "application/pdf")

    conversation = ask(citizen, files=[photo, letter])

    kept = {
        a.original_name: a for a in Attachment.objects.filter(message__conversation=conversation)
    }
    assert set(kept) == {"garden.jpg", "letter.pdf"}
    assert kept["letter.pdf"].content_type == "application/pdf"
    assert kept["letter.pdf"].stored_sha256 == kept["letter.pdf"].sha256
    assert kept["garden.jpg"].stored_sha256 != kept["garden.jpg"].sha256
    with kept["garden.jpg"].file.open("rb") as stored:
        assert b"PhoneMaker" not in stored.read()
    assert kept["garden.jpg"].file.name.startswith("messages/")


def test_an_html_file_named_pdf_is_refused_and_nothing_is_kept(citizen):
    conversation = ask(citizen)
    disk, before = files_on_disk(), database_state()
    fake = SimpleUploadedFile("letter.pdf", HTML_AS_PDF, "application/pdf")

    with pytest.raises(UploadRejected, match="must be a PDF, JPG or PNG"):
        reply(citizen, conversation, files=[fake])
    with pytest.raises(UploadRejected, match="must be a PDF, JPG or PNG"):
        ask(citizen, files=[SimpleUploadedFile("letter.pdf", HTML_AS_PDF, "application/pdf")])

    assert database_state() == before
    assert files_on_disk() == disk


def test_one_bad_file_among_good_ones_keeps_none_and_names_it(citizen):
    conversation = ask(citizen)
    disk, before = files_on_disk(), database_state()
    files = [upload("one.png"), SimpleUploadedFile("two.pdf", HTML_AS_PDF, "application/pdf")]

    with pytest.raises(UploadRejected, match=r"^two\.pdf: "):
        reply(citizen, conversation, files=files)

    assert database_state() == before
    assert files_on_disk() == disk


def test_files_kept_before_a_failure_are_deleted(citizen, monkeypatch):
    conversation = ask(citizen)
    disk = files_on_disk()
    saved = Attachment.save

    def fail_on_the_second(self, *args, **kwargs):
        if Attachment.objects.filter(message__conversation=conversation).count():
            raise RuntimeError("the database went away")
        saved(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", fail_on_the_second)

    with pytest.raises(RuntimeError):
        reply(citizen, conversation, files=[upload("one.png"), upload("two.png")])

    assert files_on_disk() == disk
    assert conversation.messages.count() == 1


def test_at_most_five_files_a_message(citizen):
    conversation = ask(citizen)
    before = database_state()

    with pytest.raises(services.MessageRefused, match="up to 5 files") as refused:
        reply(citizen, conversation, files=[upload(f"{i}.png") for i in range(MAX_ATTACHMENTS + 1)])

    assert refused.value.field == "attachments"
    assert database_state() == before
    reply(citizen, conversation, files=[upload(f"{i}.png") for i in range(MAX_ATTACHMENTS)])
    assert Attachment.objects.filter(message__conversation=conversation).count() == 5


def test_a_message_is_at_most_five_thousand_characters(citizen):
    conversation = ask(citizen)

    with pytest.raises(services.MessageRefused, match="5,000 characters or fewer"):
        reply(citizen, conversation, "x" * (MAX_MESSAGE_LENGTH + 1))
    with pytest.raises(services.MessageRefused, match="Enter your message"):
        reply(citizen, conversation, " \r\n ")

    assert reply(citizen, conversation, "x" * MAX_MESSAGE_LENGTH).body == "x" * 5000


# --- Reading ------------------------------------------------------------------------------------------


def test_opening_a_conversation_marks_our_messages_and_their_notifications_read(
    citizen, django_capture_on_commit_callbacks
):
    conversation, other = ask(citizen), ask(citizen, subject="Another")
    ours, elsewhere = agency_replies(conversation), agency_replies(other)
    # A follow-up the person sends after our reply, which no caseworker has opened yet.
    theirs = reply(citizen, conversation, "One more question.")
    link = services.conversation_path(conversation)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = services.mark_read_by_customer(conversation=conversation, by=citizen)

    assert count == 1
    ours.refresh_from_db()
    elsewhere.refresh_from_db()
    assert ours.read_at is not None
    assert elsewhere.read_at is None
    # The person's own messages wait for staff to read them: opening marks only ours.
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.get(link=link).read_at is not None
    assert Notification.objects.get(link=services.conversation_path(other)).read_at is None
    assert callbacks  # the version is bumped once committed: the header's count changes
    assert services.mark_read_by_customer(conversation=conversation, by=citizen) == 0
