"""This app's section of "Download my data" (``representatives.export.registry``).

The person's conversations with their messages and the files sent with them. Never the
internal notes staff write to each other, nor who on our side wrote a message: our
messages are from "the agency" and the team that had the conversation.
"""

from __future__ import annotations

from django.db.models import Prefetch

from accounts.models import Customer
from conversations.models import Attachment, Conversation, Message
from representatives.export.registry import Collected, file_path
from representatives.export.roles import Roles


def collect_messages(customer: Customer) -> Collected:
    """Three queries: conversations (with topic, claim and team), messages, attachments."""
    conversations = list(
        Conversation.objects.filter(customer=customer)
        .select_related("topic", "claim", "team")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.order_by("sent_at", "pk").prefetch_related(
                    Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    roles = Roles(customer).load(
        m.sent_by_id for c in conversations for m in c.messages.all() if m.author == "customer"
    )
    files = {}
    records = []
    for c in conversations:
        messages = []
        for m in c.messages.all():
            attachments = []
            for a in m.attachments.all():
                path = file_path(f"messages/{c.reference}", a.pk, a.original_name)
                if a.file:
                    files[path] = a.file
                attachments.append(
                    {
                        "id": a.pk,
                        "original_name": a.original_name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "uploaded_at": a.uploaded_at,
                        "file": path if a.file else None,
                    }
                )
            messages.append(
                {
                    "id": m.pk,
                    "from": m.author,
                    # Our side is the agency, never the staff member who wrote it.
                    "written_by": roles.of(m.sent_by_id) if m.author == "customer" else "agency",
                    "body": m.body,
                    "sent_at": m.sent_at,
                    "read_at": m.read_at,
                    "attachments": attachments,
                }
            )
        records.append(
            {
                "id": c.pk,
                "reference": c.reference,
                "subject": c.subject,
                "topic": c.topic.name,
                "claim_reference": c.claim.reference if c.claim else None,
                "status": c.status,
                "team": c.team.name if c.team else None,
                "created_at": c.created_at,
                "reply_due_on": c.reply_due_on,
                "closed_at": c.closed_at,
                "messages": messages,
            }
        )
    return Collected(records, files)
