"""Claim services: everything that changes a claim, for citizens, caseworkers and the system.

Drafts, submitting, withdrawing, evidence, requests for information, decisions, award
statements, payments and reconsiderations. Each is one transaction, records who acted in
the claim's timeline and tells the person through ``notifications``. Submitting is
idempotent: a double click, the back button or a second tab all end with one claim.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Customer, FactKind, FactSource, User
from accounts.services import (
    REFERENCE_ALPHABET,
    record_bank_account,
    record_fact,
    update_contact_details,
    update_personal_details,
)
from benefits import award_facts, lifecycle, snapshot
from benefits.apply import engine
from benefits.models import (
    IN_PROGRESS,
    ONE_IN_PROGRESS,
    AwardStatement,
    Benefit,
    CaseNote,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Decision,
    DecisionOutcome,
    Document,
    DocumentState,
    EventKind,
    InformationRequest,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from benefits.rules.base import (
    Nation,
    Period,
    Result,
    Verdict,
    add_months,
    add_working_days,
    gbp,
    money,
    nation_for_postcode,
    working_day_on_or_after,
    working_day_on_or_before,
)
from benefits.services import assess_household
from benefits.uploads import check_upload, strip_metadata
from notifications.models import NotificationKind
from notifications.services import notify


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


def claim_in_progress(*, customer: Customer, benefit: Benefit) -> Claim | None:
    """The person's claim for ``benefit`` that is a draft or sent and not yet decided."""
    return (
        Claim.objects.filter(customer=customer, benefit=benefit, status__in=IN_PROGRESS)
        .select_related("benefit")
        .first()
    )


def _other_claim_in_progress(claim: Claim) -> Claim | None:
    return (
        Claim.objects.filter(
            customer_id=claim.customer_id, benefit_id=claim.benefit_id, status__in=IN_PROGRESS
        )
        .exclude(pk=claim.pk)
        .select_related("benefit")
        .first()
    )


def _is_second_claim(exc: IntegrityError) -> bool:
    return ONE_IN_PROGRESS in str(exc)


def new_claim_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"CL-{chars[:4]}-{chars[4:]}"


