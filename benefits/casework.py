"""Casework: the queue, assignment, and straight-through decisions.

Every function is one transaction and writes the claim's timeline, like the rest of
``benefits.claims``; admin views and actions, tasks and commands all call these.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Customer, User
from benefits import claims, lifecycle
from benefits.comparison import IN_PAYMENT
from benefits.models import Claim, ClaimStatus, Document, DocumentState, EventKind
from benefits.rules.base import Verdict

S = ClaimStatus
# Claims a caseworker can act on now (an information request waits for the person).
QUEUE = [S.SUBMITTED, S.IN_REVIEW, S.RECONSIDERATION_REQUESTED]
OPEN = [*QUEUE, S.INFORMATION_REQUESTED]


def priority_for(customer: Customer) -> int:
    if customer.needs_extra_support:
        return 2
    return 1 if customer.accessibility_needs else 0


def refresh_priority(*, customer: Customer) -> int:
    """A caseworker changed the person's support flags: their open claims follow."""
    return Claim.objects.filter(customer=customer, status__in=OPEN).update(
        priority=priority_for(customer)
    )


def queue() -> QuerySet[Claim]:
    """The work queue's order: highest priority, then the earliest due, then the oldest."""
    return Claim.objects.filter(status__in=QUEUE).order_by("-priority", "due_by", "submitted_at")


@transaction.atomic
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
    claims.record_event(claim, by, EventKind.NOTE, text, visible=False)
    if to is not None and claim.status == S.SUBMITTED:
        claim = lifecycle.transition(
            claim=claim, to=S.IN_REVIEW, by=by,
            reason=_("A caseworker has started looking at your application."),
        )  # fmt: skip
    return claim


@transaction.atomic
def assign(*, claim: Claim, to: User, by: User) -> Claim:
    if to != by and not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can give a claim to someone else."))
    if not to.is_staff or not to.is_active:
        raise ValueError(_("Claims can only be given to active staff."))
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.assigned_to_id not in (None, by.pk) and not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can take a claim from someone else."))
    return _assign(locked, to=to, by=by)


@transaction.atomic
def unassign(*, claim: Claim, by: User) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.assigned_to_id not in (None, by.pk) and not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can take a claim from someone else."))
    return _assign(locked, to=None, by=by)


@transaction.atomic
def bulk_reassign(*, claim_ids: list[int], to: User | None, by: User) -> int:
    """A team leader moves claims between caseworkers (or back to the queue)."""
    if not by.has_perm("benefits.reassign_claims"):
        raise PermissionDenied(_("Only a team leader can reassign claims."))
    if to is not None and (not to.is_staff or not to.is_active):
        raise ValueError(_("Claims can only be given to active staff."))
    moved = 0
    for claim in Claim.objects.select_for_update().filter(pk__in=claim_ids, status__in=OPEN):
        _assign(claim, to=to, by=by)
        moved += 1
    return moved


def caseworker_load(*, today: date | None = None) -> list[dict]:
    """Each member of staff with open claims: how many, and how many are overdue."""
    today = today or timezone.localdate()
    rows = (
        Claim.objects.filter(status__in=OPEN, assigned_to__isnull=False)
        .values("assigned_to", "assigned_to__email")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_by__lt=today)),
            waiting=Count("pk", filter=Q(status=S.INFORMATION_REQUESTED)),
        )
        .order_by("-open")
    )
    return list(rows)


# --- Straight-through processing ------------------------------------------------------------


def evidence_complete(claim: Claim) -> bool:
    """Every kind of evidence the benefit asks for has a document that was not rejected."""
    needed = set(claim.benefit.evidence_needed)
    if not needed:
        return True
    sent = set(
        claim.documents.exclude(state=DocumentState.REJECTED).values_list(
            "evidence_kind", flat=True
        )
    )
    return needed <= sent


def checked_evidence(claim: Claim) -> list[Document] | None:
    """For each kind of evidence the benefit asks for, a document that passed checks:
    accepted by a caseworker, or by a named automated check. None when any kind has no
    such document: a file that was only received (however plausible) has passed nothing."""
    needed = list(claim.benefit.evidence_needed)
    accepted = {
        document.evidence_kind: document
        for document in claim.documents.filter(
            state=DocumentState.ACCEPTED, evidence_kind__in=needed
        ).order_by("decided_at", "pk")
    }
    if any(kind not in accepted for kind in needed):
        return None
    return [accepted[kind] for kind in needed]


def _evidence_lines(documents: list[Document]) -> list[str]:
    """What the decision says about the evidence it rests on, and who or what checked it."""
    if not documents:
        return [_("This benefit needs no documents.")]
    lines = [_("We used this evidence, which had been checked:")]
    for document in documents:
        on = date_format(timezone.localdate(document.decided_at), "j F Y")
        values = {"kind": document.evidence_kind, "name": document.original_name, "date": on}
        if document.automated_check:
            lines.append(
                _("%(kind)s (%(name)s): checked by %(check)s on %(date)s.")
                % {**values, "check": document.automated_check}
            )
        else:
            lines.append(_("%(kind)s (%(name)s): accepted by a caseworker on %(date)s.") % values)
    return lines


