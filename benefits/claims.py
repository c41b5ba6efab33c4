"""Claim services: start or resume a draft, save answers, submit, withdraw.

Each is one transaction and records who acted. Submitting is idempotent: a double click,
the back button or a second tab all end with one submitted claim and one event.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Customer, User
from accounts.services import REFERENCE_ALPHABET
from benefits import lifecycle
from benefits.models import Benefit, Claim, ClaimStatus


class StaleDraft(Exception):
    """The draft changed since this page was opened (another tab): nothing was saved."""


class ClaimNotOpenOnline(Exception):
    pass


def new_claim_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"CL-{chars[:4]}-{chars[4:]}"


@transaction.atomic
def start_or_resume_draft(*, customer: Customer, benefit: Benefit, by: User) -> Claim:
    if not benefit.open_for_online_claims:
        raise ClaimNotOpenOnline(benefit.code)
    existing = Claim.objects.filter(
        customer=customer, benefit=benefit, status=ClaimStatus.DRAFT
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Claim.objects.create(customer=customer, benefit=benefit)
    except IntegrityError:
        # Two tabs pressed "apply" at once: the other one made the draft.
        return Claim.objects.get(customer=customer, benefit=benefit, status=ClaimStatus.DRAFT)


@transaction.atomic
def save_draft_answers(*, claim: Claim, answers: dict[str, Any], version: int, by: User) -> Claim:
    """Merge answers into the draft if nobody saved it since ``version`` was read."""
    updated = Claim.objects.filter(pk=claim.pk, status=ClaimStatus.DRAFT, version=version)
    locked = updated.select_for_update().first()
    if locked is None:
        raise StaleDraft(
            _("These answers were changed in another window. Check them before you continue.")
        )
    locked.answers = {**locked.answers, **answers}
    locked.version = version + 1
    locked.save(update_fields=["answers", "version", "updated_at"])
    return locked


@transaction.atomic
def submit_claim(*, claim: Claim, by: User) -> Claim:
    """Send the application. A second submit of the same draft returns the same claim."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status != ClaimStatus.DRAFT:
        return locked  # already sent: the double click or second tab changes nothing
    for _attempt in range(5):
        reference = new_claim_reference()
        if not Claim.objects.filter(reference=reference).exists():
            break
    return lifecycle.transition(
        claim=locked, to=ClaimStatus.SUBMITTED, by=by, reason=_("Application sent online"),
        extra_fields={"reference": reference, "submitted_at": timezone.now()},
    )  # fmt: skip


@transaction.atomic
def withdraw_claim(*, claim: Claim, by: User, reason: str = "") -> Claim:
    return lifecycle.transition(
        claim=claim,
        to=ClaimStatus.WITHDRAWN,
        by=by,
        reason=reason or _("Withdrawn by the customer"),
    )
