"""The claim state machine: the allowed transitions, in one place.

draft → submitted → in review ⇄ information requested → awarded / refused
      → reconsideration requested → reconsidered; withdrawn from any state after sending
      and before a decision; closed.
Every change goes through ``transition``: one transaction that locks the claim, checks
the move is allowed, saves the status and writes the ``ClaimEvent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import versions
from accounts.models import User
from benefits.claims import award_facts
from benefits.models import Claim, ClaimEvent, ClaimStatus
from notifications.models import NotificationKind
from notifications.services import notify

S = ClaimStatus
# The one list of open statuses (sent, not yet decided or ended), in the order reports show
# them. A tuple, so every report and query lists them the same way.
OPEN = (S.SUBMITTED, S.IN_REVIEW, S.RECONSIDERATION_REQUESTED, S.INFORMATION_REQUESTED)
DECIDED = {S.AWARDED, S.REFUSED, S.RECONSIDERED}
# An award is paid from these states; leaving them for these ends it (``award_facts``).
PAYING = {S.AWARDED, S.RECONSIDERED, S.RECONSIDERATION_REQUESTED}
ENDS_AWARD = {S.CLOSED, S.WITHDRAWN, S.IN_REVIEW}

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},  # a draft was never sent: nothing to withdraw
    S.SUBMITTED: {S.IN_REVIEW, S.INFORMATION_REQUESTED, S.AWARDED, S.REFUSED, S.WITHDRAWN},
    S.IN_REVIEW: {S.INFORMATION_REQUESTED, S.AWARDED, S.REFUSED, S.WITHDRAWN},
    S.INFORMATION_REQUESTED: {S.IN_REVIEW, S.WITHDRAWN},
    S.AWARDED: {S.RECONSIDERATION_REQUESTED, S.CLOSED},
    S.REFUSED: {S.RECONSIDERATION_REQUESTED, S.CLOSED},
    S.RECONSIDERATION_REQUESTED: {S.RECONSIDERED, S.WITHDRAWN},
    S.RECONSIDERED: {S.CLOSED},
    S.WITHDRAWN: set(),
    S.CLOSED: set(),
}


# What the person is told when their claim reaches each status (in their own language).
TOLD = {
    S.SUBMITTED: gettext_lazy("We have your %(benefit)s application"),
    S.IN_REVIEW: gettext_lazy("A caseworker is looking at your %(benefit)s claim"),
    S.INFORMATION_REQUESTED: gettext_lazy("We need more information for your %(benefit)s claim"),
    S.AWARDED: gettext_lazy("Your %(benefit)s claim was awarded"),
    S.REFUSED: gettext_lazy("We have decided your %(benefit)s claim"),
    S.RECONSIDERATION_REQUESTED: gettext_lazy(
        "We will look at the decision on your %(benefit)s claim again"
    ),
    S.RECONSIDERED: gettext_lazy("We have looked at your %(benefit)s decision again"),
    S.WITHDRAWN: gettext_lazy("Your %(benefit)s claim was withdrawn"),
    S.CLOSED: gettext_lazy("Your %(benefit)s claim is closed"),
}


# --- The stages a claim goes through, as the person sees them -----------------------------------


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # DONE, NOW or TO_COME

    DONE: ClassVar[str] = "done"
    NOW: ClassVar[str] = "now"
    TO_COME: ClassVar[str] = "to_come"


_SENT = gettext_lazy("Sent")
_CHECKING = gettext_lazy("We are checking")
_MORE_INFORMATION = gettext_lazy("We are checking: we need more information from you")
_DECISION = gettext_lazy("Decision")
_LOOKING_AGAIN = gettext_lazy("We are looking at the decision again")
_NEW_DECISION = gettext_lazy("New decision")

# For each status: the stages in order, and how many of them are behind the claim. The
# stage after those is where the claim is now; the rest are still to come. None: all done.
_PATHS: dict[str, tuple[tuple, int | None]] = {
    S.SUBMITTED: ((_SENT, _CHECKING, _DECISION), 1),
    S.IN_REVIEW: ((_SENT, _CHECKING, _DECISION), 1),
    S.INFORMATION_REQUESTED: ((_SENT, _MORE_INFORMATION, _DECISION), 1),
    S.AWARDED: ((_SENT, _CHECKING, _DECISION), None),
    S.REFUSED: ((_SENT, _CHECKING, _DECISION), None),
    S.RECONSIDERATION_REQUESTED: ((_SENT, _CHECKING, _DECISION, _LOOKING_AGAIN, _NEW_DECISION), 3),
    S.RECONSIDERED: ((_SENT, _CHECKING, _DECISION, _LOOKING_AGAIN, _NEW_DECISION), None),
    S.WITHDRAWN: ((_SENT, gettext_lazy("Withdrawn")), None),
    S.CLOSED: ((_SENT, _CHECKING, _DECISION, gettext_lazy("Closed")), None),
}


def stages(status: str) -> list[Stage]:
    """The claim's stages, those behind it and those still to come: "Sent → We are
    checking → Decision", with where the claim is now. Empty for a draft."""
    if status not in _PATHS:
        return []
    labels, behind = _PATHS[status]
    if behind is None:
        return [Stage(str(label), Stage.DONE) for label in labels]
    return [
        Stage(
            str(label),
            Stage.DONE if i < behind else Stage.NOW if i == behind else Stage.TO_COME,
        )
        for i, label in enumerate(labels)
    ]


