"""Conversations for tests: the person asking through the service, and the agency's reply."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from accounts import versions
from conversations import services
from conversations.models import Author, Conversation, ConversationStatus, Message, Topic
from notifications.models import NotificationKind
from notifications.services import notify


def topic(code: str = "payments") -> Topic:
    return Topic.objects.get(code=code)


def ask(user, subject: str = "Payment not arrived", body: str = "Where is my payment?", **kw):
    """The person asks a question, as the "Ask a question" page does."""
    kw.setdefault("topic", topic())
    kw.setdefault("submission_key", uuid.uuid4())
    return services.start_conversation(
        customer=user.customer, by=user, subject=subject, body=body, **kw
    )


def reply(user, conversation, body: str = "Thank you.", **kw) -> Message:
    kw.setdefault("submission_key", uuid.uuid4())
    return services.send_reply(conversation=conversation, by=user, body=body, **kw)


def agency_replies(conversation, body: str = "We have paid it today.", *, by=None) -> Message:
    """What a caseworker's reply does to what the person sees: our message, the
    conversation waiting for them, a notification linking to it, the version bumped.

    A stand-in for the staff side's own service (conversations.casework), which these
    tests of the person's side do not depend on."""
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation, author=Author.STAFF, sent_by=by, body=body
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.WAITING_FOR_YOU, waiting_since=None, reply_due_on=None,
            last_message_at=timezone.now(),
        )  # fmt: skip
        notify(
            customer=conversation.customer, kind=NotificationKind.MESSAGE,
            title="We have replied to your message",
            link=services.conversation_path(conversation),
        )  # fmt: skip
        versions.bump(user_id=conversation.customer.user_id)
    return message


def close(conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        status=ConversationStatus.CLOSED, closed_at=timezone.now()
    )
