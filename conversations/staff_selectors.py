"""Reads for staff pages: the admin's conversation page and the customer 360° page.

(The citizen's reads are ``conversations.selectors``.) Each function runs a fixed number
of queries however many conversations, messages or notes there are.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Customer
from conversations.models import (
    Attachment,
    Author,
    Conversation,
    InternalNote,
    Message,
    ReplyTemplate,
)


def conversations_for_customer(*, customer: Customer, limit: int = 50) -> list[Conversation]:
    """The person's conversations for the 360° page, most recent first, each with how many
    messages it has and how many of theirs no caseworker has read yet. One query."""
    return list(
        Conversation.objects.filter(customer=customer)
        .select_related("topic", "team", "assigned_to", "claim")
        .annotate(
            message_count=Count("messages"),
            unread_by_staff=Count(
                "messages",
                filter=Q(messages__author=Author.CUSTOMER, messages__read_at__isnull=True),
            ),
        )
        .order_by("-last_message_at", "-pk")[:limit]
    )


def thread(*, conversation: Conversation) -> list[Message]:
    """The messages in the order they were sent, with their attachments. Two queries."""
    return list(
        Message.objects.filter(conversation=conversation)
        .select_related("sent_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("sent_at", "pk")
    )


def notes(*, conversation: Conversation) -> list[InternalNote]:
    return list(
        InternalNote.objects.filter(conversation=conversation)
        .select_related("by")
        .order_by("at", "pk")
    )


def templates_for(*, conversation: Conversation) -> QuerySet[ReplyTemplate]:
    """Reply templates offered on this conversation: its topic's and the general ones."""
    return ReplyTemplate.objects.filter(active=True).filter(
        Q(topic=conversation.topic_id) | Q(topic__isnull=True)
    )


def attachment_for_staff(*, conversation_id: int, attachment_id: int) -> Attachment:
    """An attachment of this conversation (a 404 for any other pair of ids)."""
    return Attachment.objects.select_related("message__conversation").get(
        pk=attachment_id, message__conversation_id=conversation_id
    )
