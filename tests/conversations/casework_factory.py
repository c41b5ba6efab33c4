"""Conversations as the person's side leaves them, made straight with the models: the
caseworkers' tests do not depend on the citizen's pages or services."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Team
from conversations.models import (
    Attachment,
    Author,
    Conversation,
    ConversationStatus,
    Message,
    ReplyTemplate,
    Topic,
)

_numbers = itertools.count(1)


def topic(code: str = "general", *, days: int = 2, team: Team | None = None) -> Topic:
    made, _created = Topic.objects.get_or_create(
        code=code,
        defaults={
            "name": code.replace("-", " ").capitalize(),
            "service_level_days": days,
            "team": team,
        },
    )
    return made


def conversation(
    user,
    *,
    subject: str = "About my payments",
    body: str = "When is my next payment?",
    claim=None,
    on: Topic | None = None,
    team: Team | None = None,
    waiting_since: datetime | None = None,
    due: date | None = None,
    status: str = ConversationStatus.WAITING_FOR_US,
    assigned_to=None,
) -> Conversation:
    """A conversation the person started, with their first message, waiting for us."""
    on = on or topic()
    since = waiting_since or timezone.now()
    waiting = status == ConversationStatus.WAITING_FOR_US
    made = Conversation.objects.create(
        customer=user.customer, claim=claim, topic=on, subject=subject,
        reference=f"MSG-T{next(_numbers):06d}", status=status, last_message_at=since,
        waiting_since=since if waiting else None,
        reply_due_on=(due or timezone.localdate(since) + timedelta(days=on.service_level_days))
        if waiting else None,
        team=team if team is not None else on.team, assigned_to=assigned_to,
        assigned_at=timezone.now() if assigned_to else None,
    )  # fmt: skip
    Message.objects.create(conversation=made, author=Author.CUSTOMER, sent_by=user, body=body)
    return made


def attachment(
    message: Message, *, name: str = "letter.pdf", content: bytes = b"%PDF-1.4 a letter"
) -> Attachment:
    import hashlib

    digest = hashlib.sha256(content).hexdigest()
    made = Attachment(
        message=message, original_name=name, content_type="application/pdf", size=len(content),
        sha256=digest, stored_sha256=digest,
    )  # fmt: skip
    made.file.save(name, ContentFile(content), save=False)
    made.save()
    return made


def reply_template(name: str, body: str, *, on: Topic | None = None) -> ReplyTemplate:
    return ReplyTemplate.objects.create(name=name, body=body, topic=on)


def team(name: str, *members) -> Team:
    made = Team.objects.create(name=name)
    made.members.add(*members)
    return made
