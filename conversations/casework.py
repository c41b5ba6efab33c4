"""The caseworkers' side of secure messages: the queue, taking the next conversation,
assignment and teams, replies (from templates), internal notes, a supervisor's attention,
closing and reopening, and turning a message into work (a request for information on the
claim, or a change of circumstances on the record).

Every entry point is keyword-only with ``by=`` and one durable transaction; the admin's
buttons (``conversations.admin``) call these and nothing else. What happened is kept on
the conversation as internal notes (staff only), which serve as its audit trail. The person
is told of a reply through ``notify``: the notification says that there is a new message,
never what it says.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Least
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import versions
from accounts.models import Fact, FactKind, FactSource, Team, User
from accounts.services import record_fact
from benefits.claims import documents as claim_documents
from benefits.claims import timeline as claim_timeline
from benefits.claims.comparison import IN_PAYMENT
from benefits.models import Claim, EventKind, InformationRequest
from benefits.rules.base import gbp
from conversations import services
from conversations.models import (
    MAX_MESSAGE_LENGTH,
    Attachment,
    Author,
    Conversation,
    ConversationStatus,
    InternalNote,
    Message,
    ReplyTemplate,
)
from notifications.models import NotificationKind
from notifications.services import notify

S = ConversationStatus
WORK = "conversations.work_conversations"
TRANSFER = "conversations.transfer_conversations"
NOTE_LENGTH = InternalNote._meta.get_field("text").max_length or 4000


# --- Reading the queue --------------------------------------------------------------------------


def queue() -> QuerySet[Conversation]:
    """What waits for the agency, in the order it is answered: by the date the service
    level says it is due, then the longest waiting. Overdue ones come first because their
    due date has passed; a conversation with no due date comes last. Served by the partial
    index ``conv_queue`` (and ``conv_next`` for the unassigned ones, for take-next)."""
    return Conversation.objects.filter(status=S.WAITING_FOR_US).order_by(
        "reply_due_on", "waiting_since"
    )


def overdue_q(today: date | None = None) -> Q:
    """Past the service level: still waiting for us after the day it was due."""
    return Q(status=S.WAITING_FOR_US, reply_due_on__lt=today or timezone.localdate())


def is_overdue(conversation: Conversation, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    due = conversation.reply_due_on
    return conversation.status == S.WAITING_FOR_US and due is not None and due < today


# --- Permissions --------------------------------------------------------------------------------


def _require(by: User, permission: str, message: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(message)


def _can_work(by: User) -> None:
    _require(by, WORK, _("Only caseworkers can work on conversations."))


def _locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("customer", "topic", "claim", "team", "assigned_to")
        .get(pk=conversation.pk)
    )


def _note(conversation: Conversation, by: User | None, text: str) -> InternalNote:
    return InternalNote.objects.create(conversation=conversation, by=by, text=text[:NOTE_LENGTH])


# --- Taking, giving and transferring ------------------------------------------------------------


@transaction.atomic(durable=True)
def take_next_conversation(*, by: User, team: Team | None = None) -> Conversation | None:
    """Give ``by`` the conversation that has waited for us the longest past its due date,
    of ``team`` if given. Two caseworkers pressing the button together get different ones:
    the row is locked and locked rows are skipped (``SKIP LOCKED``). A conversation marked
    as needing a supervisor goes only to staff who can transfer conversations (team
    leaders)."""
    _can_work(by)
    candidates = queue().filter(assigned_to__isnull=True)
    if team is not None:
        if not by.has_perm(TRANSFER) and not team.members.filter(pk=by.pk).exists():
            raise PermissionDenied(_("You are not in the team %(team)s.") % {"team": team.name})
        candidates = candidates.filter(team=team)
    if not by.has_perm(TRANSFER):
        candidates = candidates.filter(needs_supervisor=False)
    conversation = candidates.select_for_update(skip_locked=True, of=("self",)).first()
    if conversation is None:
        return None
    return _assign(conversation, to=by, by=by)


def _assign(conversation: Conversation, *, to: User | None, by: User) -> Conversation:
    conversation.assigned_to, conversation.assigned_at = to, timezone.now() if to else None
    conversation.save(update_fields=["assigned_to", "assigned_at"])
    text = _("Assigned to %(name)s") % {"name": to.email} if to else _("Returned to the queue")
    _note(conversation, by, text)
    return conversation


@transaction.atomic(durable=True)
def assign(*, conversation: Conversation, to: User, by: User) -> Conversation:
    """Take a conversation (``to`` is ``by``), or give it to someone (team leaders)."""
    _can_work(by)
    if to != by and not by.has_perm(TRANSFER):
        raise PermissionDenied(_("Only a team leader can give a conversation to someone else."))
    if not to.is_staff or not to.is_active or not to.has_perm(WORK):
        raise ValueError(_("Conversations can only be given to active caseworkers."))
    locked = _locked(conversation)
    if locked.assigned_to_id not in (None, by.pk, to.pk) and not by.has_perm(TRANSFER):
        raise PermissionDenied(_("Only a team leader can take a conversation from someone else."))
    if locked.assigned_to_id == to.pk:
        return locked
    return _assign(locked, to=to, by=by)


@transaction.atomic(durable=True)
def unassign(*, conversation: Conversation, by: User) -> Conversation:
    """Return a conversation to its team's queue."""
    _can_work(by)
    locked = _locked(conversation)
    if locked.assigned_to_id not in (None, by.pk) and not by.has_perm(TRANSFER):
        raise PermissionDenied(_("Only a team leader can take a conversation from someone else."))
    if locked.assigned_to_id is None:
        return locked
    return _assign(locked, to=None, by=by)


