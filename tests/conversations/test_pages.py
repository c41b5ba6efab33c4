"""The person's message pages, through the test client: the list, asking a question (in
general and about a claim), a conversation with its receipts, files and reply form, a
closed conversation, escaping, the header's count and the query counts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import versions
from conversations import selectors
from conversations.models import Attachment, Conversation, Message, Topic
from tests.claim_factory import sent_claim, upload
from tests.conversations.helpers import agency_replies, ask, close, reply
from tests.helpers import error_summary, input_value, one, select, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("conversations:list")
NEW = reverse("conversations:new")
BADGE = reverse("conversations:badge")
HOME = reverse("portal:home")


def detail(conversation) -> str:
    return reverse("conversations:detail", args=[conversation.pk])


def new_about(claim) -> str:
    return reverse("conversations:new_about_claim", args=[claim.pk])


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return text_of(one(response, "main"))


def ask_form(client, url: str = NEW, **overrides):
    """The "Ask a question" form as the page sends it, with a question typed in."""
    page = client.get(url)
    data = {
        "submission_key": input_value(page, "submission_key"),
        "topic": "payments",
        "subject": "Payment not arrived",
        "body": "My payment was due on Friday.\r\nIt has not arrived.",
        **overrides,
    }
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def reply_form(client, conversation, **overrides):
    page = client.get(detail(conversation))
    data = {
        "submission_key": input_value(page, "submission_key"),
        "body": "Thank you.",
        **overrides,
    }
    return client.post(detail(conversation), data)


def header_messages(response) -> tuple[str, int]:
    """The header's "Messages" link: where it goes, and its unread count (0: none shown)."""
    link = one(response, "#messages-badge a")
    counts = select(link, ".portal-count")
    return link.get("href"), int(counts[0].text) if counts else 0


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_each_conversation_with_its_status_and_unread_count(citizen_client, citizen):
    waiting = ask(citizen, subject="Payment not arrived")
    answered = ask(citizen, subject="Change of address")
    agency_replies(answered)
    agency_replies(answered, "And another thing.")
    closed = ask(citizen, subject="Old question")
    close(closed)

    response = citizen_client.get(LIST)

    items = {text_of(one(li, "a")): text_of(li) for li in select(response, "#conversations > li")}
    assert set(items) == {"Payment not arrived", "Change of address", "Old question"}
    assert "Waiting for us" in items["Payment not arrived"]
    assert "Waiting for you" in items["Change of address"]
    assert "2 unread" in items["Change of address"]
    assert "unread" not in items["Payment not arrived"]
    assert "Closed" in items["Old question"]
    assert waiting.reference in items["Payment not arrived"]
    assert select(response, f'a.govuk-button[href="{NEW}"]')  # "Ask a question"


def test_the_list_is_the_persons_own(citizen_client, citizen, other_citizen):
    ask(other_citizen, subject="Bob's question")

    assert "Bob's question" not in page_text(citizen_client.get(LIST))


# --- Asking a question ---------------------------------------------------------------------------


def test_asking_a_question_starts_a_conversation_and_says_when_we_will_reply(
    citizen_client, citizen
):
    page = citizen_client.get(NEW)
    offered = [i.get("value") for i in select(page, 'input[name="topic"]')]
    assert offered == list(Topic.objects.filter(active=True).values_list("code", flat=True))
    assert "A payment that is late, missing" in page_text(page)  # the topic's hint

    response = ask_form(citizen_client)

    conversation = Conversation.objects.get(customer=citizen.customer)
    assert response["Location"] == detail(conversation)
    shown = citizen_client.get(response["Location"])
    due = conversation.reply_due_on.strftime("%A %-d %B %Y")
    assert f"Your message has been sent. We will reply by {due}." in page_text(shown)
    assert "My payment was due on Friday." in page_text(shown)
    assert conversation.claim is None
    assert conversation.topic.code == "payments"


def test_asking_about_a_claim_fixes_the_claim(citizen_client, citizen):
    claim = sent_claim(citizen)

    page = citizen_client.get(new_about(claim))
    response = ask_form(citizen_client, new_about(claim), claim=str(sent_claim(citizen).pk))

    assert claim.reference in page_text(page)
    assert not select(page, 'input[name="claim"]')
    conversation = Conversation.objects.get(customer=citizen.customer)
    assert conversation.claim == claim  # the page's claim, whatever the form says
    shown = page_text(citizen_client.get(response["Location"]))
    assert f"About your claim: Carer's Allowance ({claim.reference})" in shown


def test_the_claim_page_links_to_a_message_about_the_claim(citizen_client, citizen):
    claim = sent_claim(citizen)

    response = citizen_client.get(reverse("claims:detail", args=[claim.pk]))

    link = one(response, f'a[href="{new_about(claim)}"]')
    assert text_of(link) == "Send us a message about this claim"


