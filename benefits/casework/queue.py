"""The caseworkers' queue: priority, taking the next claim, assignment and load.

Every function is one transaction and writes the claim's timeline; admin views and
actions, tasks and commands all call these.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Customer, User
from benefits.claims import applications, lifecycle
from benefits.claims import timeline as claim_timeline
from benefits.models import Claim, ClaimStatus, EventKind

S = ClaimStatus
# Claims a caseworker can act on now (an information request waits for the person).
QUEUE = tuple(s for s in lifecycle.OPEN if s not in lifecycle.WAITING_ON_YOU)


def refresh_priority(*, customer: Customer) -> int:
    """A caseworker changed the person's support flags: their open claims follow."""
    return Claim.objects.filter(customer=customer, status__in=lifecycle.OPEN).update(
        priority=applications.priority_for(customer)
    )


def queue() -> QuerySet[Claim]:
    """The work queue's order: highest priority, then the earliest due, then the oldest."""
    return Claim.objects.filter(status__in=QUEUE).order_by("-priority", "due_by", "submitted_at")


@transaction.atomic(durable=True)
def take_next_claim(*, by: User) -> Claim | None:
    """Give ``by`` the highest-priority unassigned claim. Two caseworkers pressing the
    button together get different claims: the row is locked and locked rows are skipped."""
    claim = (
        queue()
        .filter(assigned_to__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if claim is None:
        return None
    return _assign(claim, to=by, by=by)


def _assign(claim: Claim, *, to: User | None, by: User) -> Claim:
    claim.assigned_to, claim.assigned_at = to, timezone.now() if to else None
    claim.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
    text = _("Assigned to %(name)s") % {"name": to.email} if to else _("Returned to the queue")
    claim_timeline.record_event(claim=claim, by=by, kind=EventKind.NOTE, reason=text, visible=False)
    if to is not None and claim.status == S.SUBMITTED:
        claim = lifecycle.transition(
            claim=claim, to=S.IN_REVIEW, by=by,
            reason=_("A caseworker has started looking at your application."),
        )  # fmt: skip
    return claim


@transaction.atomic(durable=True)
def assign(*, claim: Claim, to: User, by: User) -> Claim:
    if to != by and not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can give a claim to someone else."))
    if not to.is_staff or not to.is_active:
        raise ValueError(_("Claims can only be given to active staff."))
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.assigned_to_id not in (None, by.pk) and not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can take a claim from someone else."))
    return _assign(locked, to=to, by=by)


@transaction.atomic(durable=True)
def unassign(*, claim: Claim, by: User) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.assigned_to_id not in (None, by.pk) and not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can take a claim from someone else."))
    return _assign(locked, to=None, by=by)


@transaction.atomic(durable=True)
def bulk_reassign(*, claim_ids: list[int], to: User | None, by: User) -> int:
    """A team leader moves claims between caseworkers (or back to the queue)."""
    if not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can reassign claims."))
    if to is not None and (not to.is_staff or not to.is_active):
        raise ValueError(_("Claims can only be given to active staff."))
    moved = 0
    for claim in Claim.objects.select_for_update().filter(
        pk__in=claim_ids, status__in=lifecycle.OPEN
    ):
        _assign(claim, to=to, by=by)
        moved += 1
    return moved


def caseworker_load(*, today: date | None = None) -> list[dict]:
    """Each member of staff with open claims: how many, and how many are overdue."""
    today = today or timezone.localdate()
    rows = (
        Claim.objects.filter(status__in=lifecycle.OPEN, assigned_to__isnull=False)
        .values("assigned_to", "assigned_to__email")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_by__lt=today)),
            waiting=Count("pk", filter=Q(status=S.INFORMATION_REQUESTED)),
        )
        .order_by("-open")
    )
    return list(rows)
