"""Applying: drafts, sending (idempotent: a double click, the back button or a second tab all
end with one claim), the answers it records as facts, the profile it offers to update, and
withdrawing. Each service is one transaction and writes the claim's timeline.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import versions
from accounts.models import Customer, FactKind, FactSource, User
from accounts.services import (
    REFERENCE_ALPHABET,
    record_bank_account,
    record_fact,
    update_contact_details,
    update_personal_details,
)
from benefits import assessment as snapshot
from benefits.claims import lifecycle, signals
from benefits.claims.apply import engine
from benefits.claims.payments import nation_of
from benefits.claims.timeline import record_event
from benefits.models import (
    IN_PROGRESS,
    ONE_IN_PROGRESS,
    Benefit,
    Claim,
    ClaimStatus,
    EventKind,
)
from benefits.rules.base import (
    add_working_days,
)

logger = logging.getLogger(__name__)


class StaleDraft(Exception):
    """The draft changed since this page was opened (another tab): nothing was saved."""


class ClaimNotOpenOnline(Exception):
    pass


class ClaimInProgress(Exception):
    """The person already has a claim for this benefit in progress (``claim``): a second
    one cannot be started, sent or reopened. The message says so, for the person."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        super().__init__(
            _(
                "You already have a %(benefit)s claim in progress, so you cannot send another "
                "one. You can see where it is up to on your claim page."
            )
            % {"benefit": claim.benefit.name}
        )


def priority_for(customer: Customer) -> int:
    """Where a sent claim sits in the queue: extra support first, then accessibility needs."""
    if customer.needs_extra_support:
        return 2
    return 1 if customer.accessibility_needs else 0


def claim_in_progress(*, customer: Customer, benefit: Benefit) -> Claim | None:
    """The person's claim for ``benefit`` that is a draft or sent and not yet decided."""
    return (
        Claim.objects.filter(customer=customer, benefit=benefit, status__in=IN_PROGRESS)
        .select_related("benefit")
        .first()
    )


def other_claim_in_progress(claim: Claim) -> Claim | None:
    return (
        Claim.objects.filter(
            customer_id=claim.customer_id, benefit_id=claim.benefit_id, status__in=IN_PROGRESS
        )
        .exclude(pk=claim.pk)
        .select_related("benefit")
        .first()
    )


def is_second_claim(exc: IntegrityError) -> bool:
    return ONE_IN_PROGRESS in str(exc)


def new_claim_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"CL-{chars[:4]}-{chars[4:]}"


@transaction.atomic(durable=True)
def start_or_resume_draft(*, customer: Customer, benefit: Benefit, by: User) -> Claim:
    """The person's claim for ``benefit`` in progress, or a new draft when there is none.

    "Apply" continues what is under way: the draft to carry on filling in, or the claim
    already sent (the caller shows where it is up to; its status is not "draft")."""
    if not benefit.open_for_online_claims:
        raise ClaimNotOpenOnline(benefit.code)
    existing = claim_in_progress(customer=customer, benefit=benefit)
    if existing:
        return existing
    try:
        with transaction.atomic():
            draft = Claim.objects.create(customer=customer, benefit=benefit)
    except IntegrityError as exc:
        if not is_second_claim(exc):
            raise
        # Two tabs pressed "apply" at once (or another claim was sent or reopened meanwhile).
        return claim_in_progress(customer=customer, benefit=benefit)
    versions.bump(user_id=customer.user_id)  # "Finish your … application" on Your services
    return draft


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def submit_claim(*, claim: Claim, by: User) -> Claim:
    """Send the application. A second submit of the same draft returns the same claim; a
    draft for a benefit the person already has a claim in progress for raises
    ``ClaimInProgress`` and nothing is sent."""
    locked = (
        Claim.objects.select_for_update(of=("self",)).select_related("benefit").get(pk=claim.pk)
    )
    if locked.status != ClaimStatus.DRAFT:
        return locked  # already sent: the double click or second tab changes nothing
    other = other_claim_in_progress(locked)
    if other is not None:
        raise ClaimInProgress(other)
    for _attempt in range(5):
        reference = new_claim_reference()
        if not Claim.objects.filter(reference=reference).exists():
            break
    answers = engine.relevant_answers(locked.benefit.code, locked.answers)
    locked.reference = reference
    _record_answers_as_facts(claim=locked, answers=answers, by=by)

    ask_for_a_decision(locked.pk)
    return lifecycle.transition(
        claim=locked, to=ClaimStatus.SUBMITTED, by=by, reason=_("Application sent online"),
        extra_fields={
            "reference": reference, "submitted_at": timezone.now(), "answers": answers,
            "answers_sha256": answers_checksum(answers),
            "due_by": add_working_days(
                timezone.localdate(), locked.benefit.service_level_days, nation_of(locked.customer)
            ),
            "priority": priority_for(locked.customer),
        },
    )  # fmt: skip