@transaction.atomic(durable=True)
def transfer_to_team(*, conversation: Conversation, team: Team, by: User) -> Conversation:
    """Send a conversation to another team: it leaves whoever had it and waits in that
    team's queue, with its due date unchanged (the person has waited as long as they
    have)."""
    _require(by, TRANSFER, _("Only a team leader can transfer a conversation to a team."))
    if not team.active:
        raise ValueError(_("The team %(team)s no longer takes work.") % {"team": team.name})
    locked = _locked(conversation)
    before = locked.team.name if locked.team else _("no team")
    locked.team = team
    locked.assigned_to, locked.assigned_at = None, None
    locked.save(update_fields=["team", "assigned_to", "assigned_at"])
    _note(
        locked, by,
        _("Transferred to the team %(team)s (from %(before)s)") % {"team": team.name, "before": before},
    )  # fmt: skip
    return locked


# --- Replying -----------------------------------------------------------------------------------

PLACEHOLDERS = ("{name}", "{claim_reference}", "{benefit}", "{reference}")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+([,.;:!?])")


def render_template(*, template: ReplyTemplate, conversation: Conversation) -> str:
    """The template's text with ``{name}``, ``{claim_reference}``, ``{benefit}`` and
    ``{reference}`` filled in from the conversation.

    Plain replacement of those four words, never ``str.format``: anything else in braces
    stays as staff typed it, and nothing in the text can reach an attribute. A value the
    conversation lacks (no claim) is left out, and the spaces it leaves are tidied."""
    claim = conversation.claim
    values = {
        "{name}": conversation.customer.display_name,
        "{claim_reference}": claim.reference if claim is not None else "",
        "{benefit}": claim.benefit.name if claim is not None else "",
        "{reference}": conversation.reference,
    }
    text = template.body
    for placeholder, value in values.items():
        text = text.replace(placeholder, value or "")
    lines = [
        _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", line)) for line in text.split("\n")
    ]
    return "\n".join(line.rstrip() for line in lines).strip()