@transaction.atomic
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
            return Claim.objects.create(customer=customer, benefit=benefit)
    except IntegrityError as exc:
        if not _is_second_claim(exc):
            raise
        # Two tabs pressed "apply" at once (or another claim was sent or reopened meanwhile).
        return claim_in_progress(customer=customer, benefit=benefit)


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
    """Send the application. A second submit of the same draft returns the same claim; a
    draft for a benefit the person already has a claim in progress for raises
    ``ClaimInProgress`` and nothing is sent."""
    locked = (
        Claim.objects.select_for_update(of=("self",)).select_related("benefit").get(pk=claim.pk)
    )
    if locked.status != ClaimStatus.DRAFT:
        return locked  # already sent: the double click or second tab changes nothing
    other = _other_claim_in_progress(locked)
    if other is not None:
        raise ClaimInProgress(other)
    for _attempt in range(5):
        reference = new_claim_reference()
        if not Claim.objects.filter(reference=reference).exists():
            break
    answers = engine.relevant_answers(locked.benefit.code, locked.answers)
    locked.reference = reference
    _record_answers_as_facts(claim=locked, answers=answers, by=by)
    from benefits import casework

    transaction.on_commit(lambda: _process_soon(locked.pk))
    return lifecycle.transition(
        claim=locked, to=ClaimStatus.SUBMITTED, by=by, reason=_("Application sent online"),
        extra_fields={
            "reference": reference, "submitted_at": timezone.now(), "answers": answers,
            "answers_sha256": answers_checksum(answers),
            "due_by": add_working_days(
                timezone.localdate(), locked.benefit.service_level_days, nation_of(locked.customer)
            ),
            "priority": casework.priority_for(locked.customer),
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


@transaction.atomic
def update_profile_from_claim(*, claim: Claim, by: User, slugs: set[str]) -> Customer:
    """The person confirmed that their sent application's details (``slugs`` of
    ``profile.IDENTITY``) should update their profile: write them through the accounts
    services. A NI number already on someone else's record is kept for a caseworker to
    check, as on the profile page, and never said so."""
    from benefits.apply.profile import split_address, split_name

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


def _process_soon(claim_id: int) -> None:
    """Ask a worker to see whether the claim can be decided straight through. If the
    broker is down the claim simply waits in the queue for a caseworker."""
    import logging

    from benefits.tasks import process_claim

    try:
        process_claim.apply_async((claim_id,), retry=False)
    except Exception:
        logging.getLogger(__name__).warning("Could not queue claim %s for processing", claim_id)


def answers_checksum(answers: dict[str, Any]) -> str:
    """SHA-256 of the answers as sent (canonical JSON): the submission's receipt."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def withdraw_claim(*, claim: Claim, by: User, reason: str = "") -> Claim:
    return lifecycle.transition(
        claim=claim,
        to=ClaimStatus.WITHDRAWN,
        by=by,
        reason=reason or _("Withdrawn by the customer"),
    )


# --- Evidence -----------------------------------------------------------------------------------

CAN_ADD_EVIDENCE = {ClaimStatus.DRAFT, *lifecycle.OPEN}


class ClaimClosedForEvidence(Exception):
    pass


@transaction.atomic
def add_document(
    *,
    claim: Claim,
    by: User,
    uploaded: UploadedFile,
    evidence_kind: str,
    information_request: InformationRequest | None = None,
) -> Document:
    """Check an upload by its content, keep it privately and give the person a receipt.

    Raises ``UploadRejected`` (with the sentence to show) and keeps nothing when the file
    is not acceptable.
    """
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status not in CAN_ADD_EVIDENCE:
        raise ClaimClosedForEvidence(_("You can no longer send documents for this claim."))
    checked = check_upload(uploaded)
    document = Document(
        claim=locked, information_request=information_request, evidence_kind=evidence_kind[:200],
        original_name=checked.original_name, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by=by,
    )  # fmt: skip
    # Photos lose their location and camera data before anyone else can open them.
    uploaded.seek(0)
    content = strip_metadata(checked.content_type, uploaded.read())
    document.stored_sha256 = hashlib.sha256(content).hexdigest()
    document.file.save(checked.stored_name, ContentFile(content), save=False)
    stored = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    record_event(
        locked,
        by,
        EventKind.DOCUMENT,
        _("Document received: %(name)s") % {"name": checked.original_name},
    )
    if locked.status in (ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW):
        transaction.on_commit(lambda: _process_soon(locked.pk))  # the evidence may be complete now
    return document


@transaction.atomic
def mark_document_seen(*, document: Document, by: User) -> Document:
    """The first time a caseworker opens a document, its receipt says so."""
    Document.objects.filter(pk=document.pk, state=DocumentState.RECEIVED).update(
        state=DocumentState.SEEN, seen_at=timezone.now()
    )
    document.refresh_from_db()
    return document


@transaction.atomic
def decide_document(*, document: Document, by: User, accepted: bool, reason: str = "") -> Document:
    if not accepted and not reason.strip():
        raise ValueError(_("Say why the document was not accepted."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    now = timezone.now()
    document.state = DocumentState.ACCEPTED if accepted else DocumentState.REJECTED
    document.state_reason = reason.strip()[:500]
    document.automated_check = ""  # a caseworker's decision is the one that counts now
    document.seen_at = document.seen_at or now
    document.decided_at = now
    document.save(
        update_fields=["state", "state_reason", "automated_check", "seen_at", "decided_at"]
    )
    text = (
        _("Document accepted: %(name)s") if accepted else _("Document not accepted: %(name)s")
    ) % {"name": document.original_name}
    record_event(
        document.claim,
        by,
        EventKind.DOCUMENT,
        f"{text}. {document.state_reason}".strip(". ") if reason else text,
    )
    if not accepted:
        notify(
            customer=document.claim.customer, kind=NotificationKind.STATUS,
            title=gettext_lazy("We could not accept a document you sent"),
            body=document.state_reason, link=reverse("claims:detail", args=[document.claim_id]),
        )  # fmt: skip
    elif document.claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW):
        claim_id = document.claim_id
        transaction.on_commit(lambda: _process_soon(claim_id))  # the evidence may be checked now
    return document


@transaction.atomic
def record_automated_check(
    *, document: Document, check: str, passed: bool, detail: str = ""
) -> Document:
    """The outcome of an automated check of a document (a data match, a verification
    service), named by ``check``, which a decision made on it will name too.

    A pass accepts a document nobody has decided yet. A failure decides nothing: the
    system never rejects evidence on its own (no adverse decision without a human), so the
    document waits for a caseworker, with a note for staff saying what the check found.
    """
    check = check.strip()[:200]
    if not check:
        raise ValueError("An automated check must be named.")
    document = Document.objects.select_for_update().select_related("claim").get(pk=document.pk)
    undecided = document.state in (DocumentState.RECEIVED, DocumentState.SEEN)
    if not passed or not undecided:
        if not passed:
            CaseNote.objects.create(
                claim=document.claim, by=None,
                text=_("Automated check “%(check)s” did not pass for %(name)s. %(detail)s")
                % {"check": check, "name": document.original_name, "detail": detail},
            )  # fmt: skip
        return document
    document.state = DocumentState.ACCEPTED
    document.automated_check = check
    document.decided_at = timezone.now()
    document.save(update_fields=["state", "automated_check", "decided_at"])
    record_event(
        document.claim, None, EventKind.DOCUMENT,
        _("Document accepted: %(name)s (checked automatically: %(check)s)")
        % {"name": document.original_name, "check": check},
    )  # fmt: skip
    if document.claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW):
        claim_id = document.claim_id
        transaction.on_commit(lambda: _process_soon(claim_id))
    return document


# --- Requests for information --------------------------------------------------------------------


@transaction.atomic
def request_information(*, claim: Claim, by: User, what: str, due_on: date) -> InformationRequest:
    """Ask the person for something: a task on their to-do list and a notification.

    The reply-by date is a working day in the person's nation."""
    what = what.strip()
    if not what:
        raise ValueError(_("Say what information is needed."))
    if due_on < timezone.localdate():
        raise ValueError(_("The reply-by date must be today or in the future."))
    locked = (
        Claim.objects.select_for_update().select_related("benefit", "customer").get(pk=claim.pk)
    )
    # A reply due on a weekend or bank holiday is due on the next working day instead.
    due_on = working_day_on_or_after(due_on, nation_of(locked.customer))
    reason = _("%(what)s Please reply by %(date)s.") % {
        "what": what, "date": date_format(due_on, "j F Y"),
    }  # fmt: skip
    if locked.status == ClaimStatus.INFORMATION_REQUESTED:
        record_event(locked, by, EventKind.INFORMATION, reason)
        notify(
            customer=locked.customer, kind=NotificationKind.STATUS,
            title=lifecycle.TOLD[ClaimStatus.INFORMATION_REQUESTED], body=reason,
            params={"benefit": locked.benefit.name},
            link=reverse("claims:detail", args=[locked.pk]),
        )  # fmt: skip
    else:
        lifecycle.transition(
            claim=locked, to=ClaimStatus.INFORMATION_REQUESTED, by=by, reason=reason
        )
    return InformationRequest.objects.create(
        claim=locked, what_is_needed=what, due_on=due_on, requested_by=by
    )


class NothingToSend(ValueError):
    pass


@transaction.atomic
def answer_information_request(
    *, request: InformationRequest, by: User, answer: str, documents: list[Document] = ()
) -> InformationRequest:
    """The person's reply. When nothing else is outstanding, the claim goes back to review."""
    locked = (
        InformationRequest.objects.select_for_update().select_related("claim").get(pk=request.pk)
    )
    if locked.answered_at is not None:
        return locked  # a second click of "send" changes nothing
    answer = answer.strip()
    if not answer and not documents:
        raise NothingToSend(_("Enter your answer or choose a file to send"))
    locked.answer = answer[:4000]
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_at"])
    claim = locked.claim
    record_event(claim, by, EventKind.INFORMATION, _("You sent the information we asked for."))
    outstanding = claim.information_requests.filter(answered_at__isnull=True).exists()
    if not outstanding and claim.status == ClaimStatus.INFORMATION_REQUESTED:
        lifecycle.transition(
            claim=claim, to=ClaimStatus.IN_REVIEW, by=by,
            reason=_("We have what we asked for and will carry on with your claim."),
        )  # fmt: skip
    return locked


# --- Decisions, award statements and payments ------------------------------------------------


def assess_claim(*, claim: Claim, on: date | None = None) -> Result:
    """What the rules say about this claim: the person's circumstances with the claim's
    answers laid over them, on ``on`` (the day the claim was sent, by default)."""
    on = (
        on
        or (claim.submitted_at and timezone.localdate(claim.submitted_at))
        or timezone.localdate()
    )
    # The record, as known now, on that date: what the application said was recorded as
    # facts when it was sent, and anything told since from that date wins over it. The
    # answers fill only what the record does not hold for that date.
    household = snapshot.household_for_customer(
        customer=claim.customer, on=on,
        defaults=engine.household_paths(claim.benefit.code, claim.answers),
    )  # fmt: skip
    assessment = assess_household(household=household, on=on)
    return next(r for r in assessment.results if r.benefit == claim.benefit.code)


def _elements(result: Result) -> list[dict[str, object]]:
    return [
        {
            "code": e.code,
            "label": str(e.label),
            "amount": str(e.amount),
            "period": str(e.period),
            "rule": e.rule,
            "rate": e.rate,
            "note": str(e.note),
        }
        for e in getattr(result, "elements", ())
    ]


def _issue_statement(
    *,
    claim: Claim,
    by: User | None,
    amount: Decimal,
    period: str,
    elements: list[dict[str, object]],
    reason: str,
    effective_from: date,
    adjustment_reason: str = "",
    internal_note: str = "",
) -> AwardStatement:
    """A new statement version. ``reason`` and ``adjustment_reason`` are for the person;
    ``internal_note`` is for staff and is kept apart (a ``CaseNote``), never on the statement."""
    last = claim.statements.order_by("-version").values_list("version", flat=True).first() or 0
    statement = AwardStatement.objects.create(
        claim=claim, version=last + 1, effective_from=effective_from, amount=amount, period=period,
        elements=elements, reason=reason, adjustment_reason=adjustment_reason, issued_by=by,
    )  # fmt: skip
    if internal_note.strip():
        CaseNote.objects.create(claim=claim, statement=statement, by=by, text=internal_note.strip())
    # Every statement is issued here: what the award pays goes on the person's record from
    # its date, so the rules that depend on it (Pension Credit, Carer's Allowance, UC) count it.
    award_facts.record_award(claim=claim, statement=statement, by=by)
    record_event(claim, by, EventKind.STATEMENT, _("Award statement %(version)d issued: %(reason)s") % {
        "version": statement.version, "reason": reason,
    })  # fmt: skip
    _schedule_payments(claim=claim, statement=statement)
    return statement


def _adjusted(
    elements: list[dict[str, object]],
    rules_amount: Decimal | None,
    amount: Decimal,
    period: str,
    reason: str,
) -> list[dict[str, object]]:
    """A caseworker's change to the rules' amount is its own line, with the reason the
    person is given (never the caseworker's internal note)."""
    if rules_amount is not None and amount == rules_amount:
        return elements
    base = rules_amount or Decimal("0.00")
    return [*elements, {
        "code": "adjustment", "label": str(gettext_lazy("Adjustment by a caseworker")),
        "amount": str((amount - base).quantize(Decimal("0.01"))), "period": period,
        "rule": str(gettext_lazy("Decision maker’s discretion")), "rate": "", "note": reason,
    }]  # fmt: skip


class ReasonNeeded(ValueError):
    pass


@transaction.atomic
def award_claim(
    *,
    claim: Claim,
    by: User | None,
    reasons: str = "",
    amount: Decimal | None = None,
    adjustment_reason: str = "",
    internal_note: str = "",
    on: date | None = None,
) -> Decision:
    """Award the claim at the rules' amount, or another amount with the reason the person
    is given (``adjustment_reason``: an "adjustment" line on their statement). Anything
    for staff only goes in ``internal_note``, which the person never sees."""
    result = assess_claim(claim=claim, on=on)
    rules_amount = result.amount if result.verdict == Verdict.ELIGIBLE else None
    period = str(result.period or default_period(claim))
    if amount is None:
        if rules_amount is None:
            raise ReasonNeeded(_("The rules did not give an amount: enter one, with the reason."))
        amount = rules_amount
    elif amount != rules_amount and not adjustment_reason.strip():
        raise ReasonNeeded(
            _("Say, in words for the person, why the amount differs from the rules' amount.")
        )
    given = reasons.strip()
    reasons = given or "\n".join(str(line) for line in result.explanation)
    summary = given or _(
        "You meet the conditions. Your award statement shows how we worked out the amount."
    )
    locked = lifecycle.transition(claim=claim, to=ClaimStatus.AWARDED, by=by, reason=summary)
    adjustment_reason = adjustment_reason.strip() if amount != rules_amount else ""
    elements = _adjusted(_elements(result), rules_amount, amount, period, adjustment_reason)
    statement = _issue_statement(
        claim=locked, by=by, amount=amount, period=period, elements=elements,
        reason=_("Your claim was awarded."), effective_from=timezone.localdate(locked.submitted_at),
        adjustment_reason=adjustment_reason, internal_note=internal_note,
    )  # fmt: skip
    return Decision.objects.create(
        claim=locked, outcome=DecisionOutcome.AWARDED, reasons=reasons, decided_by=by,
        challenge_by=challenge_deadline(timezone.localdate()), statement=statement,
    )  # fmt: skip


@transaction.atomic
def refuse_claim(*, claim: Claim, by: User, reasons: str) -> Decision:
    if not reasons.strip():
        raise ReasonNeeded(_("Give the reasons for refusing, in plain words."))
    locked = lifecycle.transition(
        claim=claim, to=ClaimStatus.REFUSED, by=by, reason=reasons.strip()
    )
    return Decision.objects.create(
        claim=locked, outcome=DecisionOutcome.REFUSED, reasons=reasons.strip(), decided_by=by,
        challenge_by=challenge_deadline(timezone.localdate()),
    )  # fmt: skip


@transaction.atomic
def revise_award(
    *,
    claim: Claim,
    by: User | None,
    amount: Decimal,
    reason: str,
    effective_from: date,
    elements: list[dict[str, object]] | None = None,
    internal_note: str = "",
) -> AwardStatement:
    """A change to an award: a new statement version; the earlier ones stay as they were.
    ``reason`` is for the person; ``internal_note`` for staff only."""
    if not reason.strip():
        raise ReasonNeeded(_("Say why the award changed."))
    locked = (
        Claim.objects.select_for_update().select_related("customer", "benefit").get(pk=claim.pk)
    )
    current = locked.statements.order_by("-version").first()
    if current is None:
        raise ValueError("Only an awarded claim has a statement to revise.")
    adjusted = elements is None and amount != current.amount
    statement = _issue_statement(
        claim=locked, by=by, amount=amount, period=current.period,
        elements=elements if elements is not None else _adjusted(
            current.elements, current.amount, amount, current.period, reason.strip()),
        reason=reason.strip(), effective_from=effective_from,
        adjustment_reason=reason.strip() if adjusted else "", internal_note=internal_note,
    )  # fmt: skip
    notify(
        customer=locked.customer, kind=NotificationKind.STATUS,
        title=gettext_lazy("Your %(benefit)s award has changed"), body=reason.strip(),
        params={"benefit": locked.benefit.name}, link=reverse("claims:detail", args=[locked.pk]),
    )  # fmt: skip
    return statement


# How often a benefit is paid when the rules could not say (they gave no amount).
MONTHLY = {"universal_credit", "bereavement_support"}


def default_period(claim: Claim) -> str:
    return str(Period.MONTH if claim.benefit.code in MONTHLY else Period.WEEK)


@transaction.atomic
def reassess_award(
    *, claim: Claim, by: User | None, reason: str, effective_from: date
) -> AwardStatement:
    """A change of circumstances: the rules worked out again for ``effective_from``, with
    the person's circumstances in force then, as a new statement version."""
    if not reason.strip():
        raise ReasonNeeded(_("Say why the award changed."))
    claim = Claim.objects.select_related("benefit", "customer").get(pk=claim.pk)
    result = assess_claim(claim=claim, on=effective_from)
    if result.verdict != Verdict.ELIGIBLE or result.amount is None:
        raise ReasonNeeded(
            _("The rules could not work out an amount for that date: a caseworker must decide it.")
        )
    return revise_award(
        claim=claim, by=by, amount=result.amount, reason=reason, effective_from=effective_from,
        elements=_elements(result),
    )  # fmt: skip


def challenge_deadline(decided_on: date) -> date:
    """The last day to ask for a mandatory reconsideration: one calendar month on."""
    return add_months(decided_on, 1)


class TooLate(ValueError):
    pass


@transaction.atomic
def request_reconsideration(*, claim: Claim, by: User, reason: str) -> Claim:
    if not reason.strip():
        raise ReasonNeeded(_("Tell us why you think the decision is wrong"))
    decision = claim.decisions.order_by("-decided_at").first()
    if decision is None or timezone.localdate() > decision.challenge_by:
        raise TooLate(
            _(
                "The month to ask online has passed. Call us: we can still look at it if there was a good reason for the delay."
            )
        )
    other = _other_claim_in_progress(claim)
    if other is not None:
        raise ClaimInProgress(other)
    try:
        with transaction.atomic():
            return lifecycle.transition(
                claim=claim, to=ClaimStatus.RECONSIDERATION_REQUESTED, by=by,
                reason=reason.strip()[:4000],
            )  # fmt: skip
    except IntegrityError as exc:
        if not _is_second_claim(exc):
            raise
        # A new application for the benefit was started at the same moment.
        raise ClaimInProgress(_other_claim_in_progress(claim) or claim) from exc


@transaction.atomic
def decide_reconsideration(
    *, claim: Claim, by: User, changed: bool, reasons: str, amount: Decimal | None = None
) -> Decision:
    if not reasons.strip():
        raise ReasonNeeded(_("Give the reasons for the reconsideration decision."))
    locked = lifecycle.transition(
        claim=claim, to=ClaimStatus.RECONSIDERED, by=by, reason=reasons.strip()
    )
    statement = None
    if changed and amount is None and locked.statements.exists():
        statement = reassess_award(
            claim=locked, by=by, reason=reasons.strip(),
            effective_from=locked.statements.order_by("version").first().effective_from,
        )  # fmt: skip
    elif changed and (amount is not None or locked.status == ClaimStatus.RECONSIDERED):
        if locked.statements.exists():
            statement = revise_award(
                claim=locked, by=by, amount=amount, reason=reasons.strip(),
                effective_from=locked.statements.order_by("version").first().effective_from,
            )  # fmt: skip
        else:
            result = assess_claim(claim=locked)
            period = str(result.period or default_period(claim))
            rules_amount = result.amount if result.verdict == Verdict.ELIGIBLE else None
            if amount is None and rules_amount is None:
                # A refusal overturned but the rules cannot price it: no statement until a
                # caseworker enters the amount (revise_award), as with any award.
                return Decision.objects.create(
                    claim=locked, outcome=DecisionOutcome.REVISED, reasons=reasons.strip(),
                    decided_by=by, challenge_by=challenge_deadline(timezone.localdate()),
                )  # fmt: skip
            amount = rules_amount if amount is None else amount
            statement = _issue_statement(
                claim=locked, by=by, amount=amount, period=period,
                elements=_adjusted(_elements(result), rules_amount, amount, period, reasons.strip()),
                reason=reasons.strip(), effective_from=timezone.localdate(locked.submitted_at),
                adjustment_reason=reasons.strip() if amount != rules_amount else "",
            )  # fmt: skip
    return Decision.objects.create(
        claim=locked, outcome=DecisionOutcome.REVISED if changed else DecisionOutcome.UNCHANGED,
        reasons=reasons.strip(), decided_by=by, statement=statement,
        challenge_by=challenge_deadline(timezone.localdate()),
    )  # fmt: skip


PAYMENTS_AHEAD = 6
FOUR_WEEKS = 28
PAID_IN_ARREARS = timedelta(days=7)  # a period is paid a week after it ends
MAX_PERIODS = 120  # a safety net: no statement schedules more than ten years at once


def nation_of(customer: Customer) -> Nation:
    """Whose bank holidays apply to the person: from their postcode's area."""
    return nation_for_postcode(customer.postcode)


def _cycle(anchor: date, period: str, index: int) -> tuple[date, date]:
    """The award's ``index``-th payment period: calendar months from the anchor for
    monthly rates (always counted from the anchor, so 31 January gives 28 February then
    31 March), four weeks for weekly ones."""
    if period == Period.MONTH:
        return add_months(anchor, index), add_months(anchor, index + 1) - timedelta(days=1)
    start = anchor + timedelta(days=FOUR_WEEKS * index)
    return start, start + timedelta(days=FOUR_WEEKS - 1)


def _cycle_index(anchor: date, period: str, day: date) -> int:
    if period != Period.MONTH:
        return (day - anchor).days // FOUR_WEEKS
    index = (day.year - anchor.year) * 12 + day.month - anchor.month
    while _cycle(anchor, period, index)[0] > day:
        index -= 1
    while _cycle(anchor, period, index)[1] < day:
        index += 1
    return index


def _pieces(anchor: date, period: str, start: date, end: date) -> list[tuple[date, date, bool]]:
    """[start, end] cut at the award's period boundaries: (from, to, is a whole period)."""
    index, pieces = _cycle_index(anchor, period, start), []
    while True:
        cycle_start, cycle_end = _cycle(anchor, period, index)
        a, b = max(start, cycle_start), min(end, cycle_end)
        pieces.append((a, b, (a, b) == (cycle_start, cycle_end)))
        if cycle_end >= end:
            return pieces
        index += 1


def _amount_for(statement: AwardStatement, start: date, end: date, whole: bool) -> Decimal:
    """A whole period is the monthly amount, or four times the weekly one. Part of a
    period is paid by the day: a weekly rate ÷ 7, a monthly one × 12 ÷ 365."""
    if statement.period == Period.MONTH:
        if whole:
            return statement.amount
        return money(statement.amount * 12 * ((end - start).days + 1) / 365)
    if whole:
        return money(statement.amount * 4)
    return money(statement.amount * ((end - start).days + 1) / 7)


def _payment_day(period_end: date, nation: Nation) -> date:
    return working_day_on_or_before(period_end + PAID_IN_ARREARS, nation)


def _one_off_day(today: date, nation: Nation) -> date:
    """A one-off amount (or arrears) goes out within the working week."""
    return max(today, working_day_on_or_before(today + timedelta(days=5), nation))


def _schedule_payments(*, claim: Claim, statement: AwardStatement) -> list[Payment]:
    """Payments from the statement's date, in arrears, on working days.

    The claim's regular payments tile its award with no gap and no overlap (PostgreSQL
    refuses an overlap): earlier statements' unpaid payments from the new statement's date
    are cancelled, and one that straddles the date is replaced by a payment for the days
    before it. Days already paid are not paid again: the new statement's payments start
    after them, and if it pays more for those days the difference is paid as arrears.
    The periods follow the award's first statement (its anchor), so the person's payment
    day does not move when the amount changes.
    """
    today = timezone.localdate()
    nation = nation_of(claim.customer)
    # Backdating reaches at most a year: older periods stay as they were.
    since = max(statement.effective_from, today - timedelta(days=366))
    live = list(
        claim.payments.select_for_update()
        .filter(kind=PaymentKind.REGULAR, period_end__gte=since)
        .exclude(status=PaymentStatus.CANCELLED)
        .select_related("statement")
        .order_by("period_start")
    )
    unpaid = [p for p in live if p.status != PaymentStatus.PAID]
    paid = [p for p in live if p.status == PaymentStatus.PAID]
    Payment.objects.filter(pk__in=[p.pk for p in unpaid]).update(status=PaymentStatus.CANCELLED)
    if statement.period == Period.ONCE:
        return _schedule_one_off(
            claim=claim, statement=statement, since=since, paid=paid, today=today, nation=nation
        )
    anchor = claim.statements.order_by("version").values_list("effective_from", flat=True).first()
    rows: list[Payment] = []
    for p in unpaid:
        if p.period_start < since:  # straddles the date: the days before it stay as they were
            (a, b, whole), *_rest = _pieces(anchor, p.statement.period, p.period_start,
                                            since - timedelta(days=1))  # fmt: skip
            rows.append(Payment(
                claim=claim, statement=p.statement, period_start=p.period_start, period_end=b,
                amount=_amount_for(p.statement, a, b, whole), due_on=_payment_day(b, nation),
            ))  # fmt: skip
    # The days from the new statement's date not already paid for.
    free: list[tuple[date, date | None]] = []
    cursor = since
    for p in paid:
        if p.period_start > cursor:
            free.append((cursor, p.period_start - timedelta(days=1)))
        cursor = max(cursor, p.period_end + timedelta(days=1))
    free.append((cursor, None))
    ahead = 0
    for first, last in free:
        index = _cycle_index(anchor, statement.period, first)
        while len(rows) < MAX_PERIODS:
            cycle_start, cycle_end = _cycle(anchor, statement.period, index)
            a, b = max(first, cycle_start), cycle_end if last is None else min(last, cycle_end)
            due = _payment_day(b, nation)
            rows.append(Payment(
                claim=claim, statement=statement, period_start=a, period_end=b, due_on=due,
                amount=_amount_for(statement, a, b, (a, b) == (cycle_start, cycle_end)),
            ))  # fmt: skip
            ahead += due >= today
            if (last is not None and b >= last) or (last is None and ahead >= PAYMENTS_AHEAD):
                break
            index += 1
    rows += _arrears(claim=claim, statement=statement, since=since, paid=paid,
                     anchor=anchor, today=today, nation=nation)  # fmt: skip
    return Payment.objects.bulk_create(rows)


def _arrears(
    *,
    claim: Claim,
    statement: AwardStatement,
    since: date,
    paid: list[Payment],
    anchor: date,
    today: date,
    nation: Nation,
) -> list[Payment]:
    """What the new statement gives for days already paid, less what was paid for them."""
    if not paid:
        return []
    difference = Decimal("0.00")
    for p in paid:
        # Both sides worked out the same way, from their statements' rates.
        for a, b, whole in _pieces(anchor, statement.period, max(p.period_start, since),
                                   p.period_end):  # fmt: skip
            difference += _amount_for(statement, a, b, whole)
            difference -= (
                p.amount if (a, b) == (p.period_start, p.period_end)
                else _amount_for(p.statement, a, b, whole)
            )  # fmt: skip
    start, end = max(paid[0].period_start, since), paid[-1].period_end
    return _settle(claim=claim, statement=statement, difference=difference, start=start,
                   end=end, today=today, nation=nation)  # fmt: skip


def _settle(
    *,
    claim: Claim,
    statement: AwardStatement,
    difference: Decimal,
    start: date,
    end: date,
    today: date,
    nation: Nation,
) -> list[Payment]:
    if difference > 0:
        return [Payment(
            claim=claim, statement=statement, kind=PaymentKind.ARREARS, period_start=start,
            period_end=end, amount=difference, due_on=_one_off_day(today, nation),
        )]  # fmt: skip
    if difference < 0:
        # Recovering an overpayment is a decision of its own, with its own rights of
        # appeal: staff see it here and take it from there.
        record_event(claim, None, EventKind.PAYMENT, _(
            "Overpaid %(amount)s for %(start)s to %(end)s under earlier statements: "
            "decide whether to recover it."
        ) % {"amount": gbp(-difference), "start": date_format(start, "j F Y"),
             "end": date_format(end, "j F Y")}, visible=False)  # fmt: skip
    return []


def _schedule_one_off(
    *,
    claim: Claim,
    statement: AwardStatement,
    since: date,
    paid: list[Payment],
    today: date,
    nation: Nation,
) -> list[Payment]:
    """A one-off amount: paid once; a new statement pays only the difference."""
    if paid:
        difference = statement.amount - sum((p.amount for p in paid), Decimal("0.00"))
        return Payment.objects.bulk_create(_settle(
            claim=claim, statement=statement, difference=difference, start=since,
            end=paid[-1].period_end, today=today, nation=nation,
        ))  # fmt: skip
    return Payment.objects.bulk_create([Payment(
        claim=claim, statement=statement, due_on=_one_off_day(today, nation),
        period_start=since, period_end=since, amount=statement.amount,
    )])  # fmt: skip


def record_event(
    claim: Claim, by: User | None, kind: str, reason: str, *, visible: bool = True
) -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim, by=by, kind=kind, from_status=claim.status, to_status=claim.status,
        reason=reason[:4000], visible_to_customer=visible,
    )  # fmt: skip


@transaction.atomic
def add_internal_note(*, claim: Claim, by: User, text: str) -> CaseNote:
    """A note for staff. It is a ``CaseNote``, not a timeline event: nothing the person
    sees reads that table, so a note cannot reach them by a filter someone forgot."""
    if not text.strip():
        raise ValueError(_("Write the note."))
    return CaseNote.objects.create(claim=claim, by=by, text=text.strip()[:4000])
