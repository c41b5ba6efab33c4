"""The person's side of secure messages: asking us a question (about one of their claims, or
in general), replying, attaching files through the evidence checks, and reading our replies.

Each entry point is one durable transaction. What the forms check is checked here again
(the length, the files, a closed conversation, the rate limit), so every caller gets it.

- **Double submits**: each form carries a one-time ``submission_key``; a second send with the
  same key returns the first message and saves nothing.
- **Rate limit**: ``RATE_LIMITS`` messages per person in any hour and any day, counted in
  PostgreSQL under a lock of the person's row, so it holds with the cache down and when two
  tabs send at once.
- **Files**: every file is checked (content, size, scan) and cleaned of photo metadata before
  anything is written; the files kept are deleted again if the transaction does not commit.
- **Status**: a message from the person makes the conversation wait for us, with an answer
  due ``topic.service_level_days`` working days later in the person's nation.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import versions
from accounts.models import Customer, User
from accounts.services import REFERENCE_ALPHABET
from benefits.claims.payments import nation_of
from benefits.evidence.checks import safe_display_name
from benefits.evidence.errors import UploadRejected
from benefits.evidence.keeping import AcceptedUpload, accept_upload
from benefits.models import Claim
from benefits.rules.base import add_working_days
from conversations.models import (
    MAX_ATTACHMENTS,
    MAX_MESSAGE_LENGTH,
    Attachment,
    Author,
    Conversation,
    ConversationStatus,
    Message,
    Topic,
)
from notifications.services import mark_read_for_link

#: How many messages a person may send in any hour and in any day (rolling windows).
RATE_LIMITS: tuple[tuple[timedelta, int], ...] = (
    (timedelta(hours=1), 10),
    (timedelta(days=1), 30),
)
MAX_SUBJECT_LENGTH = Conversation._meta.get_field("subject").max_length or 150


class MessageRefused(Exception):
    """The message cannot be sent and nothing was saved. ``message`` says why, for the
    person; ``code`` suits a form's error; ``field`` names the form field it is about
    (None: the form as a whole)."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class ConversationClosed(MessageRefused):
    def __init__(self) -> None:
        super().__init__(
            _("This conversation is closed, so you cannot reply to it. You can start a new one."),
            code="closed",
        )


class TooManyMessages(MessageRefused):
    pass


class AlreadySent(MessageRefused):
    """The form's key was used for a different message (a page kept from before, sent
    again with new words): nothing was sent, and the form needs a new key."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "You have already sent a message from this page. Check your message and "
                "send it again."
            ),
            code="already_sent",
        )


# --- References and due dates --------------------------------------------------------------------


def new_conversation_reference() -> str:
    """A reference people can read out on the phone: "MSG-7K2D-9QXA" (no I, L, O or U)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"MSG-{chars[:4]}-{chars[4:]}"


def _unused_reference() -> str:
    while True:
        reference = new_conversation_reference()
        if not Conversation.objects.filter(reference=reference).exists():
            return reference


def reply_due_on(*, customer: Customer, topic: Topic, at: datetime) -> date:
    """When we answer a message sent ``at``: the topic's working days later, skipping
    weekends and the bank holidays of the person's nation."""
    return add_working_days(timezone.localdate(at), topic.service_level_days, nation_of(customer))


def conversation_path(conversation: Conversation | int) -> str:
    """The conversation's page: what a notification about it links to, so that opening the
    page marks the notification read."""
    pk = conversation if isinstance(conversation, int) else conversation.pk
    return reverse("conversations:detail", kwargs={"conversation_id": pk})


# --- What the person writes ----------------------------------------------------------------------


