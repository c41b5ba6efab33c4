"""The claim's timeline and the caseworkers' internal notes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import versions
from accounts.models import User
from benefits.models import (
    CaseNote,
    Claim,
    ClaimEvent,
)


def record_event(
    *, claim: Claim, by: User | None, kind: str, reason: str, visible: bool = True
) -> ClaimEvent:
    """A line on the claim's timeline that does not change its status (a document, a
    note, a payment); ``by`` is who did it, or None for the system. One the person sees
    changes their claim's page, so it bumps their version (see ``accounts.versions``)."""
    event = ClaimEvent.objects.create(
        claim=claim, by=by, kind=kind, from_status=claim.status, to_status=claim.status,
        reason=reason[:4000], visible_to_customer=visible,
    )  # fmt: skip
    if visible:
        versions.bump_for_customer(customer_id=claim.customer_id)
    return event


@transaction.atomic(durable=True)
def add_internal_note(*, claim: Claim, by: User, text: str) -> CaseNote:
    """A note for staff. It is a ``CaseNote``, not a timeline event: nothing the person
    sees reads that table, so a note cannot reach them by a filter someone forgot."""
    if not text.strip():
        raise ValueError(_("Write the note."))
    return CaseNote.objects.create(claim=claim, by=by, text=text.strip()[:4000])