def test_an_inactive_topic_is_not_offered_nor_accepted(citizen_client, citizen):
    Topic.objects.filter(code="payments").update(active=False)

    assert "payments" not in [
        i.get("value") for i in select(citizen_client.get(NEW), 'input[name="topic"]')
    ]
    response = ask_form(citizen_client)

    assert error_summary(response) == [("#id_topic_0", "Select what your question is about")]
    assert not Conversation.objects.exists()


def test_a_question_without_words_is_refused_with_errors_linked_to_the_fields(citizen_client):
    response = ask_form(citizen_client, topic=None, subject="", body="  ")

    assert error_summary(response) == [
        ("#id_topic_0", "Select what your question is about"),
        ("#id_subject", "Enter a subject"),
        ("#id_body", "Enter your message"),
    ]
    assert not Conversation.objects.exists()


def test_a_message_over_five_thousand_characters_is_refused(citizen_client):
    page = citizen_client.get(NEW)
    assert one(page, "textarea#id_body").get("maxlength") == "5000"

    response = ask_form(citizen_client, body="x" * 5001)

    assert error_summary(response) == [
        ("#id_body", "Your message must be 5,000 characters or fewer")
    ]
    # Line breaks count as one character each, as the browser counted them.
    assert ask_form(citizen_client, body="x\r\n" * 2500)["Location"]


