"""The "Your services" page's read model: what the page and its live panel show, put
together from each app's public selectors, in a fixed number of queries however many
claims, requests, tasks or messages the person has.

The portal owns this page because it spans apps; each app owns its reads (claims,
requests and payments in ``benefits.claims.selectors``, tasks in ``journeys.selectors``,
notifications in ``notifications.selectors``, conversations in
``conversations.selectors``). Nothing here touches a model's manager itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.functional import Promise

from accounts.acting import Acting, Scope
from accounts.models import Customer
from appointments import selectors as appointment_selectors
from appointments.models import Appointment
from benefits.claims import lifecycle
from benefits.claims import selectors as claim_selectors
from benefits.models import Claim, InformationRequest, Payment
from conversations import selectors as conversation_selectors
from conversations.models import Conversation
from journeys import selectors as journey_selectors
from journeys.models import Task
from notifications import selectors as notification_selectors
from notifications.models import Notification

#: How many tasks, unread notifications and conversations the page lists; the rest are a
#: link away.
SHOWN = 5


StrOrPromise = str | Promise


@dataclass(frozen=True)
class YourServices:
    today: date
    #: Every claim, newest first, with the plain-language next step for its status.
    claims: list[tuple[Claim, StrOrPromise]] = field(default_factory=list)  # and its next step
    #: Things to do: our requests for information, soonest due first…
    requests: list[InformationRequest] = field(default_factory=list)
    #: …the first few tasks from plans, goals and caseworkers…
    tasks: list[Task] = field(default_factory=list)
    #: …and applications not sent yet.
    drafts: list[Claim] = field(default_factory=list)
    next_payment: Payment | None = None
    #: The newest few unread messages, and how many there are in all.
    unread: list[Notification] = field(default_factory=list)
    unread_total: int = 0
    #: The latest few conversations, those waiting for the person first, each with
    #: ``unread`` (our messages they have not read)…
    conversations: list[Conversation] = field(default_factory=list)
    #: …and how many of our messages they have not read, in all their conversations.
    conversations_unread: int = 0
    #: Appointments booked from today on, soonest first (the first few).
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def has_things_to_do(self) -> bool:
        return bool(self.requests or self.tasks or self.drafts)


def your_services(
    *, customer: Customer | None, today: date, acting: Acting | None = None
) -> YourServices:
    """Everything "Your services" shows for ``customer`` on ``today``; nothing for a
    signed-in account with no customer (staff).

    For a representative (``acting``), only what their scopes allow: claims, letters and
    tasks with "see", messages and appointments with "talk", and only the chosen claims.
    """
    if customer is None:
        return YourServices(today=today)
    whole = _your_services(customer=customer, today=today)
    if acting is None:
        return whole
    sees, talks = acting.allows(Scope.SEE), acting.allows(Scope.TALK)
    ok = acting.may_see_claim
    return YourServices(
        today=today,
        claims=[(c, step) for c, step in whole.claims if sees and ok(c.pk)],
        requests=[r for r in whole.requests if sees and ok(r.claim_id)],
        tasks=whole.tasks if sees and acting.claim_ids is None else [],
        drafts=[c for c in whole.drafts if sees and ok(c.pk)],
        next_payment=(
            whole.next_payment
            if sees and whole.next_payment and ok(whole.next_payment.claim_id)
            else None
        ),
        unread=whole.unread if sees and acting.claim_ids is None else [],
        unread_total=whole.unread_total if sees and acting.claim_ids is None else 0,
        conversations=[
            c for c in whole.conversations
            if talks and (acting.claim_ids is None or (c.claim_id and ok(c.claim_id)))
        ],
        conversations_unread=whole.conversations_unread if talks and acting.claim_ids is None else 0,
        appointments=whole.appointments if talks and acting.claim_ids is None else [],
    )  # fmt: skip


def _your_services(*, customer: Customer, today: date) -> YourServices:
    unread = notification_selectors.unread_for_customer(customer=customer, limit=SHOWN)
    conversations = list(
        conversation_selectors.conversations_for_customer(
            customer=customer, waiting_for_you_first=True
        )[:SHOWN]
    )
    return YourServices(
        today=today,
        claims=[
            (claim, lifecycle.NEXT_STEP[claim.status])
            for claim in claim_selectors.claims_for_customer(customer=customer)
        ],
        requests=list(claim_selectors.open_information_requests(customer=customer)),
        # From the start of today, as the panel's ETag changes with the date.
        appointments=appointment_selectors.upcoming_appointments(
            customer=customer,
            now=timezone.make_aware(datetime.combine(today, time.min)),
            limit=SHOWN,
        ),
        tasks=list(journey_selectors.open_tasks(customer=customer)[:SHOWN]),
        drafts=list(claim_selectors.unfinished_applications(customer=customer)),
        next_payment=claim_selectors.next_payment(customer=customer, today=today),
        unread=unread,
        # Counted only when the page shows fewer than there are.
        unread_total=(
            len(unread)
            if len(unread) < SHOWN
            else notification_selectors.unread_count(customer=customer)
        ),
        conversations=conversations,
        # Added up from the list when it holds them all; counted only when it does not.
        conversations_unread=(
            sum(c.unread for c in conversations)  # type: ignore[attr-defined]
            if len(conversations) < SHOWN
            else conversation_selectors.unread_count(customer_id=customer.pk)
        ),
    )