def _record_answers_as_facts(*, claim: Claim, answers: dict[str, Any], by: User) -> None:
    """Tell us once: what the application says about the person's circumstances becomes
    their record from today, so the next application, a change and the caseworker all
    start from it."""
    today = timezone.localdate()
    paths = engine.household_paths(claim.benefit.code, answers)
    if paths.get("has_partner") is not None:
        record_fact(
            customer=claim.customer, kind=FactKind.RELATIONSHIP_STATUS,
            value="couple" if paths["has_partner"] else "single", effective_from=today, by=by,
            source=FactSource.APPLICATION, note=claim.reference or "",
        )  # fmt: skip
    children = snapshot.children_fact_with(customer=claim.customer, on=today, answers=paths)
    if children is not None:
        paths = {**paths, "children": children}
    for path, value in paths.items():
        kind = snapshot.fact_kind_for(path)
        if kind is not None and value is not None:
            record_fact(
                customer=claim.customer, kind=kind, value=value, effective_from=today, by=by,
                source=FactSource.APPLICATION, note=claim.reference or "",
            )  # fmt: skip
    if all(answers.get(k) for k in ("account_name", "sort_code", "account_number")):
        # The account to pay into, told once: the next application starts from it. A
        # person can only have changed an account we already held after giving their
        # password again (the question pages ask for it).
        record_bank_account(
            customer=claim.customer, by=by, account_name=answers["account_name"],
            sort_code=answers["sort_code"], account_number=answers["account_number"],
            source=FactSource.APPLICATION, note=claim.reference or "",
        )  # fmt: skip


@transaction.atomic(durable=True)
def update_profile_from_claim(*, claim: Claim, by: User, slugs: set[str]) -> Customer:
    """The person confirmed that their sent application's details (``slugs`` of
    ``profile.IDENTITY``) should update their profile: write them through the accounts
    services. A NI number already on someone else's record is kept for a caseworker to
    check, as on the profile page, and never said so."""
    from benefits.claims.apply.profile import split_address, split_name

    if claim.status == ClaimStatus.DRAFT:
        raise ValueError("Only a sent application's answers update the profile.")
    customer = Customer.objects.select_for_update().get(pk=claim.customer_id)
    answers = claim.answers
    if slugs & {"full_name", "date_of_birth", "ni_number"}:
        given, family = (
            split_name(answers["full_name"]) if "full_name" in slugs
            else (customer.legal_given_names, customer.legal_family_name)
        )  # fmt: skip
        update_personal_details(
            customer=customer, by=by, legal_given_names=given, legal_family_name=family,
            preferred_name=customer.preferred_name,
            date_of_birth=(
                date.fromisoformat(answers["date_of_birth"]) if "date_of_birth" in slugs
                else customer.date_of_birth
            ),
            ni_number=answers["ni_number"] if "ni_number" in slugs else customer.ni_number or "",
        )  # fmt: skip
    if slugs & {"address", "phone"}:
        address = (
            split_address(answers["address"]) if "address" in slugs
            else {"address_line_1": customer.address_line_1,
                  "address_line_2": customer.address_line_2,
                  "town": customer.town, "postcode": customer.postcode}
        )  # fmt: skip
        update_contact_details(
            customer=customer, by=by, phone=answers["phone"] if "phone" in slugs else customer.phone,
            **address,
        )  # fmt: skip
    record_event(
        claim=claim, by=by, kind=EventKind.INFORMATION, visible=True,
        reason=_("You updated your profile with details from this application."),
    )  # fmt: skip
    return customer


def ask_for_a_decision(claim_id: int) -> None:
    """In the caller's transaction: a sent claim may now be decided without a caseworker (it
    was sent, or evidence arrived or was accepted). The claim records that a check is due,
    with the change that caused it; once that commits, casework is asked to check at once.

    If the request cannot be queued (the broker is down) or is lost, the record stays and
    casework's re-queue job finds it: no claim waits for a caseworker because of an outage.
    """
    Claim.objects.filter(pk=claim_id).update(straight_through_due_at=timezone.now())
    transaction.on_commit(lambda: process_soon(claim_id))


def process_soon(claim_id: int) -> None:
    """Announce, after commit, that a sent claim may now be decided without a caseworker
    (casework listens and queues straight-through processing). A failure is logged: the
    claim's due check (``ask_for_a_decision``) is queued again later."""
    for receiver, result in signals.may_be_decided.send_robust(sender=Claim, claim_id=claim_id):
        if isinstance(result, Exception):
            logger.warning("Could not queue claim %s for processing (%s)", claim_id, receiver)


def answers_checksum(answers: dict[str, Any]) -> str:
    """SHA-256 of the answers as sent (canonical JSON): the submission's receipt."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic(durable=True)
def withdraw_claim(*, claim: Claim, by: User, reason: str = "") -> Claim:
    return lifecycle.transition(
        claim=claim,
        to=ClaimStatus.WITHDRAWN,
        by=by,
        reason=reason or _("Withdrawn by the customer"),
    )
