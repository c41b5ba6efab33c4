"""Straight-through decisions: a claim whose evidence is complete and checked is decided
without waiting for a caseworker, and a caseworker can reverse it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims import timeline as claim_timeline
from benefits.models import Claim, ClaimStatus, Document, DocumentState, EventKind
from benefits.rules.base import Verdict

# --- Straight-through processing ------------------------------------------------------------


S = ClaimStatus
log = logging.getLogger(__name__)


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


@transaction.atomic(durable=True)
def try_straight_through(*, claim_id: int) -> str:
    """Decide a claim without a caseworker when that is safe, or say why not; either way
    the claim's check is no longer due (``requeue_missed_checks``).

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
    if claim is None:
        return "not open"
    outcome = _decide_if_clear(claim)
    # Under the claim's lock: a change that makes a check due again (new evidence) waits for
    # this transaction, then records its own due check.
    Claim.objects.filter(pk=claim.pk).update(straight_through_due_at=None)
    return outcome


def _decide_if_clear(claim: Claim) -> str:
    if claim.status not in (S.SUBMITTED, S.IN_REVIEW):
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
    result = claim_decisions.assess_claim(claim=claim)
    if result.verdict != Verdict.ELIGIBLE or result.amount is None or not result.amount:
        claim_timeline.record_event(
            claim=claim, by=None, kind=EventKind.NOTE,
            reason=_("Not decided automatically: the rules need a caseworker (%(verdict)s).") % {"verdict": result.verdict},
            visible=False,
        )  # fmt: skip
        return "needs a caseworker"
    claim_decisions.award_claim(
        claim=claim, by=None,
        reasons="\n".join(str(line) for line in (*result.explanation, *_evidence_lines(evidence))),
    )  # fmt: skip
    claim_timeline.record_event(
        claim=claim, by=None, kind=EventKind.NOTE,
        reason=_("Decided automatically: the evidence was complete and the rules were clear. A caseworker can review it."),
        visible=False,
    )  # fmt: skip
    return "awarded"


# A check is queued at once when it becomes due; this is how long that gets to run before
# the re-queue job (beat, every minute) queues it again. Long enough that a busy queue is not
# filled with copies of checks still waiting their turn; a copy that runs is harmless.
REQUEUE_AFTER = timedelta(minutes=2)
REQUEUE_BATCH = 1000
# The task that runs a check, sent by name (the tasks module imports this one).
PROCESS_CLAIM = "benefits.tasks.process_claim"


def requeue_missed_checks(*, now: datetime | None = None) -> int:
    """Queue the straight-through checks that have been due for longer than
    ``REQUEUE_AFTER`` (their request could not be queued, or the broker lost it); returns
    how many were queued. A check that runs twice decides nothing twice."""
    now = now or timezone.now()
    due = list(
        Claim.objects.filter(straight_through_due_at__lte=now - REQUEUE_AFTER)
        .order_by("straight_through_due_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for queued, claim_id in enumerate(due):
        try:
            current_app.send_task(PROCESS_CLAIM, args=(claim_id,), retry=False)
        except Exception:
            log.warning("Could not queue %s straight-through checks; the next run will", len(due))
            return queued
    return len(due)


@transaction.atomic(durable=True)
def reverse_automatic_award(*, claim: Claim, by: User, reason: str) -> Claim:
    """A caseworker takes back an award the system made: the claim returns to review and
    payments not yet made are cancelled."""
    if not by.has_perm("benefits.decide_claims"):
        raise PermissionDenied(_("Only staff who decide claims can reverse a decision."))
    if not reason.strip():
        raise claim_decisions.ReasonNeeded(_("Say why the automatic decision is being reversed."))
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("customer", "benefit")
        .get(pk=claim.pk)
    )
    decision = locked.decisions.order_by("-decided_at").first()
    if locked.status != S.AWARDED or decision is None or decision.decided_by_id is not None:
        raise lifecycle.TransitionNotAllowed(locked, S.IN_REVIEW)
    if applications.claim_in_progress(customer=locked.customer, benefit=locked.benefit):
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