# Moves back that only a caseworker's review may make (casework.reverse_automatic_award).
REVERSALS: dict[str, set[str]] = {S.AWARDED: {S.IN_REVIEW}}


class TransitionNotAllowed(Exception):
    """A move the state machine does not allow: nothing was changed."""

    def __init__(self, claim: Claim, to: str) -> None:
        self.from_status, self.to_status = claim.status, to
        super().__init__(
            _("A claim that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ClaimStatus(claim.status).label, "to": ClaimStatus(to).label}
        )


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())


# Not durable: every claim service moves the claim through here inside its own
# transaction.
@transaction.atomic
def transition(
    *,
    claim: Claim,
    to: str,
    by: User | None,
    reason: str = "",
    visible_to_customer: bool = True,
    extra_fields: dict[str, object] | None = None,
    reversal: bool = False,
) -> Claim:
    """Move a claim to ``to``, record the event and tell the person; or raise
    TransitionNotAllowed and change nothing. One transaction."""
    # Only the claim's row: locking the person's and the benefit's rows too would make a
    # claim being created at the same moment (its foreign keys checked at commit) wait on
    # this transaction while this one waits on its unique index entry, a deadlock.
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("benefit", "customer")
        .get(pk=claim.pk)
    )
    if not (allowed(locked.status, to) or (reversal and to in REVERSALS.get(locked.status, ()))):
        raise TransitionNotAllowed(locked, to)
    from_status = locked.status
    locked.status = to
    fields = ["status", "updated_at"]
    if to in DECIDED:
        locked.decided_at = timezone.now()
        fields.append("decided_at")
    for name, value in (extra_fields or {}).items():
        setattr(locked, name, value)
        fields.append(name)
    locked.save(update_fields=fields)
    ClaimEvent.objects.create(
        claim=locked, by=by, from_status=from_status, to_status=to, reason=reason,
        visible_to_customer=visible_to_customer,
    )  # fmt: skip
    # The status shows on the person's pages whether or not the event does.
    versions.bump(user_id=locked.customer.user_id)
    if from_status in PAYING and to in ENDS_AWARD:
        # Closed, withdrawn or taken back: the record no longer says the award is paid.
        award_facts.record_award_stopped(claim=locked, on=timezone.localdate(), by=by)
    if visible_to_customer and to in TOLD:
        notify(
            customer=locked.customer, kind=NotificationKind.STATUS, title=TOLD[to], body=reason,
            params={"benefit": locked.benefit.name},
            link=reverse("claims:detail", args=[locked.pk]),
        )  # fmt: skip
    return locked


# --- What the person is told about each status -------------------------------------------

NEXT_STEP = {
    S.DRAFT: gettext_lazy("Your application has not been sent yet."),
    S.SUBMITTED: gettext_lazy("We have your application. A caseworker will look at it."),
    S.IN_REVIEW: gettext_lazy(
        "A caseworker is looking at your application. You do not need to do anything."
    ),
    S.INFORMATION_REQUESTED: gettext_lazy(
        "We need more information from you before we can decide."
    ),
    S.AWARDED: gettext_lazy("Your claim was awarded."),
    S.REFUSED: gettext_lazy(
        "Your claim was refused. You can ask us to look at the decision again within one month."
    ),
    S.RECONSIDERATION_REQUESTED: gettext_lazy("We are looking at the decision again."),
    S.RECONSIDERED: gettext_lazy("We have looked at the decision again."),
    S.WITHDRAWN: gettext_lazy("You withdrew this claim."),
    S.CLOSED: gettext_lazy("This claim is closed."),
}
#: The statuses in which the claim waits on the person, not on us.
WAITING_ON_YOU = {S.DRAFT, S.INFORMATION_REQUESTED}