def test_an_html_file_named_pdf_is_refused_on_the_page(citizen_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "letter.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    page = citizen_client.get(NEW)

    response = citizen_client.post(NEW, {
        "submission_key": input_value(page, "submission_key"), "topic": "payments",
        "subject": "A letter", "body": "Here is the letter.", "attachments": [fake],
    })  # fmt: skip

    assert error_summary(response) == [
        ("#id_attachments", "The selected file must be a PDF, JPG or PNG")
    ]
    assert not Conversation.objects.exists()
    assert not Attachment.objects.exists()


def test_six_files_are_refused_on_the_page(citizen_client):
    page = citizen_client.get(NEW)

    response = citizen_client.post(NEW, {
        "submission_key": input_value(page, "submission_key"), "topic": "payments",
        "subject": "Payslips", "body": "My payslips.",
        "attachments": [upload(f"{i}.png") for i in range(6)],
    })  # fmt: skip

    assert error_summary(response) == [
        ("#id_attachments", "You can attach up to 5 files to a message")
    ]
    assert not Conversation.objects.exists()


def test_sending_the_form_twice_starts_one_conversation(citizen_client, citizen):
    page = citizen_client.get(NEW)
    data = {
        "submission_key": input_value(page, "submission_key"), "topic": "payments",
        "subject": "Payment not arrived", "body": "Where is it?",
    }  # fmt: skip

    first = citizen_client.post(NEW, data)
    second = citizen_client.post(NEW, data)

    assert first["Location"] == second["Location"]
    assert Conversation.objects.filter(customer=citizen.customer).count() == 1


def test_the_rate_limit_is_said_on_the_page_and_nothing_is_saved(
    citizen_client, citizen, monkeypatch
):
    conversation = ask(citizen)
    for i in range(9):
        reply(citizen, conversation, f"Message {i}")
    monkeypatch.setattr(timezone, "now", lambda: conversation.created_at + timedelta(minutes=30))

    response = reply_form(citizen_client, conversation, body="One too many")

    assert error_summary(response) == [
        (
            "",
            "You can send up to 10 messages an hour. Try again later, or phone us if it is urgent.",
        )
    ]
    assert "One too many" in response.content.decode()  # their words are kept on the page
    assert conversation.messages.count() == 10


# --- A conversation ------------------------------------------------------------------------------


def test_the_conversation_reads_oldest_first_with_who_wrote_and_read_receipts(
    citizen_client, citizen
):
    conversation = ask(citizen, body="Where is my payment?")
    ours = agency_replies(conversation, "We paid it today.")
    Message.objects.filter(author="customer").update(read_at=timezone.now())

    response = citizen_client.get(detail(conversation))

    items = select(response, "#thread > li")
    assert [text_of(one(li, "h3")) for li in items] == [
        "You wrote",
        f"{settings.PORTAL_AGENCY} wrote",
    ]
    assert "Where is my payment?" in text_of(items[0])
    assert "Read by us" in text_of(items[0])
    assert "We paid it today." in text_of(items[1])
    assert "Read by you" in text_of(items[1])  # opening the page read it
    ours.refresh_from_db()
    assert ours.read_at is not None
    assert "Waiting for you" in page_text(response)


def test_our_reply_not_read_yet_says_so_to_nobody_but_staff(citizen_client, citizen):
    conversation = ask(citizen, body="Where is my payment?")

    response = citizen_client.get(detail(conversation))

    assert "Not read by us yet" in text_of(select(response, "#thread > li")[0])
    due = conversation.reply_due_on.strftime("%A %-d %B %Y")
    assert f"We will reply by {due}." in page_text(response)


def test_a_reply_with_a_file_shows_its_receipt_and_the_file_downloads(citizen_client, citizen):
    conversation = ask(citizen)
    page = citizen_client.get(detail(conversation))

    response = citizen_client.post(detail(conversation), {
        "submission_key": input_value(page, "submission_key"), "body": "My payslip.",
        "attachments": [upload("payslip.png")],
    })  # fmt: skip

    assert response["Location"] == detail(conversation)
    attachment = Attachment.objects.get(message__conversation=conversation)
    shown = citizen_client.get(detail(conversation))
    receipt = text_of(one(shown, "#thread details"))
    assert "File: payslip.png" in receipt
    assert "Type: PNG" in receipt
    assert f"Size: {attachment.size}" in receipt
    assert "Received:" in receipt
    assert attachment.sha256 in receipt
    url = reverse("conversations:attachment", args=[conversation.pk, attachment.pk])
    assert select(shown, f'a[href="{url}"]')
    download = citizen_client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_file_of_another_of_ones_own_conversations_is_not_found_through_this_one(
    citizen_client, citizen
):
    first = ask(citizen)
    second = ask(citizen, subject="Second", files=[upload()])
    attachment = Attachment.objects.get(message__conversation=second)

    response = citizen_client.get(
        reverse("conversations:attachment", args=[first.pk, attachment.pk])
    )

    assert response.status_code == 404


def test_a_closed_conversation_stays_readable_and_offers_a_new_one(citizen_client, citizen):
    claim = sent_claim(citizen)
    conversation = ask(citizen, claim=claim, body="Old words")
    close(conversation)

    response = citizen_client.get(detail(conversation))

    assert "Old words" in page_text(response)
    assert "This conversation is closed" in text_of(one(response, "#closed"))
    assert select(response, f'#closed a[href="{new_about(claim)}"]')
    assert not select(response, "textarea")
    posted = citizen_client.post(
        detail(conversation), {"submission_key": str(uuid.uuid4()), "body": "Hello?"}
    )
    assert posted.status_code == 302
    assert conversation.messages.count() == 1
    assert "you cannot reply to it" in page_text(citizen_client.get(posted["Location"]))


def test_a_page_kept_from_before_sent_again_with_new_words_keeps_them_and_asks_again(
    citizen_client, citizen
):
    conversation = ask(citizen)
    page = citizen_client.get(detail(conversation))
    key = input_value(page, "submission_key")
    citizen_client.post(detail(conversation), {"submission_key": key, "body": "First"})

    response = citizen_client.post(detail(conversation), {"submission_key": key, "body": "Second"})

    assert error_summary(response)[0][1].startswith(
        "You have already sent a message from this page"
    )
    assert input_value(response, "submission_key") != key
    assert (
        citizen_client.post(
            detail(conversation),
            {"submission_key": input_value(response, "submission_key"), "body": "Second"},
        ).status_code
        == 302
    )
    assert list(conversation.messages.values_list("body", flat=True)) == [
        "Where is my payment?",
        "First",
        "Second",
    ]


# --- Escaping and links -------------------------------------------------------------------------


def test_what_people_write_is_shown_as_text_with_safe_links(citizen_client, citizen):
    body = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)>\n'
        "javascript:alert(1) and www.example.org\n"
        "See https://www.gov.uk/browse/benefits?a=1&b=2, thanks."
    )
    conversation = ask(citizen, subject="<b>bold</b>", body=body)
    agency_replies(conversation, '<i>Ours</i> http://example.org/x"onmouseover=alert(1)')

    response = citizen_client.get(detail(conversation))
    content = response.content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert not [i for i in select(response, "img") if i.get("onerror")]
    assert "&lt;b&gt;bold&lt;/b&gt;" in content
    assert "<i>Ours</i>" not in content
    links = select(response, "#thread a")
    assert [a.get("href") for a in links] == [
        "https://www.gov.uk/browse/benefits?a=1&b=2",
        "http://example.org/x",
    ]
    for link in links:
        assert link.get("rel") == "nofollow noopener noreferrer"
        assert not [name for name in link.attrib if name.startswith("on")]
    assert not select(response, '//a[starts-with(@href, "javascript")]')
    # Line breaks kept.
    first = select(response, "#thread > li")[0]
    assert len(select(one(first, "p.govuk-body"), "br")) == 2


# --- The header and "Your services" -------------------------------------------------------------