@transaction.atomic
def try_straight_through(*, claim_id: int) -> str:
    """Decide a claim without a caseworker when that is safe, or say why not.

    Only awards: the system never refuses, reduces or recovers on its own. Only on
    evidence that passed checks (``checked_evidence``): each document the benefit asks for
    accepted by a caseworker or by an automated check, which the decision names. The
    decision is attributed to the system, gives the rules' explanation and the evidence it
    rests on as its reasons, and a caseworker can review and reverse it
    (``reverse_automatic_award``).
    """
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("benefit", "customer")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or claim.status not in (S.SUBMITTED, S.IN_REVIEW):
        return "not open"
    if not claim.benefit.straight_through:
        return "benefit needs a caseworker"
    if claim.assigned_to_id is not None:
        return "a caseworker has it"
    if claim.decisions.exists():
        # Decided before (an automatic award a caseworker reversed): a person decides now.
        return "decided before"
    if not evidence_complete(claim):
        return "evidence incomplete"
    evidence = checked_evidence(claim)
    if evidence is None:
        # Sent, but not yet accepted by a caseworker or a named check: a person looks first.
        return "evidence not checked"
    result = claims.assess_claim(claim=claim)
    if result.verdict != Verdict.ELIGIBLE or result.amount is None or not result.amount:
        claims.record_event(
            claim, None, EventKind.NOTE,
            _("Not decided automatically: the rules need a caseworker (%(verdict)s).") % {"verdict": result.verdict},
            visible=False,
        )  # fmt: skip
        return "needs a caseworker"
    claims.award_claim(
        claim=claim, by=None,
        reasons="\n".join(str(line) for line in (*result.explanation, *_evidence_lines(evidence))),
    )  # fmt: skip
    claims.record_event(
        claim, None, EventKind.NOTE,
        _("Decided automatically: the evidence was complete and the rules were clear. A caseworker can review it."),
        visible=False,
    )  # fmt: skip
    return "awarded"


@transaction.atomic
def reverse_automatic_award(*, claim: Claim, by: User, reason: str) -> Claim:
    """A caseworker takes back an award the system made: the claim returns to review and
    payments not yet made are cancelled."""
    if not by.has_perm("benefits.decide_claims"):
        raise PermissionDenied(_("Only staff who decide claims can reverse a decision."))
    if not reason.strip():
        raise claims.ReasonNeeded(_("Say why the automatic decision is being reversed."))
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("customer", "benefit")
        .get(pk=claim.pk)
    )
    decision = locked.decisions.order_by("-decided_at").first()
    if locked.status != S.AWARDED or decision is None or decision.decided_by_id is not None:
        raise lifecycle.TransitionNotAllowed(locked, S.IN_REVIEW)
    if claims.claim_in_progress(customer=locked.customer, benefit=locked.benefit):
        # Back in review it would be a second claim in progress for the benefit.
        raise ValueError(
            _("The person has another claim for this benefit in progress: decide that one.")
        )
    locked.payments.filter(status="scheduled").update(status="cancelled")
    return lifecycle.transition(
        claim=locked, to=S.IN_REVIEW, by=by,
        reason=_("A caseworker is checking the decision we made automatically: %(reason)s")
        % {"reason": reason.strip()},
        reversal=True,
    )  # fmt: skip


@transaction.atomic
def review_change(*, claim: Claim, by: User, apply: bool, reason: str = "") -> Claim:
    """A caseworker decides what a reported change means for an award: work the award out
    again from the change's date (a new statement; the person is told), or record that it
    changes nothing. Either way the claim leaves the list of changes to review."""
    if not by.has_perm("benefits.decide_claims"):
        raise PermissionDenied(_("Only staff who decide claims can review a change."))
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.change_to_review_from is None:
        raise ValueError(_("There is no reported change to review on this claim."))
    if apply:
        if locked.status not in IN_PAYMENT or not locked.statements.exists():
            raise ValueError(_("Only an award can be worked out again; decide the claim instead."))
        claims.reassess_award(
            claim=locked, by=by, effective_from=locked.change_to_review_from,
            reason=reason or _("You told us about a change of circumstances."),
        )  # fmt: skip
    else:
        claims.record_event(locked, by, EventKind.NOTE,
                      _("Reported change reviewed: no change to the claim. %(reason)s") % {"reason": reason}, visible=False)  # fmt: skip
    Claim.objects.filter(pk=locked.pk).update(change_to_review_from=None)
    locked.refresh_from_db()
    return locked
