"""Secure messages' entries in the retention schedule (``accounts.retention``), registered
in ``ConversationsConfig.ready()``. The demo agency's periods; see that module."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import Period, Rule, register


def register_conversations() -> None:
    register(
        # Files are the bulkiest and often the most sensitive part of a conversation; what
        # they showed is in the messages and on the claim.
        Rule(
            key="conversations.attachment",
            model="conversations.Attachment",
            name=_("Files you sent with a message"),
            keep=Period(years=1),
            clock="uploaded_at",
            after=_("after the message was sent"),
        ),
        Rule(
            key="conversations.conversation",
            model="conversations.Conversation",
            name=_("Your messages with us"),
            keep=Period(years=2),
            clock="last_message_at",
            after=_("after the last message, once the conversation is closed"),
            condition=Q(status="closed"),
            includes=_("Staff notes about the conversation go with it."),
        ),
    )