def test_the_header_counts_our_unread_messages_until_the_person_reads_them(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    conversation = ask(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        agency_replies(conversation)
        agency_replies(conversation, "One more thing.")

    home = citizen_client.get(HOME)
    assert header_messages(home) == (LIST, 2)
    notifications = one(home, "#notifications-badge a")
    assert notifications.get("href") == reverse("notifications:inbox")
    assert text_of(notifications).startswith("Notifications")

    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.get(detail(conversation))

    assert header_messages(citizen_client.get(HOME)) == (LIST, 0)
    # Opening it read the notifications about it too.
    assert "portal-count" not in citizen_client.get(reverse("notifications:badge")).content.decode()


def test_the_messages_badge_answers_304_until_the_count_changes(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    conversation = ask(citizen)
    first = citizen_client.get(BADGE)
    assert first.status_code == 200
    assert "portal-count" not in first.content.decode()

    same = citizen_client.get(BADGE, headers={"If-None-Match": first["ETag"]})
    assert same.status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        agency_replies(conversation)
    changed = citizen_client.get(BADGE, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert '<span class="portal-count">1<' in changed.content.decode()
    assert "1 unread message" in changed.content.decode()


def test_your_services_lists_conversations_waiting_for_the_person_first(citizen_client, citizen):
    older = ask(citizen, subject="Waiting for you")
    agency_replies(older)
    ask(citizen, subject="Newer, waiting for us")

    response = citizen_client.get(HOME)

    section = select(response, '//h2[@id="your-messages"]/following-sibling::ul[1]/li')
    assert [text_of(one(li, "a")) for li in section] == ["Waiting for you", "Newer, waiting for us"]
    assert "1 unread" in text_of(section[0])
    assert "You have 1 unread message from us." in page_text(response)
    assert select(response, f'#services-live a[href="{NEW}"]')
    assert select(response, f'#services-live a[href="{LIST}"]')


def test_your_services_says_when_there_are_no_messages(citizen_client):
    text = page_text(citizen_client.get(HOME))

    assert "You have not sent us any messages." in text
    assert "Ask a question" in text


# --- Query counts ---------------------------------------------------------------------------------


def test_the_list_and_a_conversation_take_the_same_queries_however_many_messages(
    clock,
    citizen_client,
    citizen,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    conversation = ask(citizen, files=[upload()])
    agency_replies(conversation)
    citizen_client.get(detail(conversation))
    citizen_client.get(LIST)
    with django_assert_max_num_queries(20) as few_list:
        citizen_client.get(LIST)
    with django_assert_max_num_queries(25) as few_page:
        citizen_client.get(detail(conversation))
    # Counted now: the log of queries keeps only the latest ones.
    list_budget, page_budget = len(few_list.captured_queries), len(few_page.captured_queries)

    for i in range(12):
        clock.now += timedelta(days=1)  # well within the rate limit
        other = ask(citizen, subject=f"Question {i}", files=[upload()])
        agency_replies(other)
        reply(citizen, conversation, f"More {i}", files=[upload(), upload("b.png")])
        agency_replies(conversation, f"Answer {i}")
    citizen_client.force_login(citizen)  # days later: signed in again
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.get(detail(conversation))  # read them: the same work as before
    citizen_client.get(LIST)

    with django_assert_max_num_queries(list_budget):
        assert len(select(citizen_client.get(LIST), "#conversations > li")) == 13
    with django_assert_max_num_queries(page_budget):
        assert len(select(citizen_client.get(detail(conversation)), "#thread > li")) == 26


def test_your_services_takes_the_same_queries_however_many_conversations(
    clock, citizen_client, citizen, django_assert_max_num_queries
):
    # Five fill the section: past them, the unread total is counted rather than added up.
    for i in range(5):
        agency_replies(ask(citizen, subject=f"Question {i}"))
    citizen_client.get(HOME)
    with django_assert_max_num_queries(40) as few:
        citizen_client.get(HOME)
    budget = len(few.captured_queries)  # now: the log of queries keeps only the latest

    clock.now += timedelta(days=1)  # within the rate limit
    for i in range(5, 15):
        agency_replies(ask(citizen, subject=f"Question {i}"))
    citizen_client.force_login(citizen)  # a day later: signed in again
    citizen_client.get(HOME)

    with django_assert_max_num_queries(budget):
        response = citizen_client.get(HOME)
    assert "You have 15 unread messages from us." in page_text(response)


def test_the_header_count_is_kept_under_the_persons_version(citizen):
    """Whatever changes the count bumps the version: a count kept under an older version
    is never read again."""
    conversation = ask(citizen)
    version = versions.current(user_id=citizen.pk)
    assert selectors.unread_count_cached(user_id=citizen.pk, version=version) == 0

    agency_replies(conversation)  # its bump waits for a commit this test never makes

    assert selectors.unread_count_cached(user_id=citizen.pk, version=version) == 0
    assert selectors.unread_count_cached(user_id=citizen.pk, version="after the bump") == 1
