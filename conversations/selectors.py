"""Reads of the person's conversations. ``get_conversation_for_customer`` is the one scoped
getter citizen pages start from: "missing" and "not yours" are the same 404, and an
attachment is only ever found through a conversation the getter returned.
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from accounts.acting import Whose
from accounts.models import Customer
from conversations.models import (
    Attachment,
    Author,
    Conversation,
    ConversationStatus,
    Message,
    Topic,
)
from lib import cache as safe_cache

_UNREAD = Q(messages__author=Author.STAFF, messages__read_at__isnull=True)


def topics_offered() -> QuerySet[Topic]:
    """The topics a person chooses from, in the order staff set."""
    return Topic.objects.filter(active=True).order_by("display_order", "name")


def get_conversation_for_customer(*, whose: Whose, conversation_id: int) -> Conversation:
    """The signed-in person's conversation, with its topic, claim (and benefit) and
    customer, in one query; 404 for anyone else's, a missing one and staff."""
    conversation = (
        Conversation.objects.filter(
            pk=conversation_id, **whose.customer_filter(), **whose.claim_filter("claim")
        )
        .select_related("topic", "claim__benefit", "customer")
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def thread(*, conversation: Conversation) -> list[Message]:
    """The conversation's messages, oldest first, each with who sent it and its
    attachments: two queries however many there are."""
    return list(
        Message.objects.filter(conversation=conversation)
        .select_related("sent_by__customer")  # a representative's are shown with their name
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("sent_at", "pk")
    )


def get_attachment_for_customer(*, conversation: Conversation, attachment_id: int) -> Attachment:
    """A file in ``conversation`` (which came from the scoped getter): 404 for a file of
    any other conversation, the person's own included."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, message__conversation=conversation
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def conversations_for_customer(
    *, customer: Customer, waiting_for_you_first: bool = False
) -> QuerySet[Conversation]:
    """The person's conversations, most recent first (or those waiting for them first),
    each with its topic, claim and benefit, and ``unread``: how many of our messages in it
    they have not read. One query for the whole list."""
    order = ["-last_message_at", "-pk"]
    queryset = (
        Conversation.objects.filter(customer=customer)
        .select_related("topic", "claim__benefit")
        .annotate(unread=Count("messages", filter=_UNREAD))
    )
    if waiting_for_you_first:
        queryset = queryset.annotate(
            waiting_for_you=Case(
                When(status=ConversationStatus.WAITING_FOR_YOU, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        order = ["waiting_for_you", *order]
    return queryset.order_by(*order)


def _unread(**whose: object) -> int:
    return Message.objects.filter(author=Author.STAFF, read_at__isnull=True, **whose).count()


def unread_count(*, customer_id: int) -> int:
    """How many of our messages the person has not read, across their conversations: one
    query."""
    return _unread(conversation__customer_id=customer_id)


def unread_count_for_user(*, user_id: int) -> int:
    """``unread_count`` of the person signed in as ``user_id``, without looking their
    customer up first (none for staff): one query."""
    return _unread(conversation__customer__user_id=user_id)


def unread_count_cached(*, user_id: int, version: str) -> int:
    """``unread_count`` kept in the cache under the person's version (accounts.versions):
    whatever changes it (our reply arriving, the person reading) bumps the version, so a
    count kept under an older one is never read again. Counted in the database when the
    cache has none or cannot be reached."""
    key = f"conversations:unread:{user_id}:{version}"
    count: int | None = safe_cache.get(key)
    if count is None:
        count = unread_count_for_user(user_id=user_id)
        safe_cache.set(key, count, 10 * 60)
    return count
