"""Conversations for tests: the person asking through the service, and the agency's reply."""

from __future__ import annotations

import uuid

from django.utils import timezone

from conversations import casework, services
from conversations.models import Conversation, ConversationStatus, Message, Topic


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
    """A caseworker answers, through the staff side's own service (conversations.casework):
    our message, the conversation waiting for the person, a notification linking to it."""
    return casework.send_staff_reply(
        conversation=conversation, by=by or _caseworker(), body=body,
        submission_key=uuid.uuid4(),
    )  # fmt: skip


def _caseworker():
    from accounts.models import User
    from tests.conftest import make_staff

    found = User.objects.filter(email="replies@example.org").first()
    return found or make_staff("replies@example.org", group="caseworker")


def close(conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        status=ConversationStatus.CLOSED, closed_at=timezone.now()
    )
