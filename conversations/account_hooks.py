"""What conversations plugs into accounts (see ``accounts.hooks``), registered in ``ready()``:
how staff looks at a conversation, or a file sent with a message, read in the person's
"Who has looked at your record" page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Customer
from conversations.models import Attachment, Conversation


def describe_conversations(customer: Customer, ids: set[int]) -> dict[int, str]:
    conversations = Conversation.objects.filter(customer=customer, pk__in=ids).only(
        "reference", "subject"
    )
    return {
        c.pk: _("Your conversation %(reference)s (%(subject)s)")
        % {"reference": c.reference, "subject": c.subject}
        for c in conversations
    }


def describe_message_files(customer: Customer, ids: set[int]) -> dict[int, str]:
    files = (
        Attachment.objects.filter(message__conversation__customer=customer, pk__in=ids)
        .select_related("message__conversation")
        .only("original_name", "message__conversation__reference")
    )
    return {
        a.pk: _("A file you sent with a message: %(name)s, in your conversation %(reference)s")
        % {"name": a.original_name, "reference": a.message.conversation.reference}
        for a in files
    }
