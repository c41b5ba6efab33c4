"""Decisions: assessing a claim, awarding, refusing, revising and reassessing an award, and
reconsideration. Each is one transaction that writes the timeline and tells the person.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from benefits import assessment as snapshot
from benefits.assessment import assess_household
from benefits.claims import award_facts, lifecycle
from benefits.claims.applications import ClaimInProgress, is_second_claim, other_claim_in_progress
from benefits.claims.apply import engine
from benefits.claims.payments import schedule_payments
from benefits.claims.timeline import record_event
from benefits.models import (
    AwardStatement,
    CaseNote,
    Claim,
    ClaimStatus,
    Decision,
    DecisionOutcome,
    EventKind,
)
from benefits.rules.base import (
    Period,
    Result,
    Verdict,
    add_months,
)
from notifications.models import NotificationKind
from notifications.services import notify

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
    record_event(claim=claim, by=by, kind=EventKind.STATEMENT, reason=_("Award statement %(version)d issued: %(reason)s") % {
        "version": statement.version, "reason": reason,
    })  # fmt: skip
    schedule_payments(claim=claim, statement=statement)
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


# Not durable: straight-through processing awards inside its own transaction.
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


@transaction.atomic(durable=True)
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


# Not durable (nor is ``reassess_award``): reassessing, a reconsideration and the
# review of a change all revise an award inside their own transactions.
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


@transaction.atomic(durable=True)
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
    other = other_claim_in_progress(claim)
    if other is not None:
        raise ClaimInProgress(other)
    try:
        with transaction.atomic():
            return lifecycle.transition(
                claim=claim, to=ClaimStatus.RECONSIDERATION_REQUESTED, by=by,
                reason=reason.strip()[:4000],
            )  # fmt: skip
    except IntegrityError as exc:
        if not is_second_claim(exc):
            raise
        # A new application for the benefit was started at the same moment.
        raise ClaimInProgress(other_claim_in_progress(claim) or claim) from exc


@transaction.atomic(durable=True)
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