@transaction.atomic(durable=True)
def send_staff_reply(
    *,
    conversation: Conversation,
    by: User,
    body: str,
    template: ReplyTemplate | None = None,
    close: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Message:
    """Answer the person. The conversation then waits for them (or is closed; a reply in a
    closed one opens it again), its service-level dates are cleared, what they wrote counts as read, and they are told
    through their channels that there is a new message: the notification never holds the
    message itself. With no ``body``, the ``template`` filled in is sent. The same
    ``submission_key`` sends one message however often the form is posted."""
    _can_work(by)
    if not body.strip() and template is not None:
        body = render_template(template=template, conversation=conversation)
    body = body.strip()
    if not body:
        raise ValueError(_("Write the reply."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValueError(
            _("A reply must be %(n)d characters or fewer.") % {"n": MAX_MESSAGE_LENGTH}
        )
    locked = _locked(conversation)
    if submission_key is not None:
        already = Message.objects.filter(submission_key=submission_key).first()
        if already is not None:
            return already
    message = Message.objects.create(
        conversation=locked, author=Author.STAFF, sent_by=by, body=body,
        submission_key=submission_key,
    )  # fmt: skip
    now = message.sent_at
    was_closed = locked.status == S.CLOSED
    locked.status = S.CLOSED if close else S.WAITING_FOR_YOU
    locked.last_message_at = now
    locked.waiting_since, locked.reply_due_on = None, None
    fields = ["status", "last_message_at", "waiting_since", "reply_due_on"]
    if close:
        locked.closed_at = now
        fields.append("closed_at")
    elif was_closed:  # a reply in a closed conversation opens it again for the person
        locked.closed_at = None
        fields.append("closed_at")
    if locked.assigned_to_id is None:
        locked.assigned_to, locked.assigned_at = by, now
        fields += ["assigned_to", "assigned_at"]
    locked.save(update_fields=fields)
    # What the person wrote has been answered, so it has been read.
    Message.objects.filter(
        conversation=locked, author=Author.CUSTOMER, read_at__isnull=True
    ).update(read_at=now)
    if close:
        _note(locked, by, _("Closed with the reply"))
    elif was_closed:
        _note(locked, by, _("Reopened with the reply"))
    notify(
        customer=locked.customer, kind=NotificationKind.MESSAGE,
        title=gettext_lazy("You have a new message about your conversation %(reference)s"),
        body=gettext_lazy(
            "Sign in to read it. For your security, we never put our messages in emails "
            "or text messages."
        ),
        params={"reference": locked.reference}, link=services.conversation_path(locked.pk),
    )  # fmt: skip
    return message


@transaction.atomic(durable=True)
def mark_read_by_staff(*, conversation: Conversation, by: User) -> int:
    """A caseworker opened the conversation: the person's messages are read (the person
    sees that on their side). Staff who only view it (auditors) leave them unread."""
    if not by.has_perm(WORK):
        return 0
    read = Message.objects.filter(
        conversation=conversation, author=Author.CUSTOMER, read_at__isnull=True
    ).update(read_at=timezone.now())
    if read:
        versions.bump_for_customer(customer_id=conversation.customer_id)
    return read


@transaction.atomic(durable=True)
def mark_attachment_seen(*, attachment: Attachment, by: User) -> Attachment:
    """A caseworker opened a file the person sent: the first time is kept."""
    if by.has_perm(WORK):
        Attachment.objects.filter(pk=attachment.pk, seen_at__isnull=True).update(
            seen_at=timezone.now()
        )
        attachment.refresh_from_db(fields=["seen_at"])
    return attachment


# --- Notes, supervisors, closing ----------------------------------------------------------------


@transaction.atomic(durable=True)
def add_internal_note(*, conversation: Conversation, by: User, text: str) -> InternalNote:
    """A note for staff: an ``InternalNote``, never a ``Message``, so nothing the person
    sees or is sent reads it."""
    _can_work(by)
    text = text.strip()
    if not text:
        raise ValueError(_("Write the note."))
    return _note(conversation, by, text)


@transaction.atomic(durable=True)
def mark_needs_supervisor(*, conversation: Conversation, by: User, reason: str) -> Conversation:
    _can_work(by)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Say why a supervisor is needed."))
    locked = _locked(conversation)
    locked.needs_supervisor = True
    locked.supervisor_reason = reason[
        : Conversation._meta.get_field("supervisor_reason").max_length
    ]
    locked.save(update_fields=["needs_supervisor", "supervisor_reason"])
    _note(locked, by, _("Needs a supervisor: %(reason)s") % {"reason": reason})
    return locked


@transaction.atomic(durable=True)
def clear_needs_supervisor(*, conversation: Conversation, by: User, note: str = "") -> Conversation:
    """A supervisor (a team leader) has dealt with it."""
    _require(by, TRANSFER, _("Only a supervisor can say a conversation no longer needs one."))
    locked = _locked(conversation)
    if not locked.needs_supervisor:
        return locked
    locked.needs_supervisor, locked.supervisor_reason = False, ""
    locked.save(update_fields=["needs_supervisor", "supervisor_reason"])
    _note(locked, by, (_("Supervisor has dealt with it.") + " " + note.strip()).strip())
    return locked


@transaction.atomic(durable=True)
def close_conversation(*, conversation: Conversation, by: User) -> Conversation:
    """Close without a reply (it was answered elsewhere, or needs none). The person can
    still read it."""
    _can_work(by)
    locked = _locked(conversation)
    if locked.status == S.CLOSED:
        return locked
    locked.status, locked.closed_at = S.CLOSED, timezone.now()
    locked.waiting_since, locked.reply_due_on = None, None
    locked.save(update_fields=["status", "closed_at", "waiting_since", "reply_due_on"])
    _note(locked, by, _("Closed"))
    versions.bump_for_customer(customer_id=locked.customer_id)
    return locked


@transaction.atomic(durable=True)
def reopen_conversation(*, conversation: Conversation, by: User) -> Conversation:
    """Open a closed conversation again, to work on it: it waits for us from now, due by
    the topic's service level, and is ``by``'s."""
    _can_work(by)
    locked = _locked(conversation)
    if locked.status != S.CLOSED:
        raise ValueError(_("Only a closed conversation can be reopened."))
    now = timezone.now()
    locked.status, locked.closed_at = S.WAITING_FOR_US, None
    locked.waiting_since, locked.reply_due_on = (
        now,
        services.reply_due_on(customer=locked.customer, topic=locked.topic, at=now),
    )
    locked.assigned_to, locked.assigned_at = by, now
    locked.save(
        update_fields=[
            "status", "closed_at", "waiting_since", "reply_due_on", "assigned_to", "assigned_at",
        ]
    )  # fmt: skip
    _note(locked, by, _("Reopened"))
    versions.bump_for_customer(customer_id=locked.customer_id)
    return locked


# --- Turning a message into work ----------------------------------------------------------------


@transaction.atomic(durable=True)
def raise_information_request(
    *, conversation: Conversation, by: User, what: str, due_on: date
) -> InformationRequest:
    """Ask the person for information on the claim the conversation is about: the same
    request as from the claim's page (on their to-do list, they are told), with a note on
    the conversation saying so. A conversation about no claim cannot."""
    _can_work(by)
    _require(by, "benefits.change_claim", _("Only caseworkers on claims can ask for information."))
    locked = _locked(conversation)
    claim = locked.claim
    if claim is None or claim.customer_id != locked.customer_id:
        raise ValueError(_("This conversation is not about a claim: there is nothing to ask on."))
    request = claim_documents.request_information(claim=claim, by=by, what=what, due_on=due_on)
    _note(
        locked, by,
        _("Asked for information on claim %(claim)s (reply by %(date)s): %(what)s")
        % {"claim": claim.reference, "date": date_format(request.due_on, "j F Y"),
           "what": request.what_is_needed},
    )  # fmt: skip
    return request


#: What a caseworker can record from a message, and how its value is kept.
CHANGE_KINDS: dict[str, type] = {
    FactKind.MONTHLY_EARNINGS: Decimal,
    FactKind.CAPITAL: Decimal,
    FactKind.MONTHLY_RENT: Decimal,
    FactKind.CARING_HOURS: int,
}

#: How the person reads each of them on their award's timeline.
CHANGE_WORDS: dict[str, Promise] = {
    FactKind.MONTHLY_EARNINGS: gettext_lazy("you earn %(value)s a month"),
    FactKind.CAPITAL: gettext_lazy("your savings are %(value)s"),
    FactKind.MONTHLY_RENT: gettext_lazy("your rent is %(value)s a month"),
    FactKind.CARING_HOURS: gettext_lazy("you care for %(value)s hours a week"),
}


def _told_the_person(conversation: Conversation, kind: str, value: Decimal | int, on: date) -> str:
    """The line on the person's award, in their language: as when they report a change
    themselves, they see that we have it (never the caseworkers' "a decision is needed")."""
    with translation.override(conversation.customer.preferred_language or None):
        return _(
            "You told us about a change from %(date)s, in your conversation %(reference)s: "
            "%(what)s. We will look at what it means for your claim and tell you."
        ) % {
            "date": date_format(on, "j F Y"), "reference": conversation.reference,
            "what": CHANGE_WORDS[kind]
            % {"value": gbp(value) if isinstance(value, Decimal) else value},
        }  # fmt: skip


@transaction.atomic(durable=True)
def raise_change_of_circumstances(
    *, conversation: Conversation, by: User, kind: str, value: Decimal | int, effective_from: date
) -> Fact | None:
    """The person told us of a change in a message: record it on their record as a fact
    from the date it happened (the caseworker as its source, the conversation named), and
    put each award in payment on the caseworkers' list of changes to review
    (``benefits.casework.changes.review_change`` works it out again from that date).

    Returns the fact, or None when the record already said so (then nothing is flagged).
    """
    _can_work(by)
    _require(by, "accounts.add_fact", _("Only caseworkers who record facts can do this."))
    if kind not in CHANGE_KINDS:
        raise ValueError(_("This change cannot be recorded from a message."))
    if isinstance(value, Decimal | int) and value < 0:
        raise ValueError(_("The amount cannot be negative."))
    value = CHANGE_KINDS[kind](value)
    locked = _locked(conversation)
    label = FactKind(kind).label
    fact = record_fact(
        customer=locked.customer, kind=kind, value=value, effective_from=effective_from, by=by,
        source=FactSource.CASEWORKER,
        note=_("Told us in conversation %(reference)s") % {"reference": locked.reference},
    )  # fmt: skip
    told = _("%(what)s: %(value)s from %(date)s") % {
        "what": label, "value": value, "date": date_format(effective_from, "j F Y"),
    }  # fmt: skip
    if fact is None:
        _note(
            locked,
            by,
            _("Change of circumstances already on the record: %(told)s") % {"told": told},
        )
        return None
    awards = list(Claim.objects.filter(customer=locked.customer, status__in=IN_PAYMENT))
    Claim.objects.filter(pk__in=[c.pk for c in awards]).update(
        change_to_review_from=Least(
            Coalesce("change_to_review_from", effective_from), effective_from
        )
    )
    for_person = _told_the_person(locked, kind, value, effective_from)
    for claim in awards:
        claim_timeline.record_event(
            claim=claim, by=by, kind=EventKind.INFORMATION, reason=for_person
        )
        claim_timeline.record_event(
            claim=claim, by=by, kind=EventKind.NOTE, visible=False,
            reason=_("Change told in conversation %(reference)s: %(told)s. A decision is needed.")
            % {"reference": locked.reference, "told": told},
        )  # fmt: skip
    flagged = ", ".join(c.reference or "" for c in awards) or _("none in payment")
    _note(
        locked, by,
        _("Change of circumstances recorded: %(told)s. Awards to review: %(claims)s")
        % {"told": told, "claims": flagged},
    )  # fmt: skip
    return fact
