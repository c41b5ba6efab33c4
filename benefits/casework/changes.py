"""A caseworker's review of a reported change of circumstances on an award."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from benefits.claims import decisions as claim_decisions
from benefits.claims import timeline as claim_timeline
from benefits.claims.comparison import IN_PAYMENT
from benefits.models import Claim, EventKind


@transaction.atomic(durable=True)
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
        claim_decisions.reassess_award(
            claim=locked, by=by, effective_from=locked.change_to_review_from,
            reason=reason or _("You told us about a change of circumstances."),
        )  # fmt: skip
    else:
        claim_timeline.record_event(claim=locked, by=by, kind=EventKind.NOTE,
                      reason=_("Reported change reviewed: no change to the claim. %(reason)s") % {"reason": reason}, visible=False)  # fmt: skip
    Claim.objects.filter(pk=locked.pk).update(change_to_review_from=None)
    locked.refresh_from_db()
    return locked