def clean_body(body: str) -> str:
    """The message as kept: line breaks as ``\\n``, no blank lines around it."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise MessageRefused(_("Enter your message"), code="required", field="body")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessageRefused(
            _("Your message must be %(limit)s characters or fewer")
            % {"limit": f"{MAX_MESSAGE_LENGTH:,}"},
            code="max_length",
            field="body",
        )
    if "\x00" in text:
        raise MessageRefused(
            _("Your message has a character we cannot keep"), code="null", field="body"
        )
    return text


def _clean_subject(subject: str) -> str:
    text = " ".join(subject.split())
    if not text:
        raise MessageRefused(_("Enter a subject"), code="required", field="subject")
    if len(text) > MAX_SUBJECT_LENGTH:
        raise MessageRefused(
            _("The subject must be %(limit)s characters or fewer") % {"limit": MAX_SUBJECT_LENGTH},
            code="max_length",
            field="subject",
        )
    if "\x00" in text:
        raise MessageRefused(
            _("The subject has a character we cannot keep"), code="null", field="subject"
        )
    return text


def _check_rate(customer: Customer, now: datetime) -> None:
    """Refuse a message past the limits. The caller holds the lock of the person's row, so
    two sends at once are counted one after the other."""
    sent = Message.objects.filter(
        conversation__customer=customer,
        author=Author.CUSTOMER,
        sent_at__gt=now - max(window for window, _limit in RATE_LIMITS),
    ).values_list("sent_at", flat=True)
    times = list(sent)
    for window, limit in RATE_LIMITS:
        if sum(1 for at in times if at > now - window) >= limit:
            if window <= timedelta(hours=1):
                text = ngettext(
                    "You can send up to %(limit)s message an hour. Try again later, or phone us if it is urgent.",
                    "You can send up to %(limit)s messages an hour. Try again later, or phone us if it is urgent.",
                    limit,
                )
            else:
                text = ngettext(
                    "You can send up to %(limit)s message a day. Try again tomorrow, or phone us if it is urgent.",
                    "You can send up to %(limit)s messages a day. Try again tomorrow, or phone us if it is urgent.",
                    limit,
                )
            raise TooManyMessages(text % {"limit": limit}, code="rate_limited")


# --- Files ------------------------------------------------------------------------------------------


def _check_files(files: Sequence[UploadedFile]) -> list[AcceptedUpload]:
    """Every file checked and cleaned before anything is written; the first refusal is
    raised (``UploadRejected``, naming the file when there are several)."""
    if len(files) > MAX_ATTACHMENTS:
        raise MessageRefused(
            ngettext(
                "You can attach up to %(limit)s file to a message",
                "You can attach up to %(limit)s files to a message",
                MAX_ATTACHMENTS,
            )
            % {"limit": MAX_ATTACHMENTS},
            code="too_many_files",
            field="attachments",
        )
    checked = []
    for uploaded in files:
        try:
            checked.append(accept_upload(uploaded))
        except UploadRejected as exc:
            if len(files) == 1:
                raise
            name = safe_display_name(uploaded.name or "", fallback_extension="file")
            raise UploadRejected(
                _("%(name)s: %(reason)s") % {"name": name, "reason": exc.message}, code=exc.code
            ) from exc
    return checked


def _keep_files(message: Message, checked: list[AcceptedUpload], kept: list[str]) -> None:
    """Store each file privately and record it; ``kept`` collects the stored names so the
    caller can delete them if the transaction does not commit."""
    for item in checked:
        attachment = Attachment(
            message=message, original_name=item.checked.original_name,
            content_type=item.checked.content_type, size=item.checked.size,
            sha256=item.checked.sha256, stored_sha256=item.stored_sha256,
        )  # fmt: skip
        attachment.file.save(item.checked.stored_name, ContentFile(item.content), save=False)
        kept.append(str(attachment.file.name))
        attachment.save()


@contextmanager
def _sending() -> Iterator[list[str]]:
    """One durable transaction; the files stored in it are deleted if it does not commit
    (an error after they were written, or the commit itself failing)."""
    kept: list[str] = []
    try:
        with transaction.atomic(durable=True):
            yield kept
    except BaseException:
        storage = storages["evidence"]
        for name in kept:
            storage.delete(name)
        raise


# --- Sending ---------------------------------------------------------------------------------------


def _lock_customer(customer_id: int) -> Customer:
    # FOR NO KEY UPDATE: one send at a time per person (the rate limit and the double
    # submit are decided under it), without blocking rows that merely refer to them.
    return Customer.objects.select_for_update(no_key=True).get(pk=customer_id)


def _earlier_send(
    submission_key: uuid.UUID | None, *, customer: Customer, body: str
) -> Message | None:
    """The message this form has already sent, when this is a second send of it (the same
    person, the same words). A key used for anything else is a page kept from before and
    sent again with new words: ``AlreadySent``, so nothing is lost without a word."""
    if submission_key is None:
        return None
    earlier = (
        Message.objects.filter(submission_key=submission_key).select_related("conversation").first()
    )
    if earlier is None:
        return None
    if earlier.conversation.customer_id != customer.pk or earlier.body != body:
        raise AlreadySent()
    return earlier


def start_conversation(
    *,
    customer: Customer,
    by: User,
    topic: Topic,
    subject: str,
    body: str,
    claim: Claim | None = None,
    files: Sequence[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> Conversation:
    """The person asks us something: a new conversation, waiting for us, with its first
    message. About one of their own claims, or (``claim`` None) in general.

    Raises ``MessageRefused`` (or ``UploadRejected`` for a file) and saves nothing when the
    message cannot be sent. A second send of the same form returns the same conversation.
    """
    subject = _clean_subject(subject)
    body = clean_body(body)
    if claim is not None and claim.customer_id != customer.pk:
        raise ValueError("A conversation about a claim must be about the person's own claim.")
    if not topic.active:
        raise MessageRefused(_("Select what your question is about"), code="invalid", field="topic")
    with _sending() as kept:
        locked = _lock_customer(customer.pk)
        earlier = _earlier_send(submission_key, customer=locked, body=body)
        if earlier is not None:
            return earlier.conversation
        now = timezone.now()
        _check_rate(locked, now)
        checked = _check_files(files)
        conversation = Conversation.objects.create(
            customer=locked, claim=claim, topic=topic, subject=subject,
            reference=_unused_reference(), status=ConversationStatus.WAITING_FOR_US,
            last_message_at=now, waiting_since=now, team=topic.team,
            reply_due_on=reply_due_on(customer=locked, topic=topic, at=now),
        )  # fmt: skip
        message = Message.objects.create(
            conversation=conversation, author=Author.CUSTOMER, sent_by=by, body=body,
            submission_key=submission_key,
        )  # fmt: skip
        _keep_files(message, checked, kept)
        versions.bump(user_id=locked.user_id)  # "Your services" lists it
        return conversation


def send_reply(
    *,
    conversation: Conversation,
    by: User,
    body: str,
    files: Sequence[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> Message:
    """The person writes again in one of their conversations: it now waits for us. If it
    was waiting for them, the answer is due the topic's working days from now; if it was
    already waiting for us, it keeps its place and its due date.

    Raises ``ConversationClosed`` for a closed conversation, ``MessageRefused`` or
    ``UploadRejected`` otherwise, and saves nothing. A second send of the same form returns
    the message the first one sent.
    """
    body = clean_body(body)
    with _sending() as kept:
        customer = _lock_customer(conversation.customer_id)
        locked = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("topic")
            .get(pk=conversation.pk)
        )
        earlier = _earlier_send(submission_key, customer=customer, body=body)
        if earlier is not None:
            if earlier.conversation_id != locked.pk:
                raise AlreadySent()
            return earlier
        if locked.status == ConversationStatus.CLOSED:
            raise ConversationClosed()
        now = timezone.now()
        _check_rate(customer, now)
        checked = _check_files(files)
        message = Message.objects.create(
            conversation=locked, author=Author.CUSTOMER, sent_by=by, body=body,
            submission_key=submission_key,
        )  # fmt: skip
        _keep_files(message, checked, kept)
        fields = ["last_message_at"]
        if locked.status != ConversationStatus.WAITING_FOR_US:
            locked.status = ConversationStatus.WAITING_FOR_US
            locked.waiting_since = now
            locked.reply_due_on = reply_due_on(customer=customer, topic=locked.topic, at=now)
            fields += ["status", "waiting_since", "reply_due_on"]
        locked.last_message_at = now
        locked.save(update_fields=fields)
        versions.bump(user_id=customer.user_id)
        return message


# --- Reading ------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def mark_read_by_customer(*, conversation: Conversation, by: User) -> int:
    """The person opened the conversation: our messages in it are read (their receipts say
    so, for staff), and so are the notifications that link to it. Returns how many of our
    messages were new to them."""
    count = Message.objects.filter(
        conversation=conversation, author=Author.STAFF, read_at__isnull=True
    ).update(read_at=timezone.now())
    mark_read_for_link(customer=conversation.customer, link=conversation_path(conversation))
    if count:
        versions.bump(user_id=conversation.customer.user_id)  # the header's count
    return count
