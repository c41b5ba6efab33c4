"""Before and after a change, in the words a person or a caseworker reads.

"Before" is what the person is paid now, from the award statement in force, or for a
benefit they have not been awarded the rules' estimate; "after" is the rules on the changed
record. Each side is an amount, "would stop" with the rules' reasons, "we need to know"
with the questions, or "needs an assessment". The citizen's change preview
(``journeys.services.preview_change``) and the caseworker's change review use these same
functions, so they always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from benefits.claims.decisions import assess_claim
from benefits.models import AwardStatement, Claim, ClaimStatus
from benefits.rules.base import Result, Verdict, gbp
from benefits.screener.questions import question_for, words

PAID, AMOUNT, STOPS, NONE, NEED, ASSESS = "paid", "amount", "stops", "none", "need", "assess"

# An award in payment: awarded, or reconsidered with an award statement.
IN_PAYMENT = (ClaimStatus.AWARDED, ClaimStatus.RECONSIDERED)

PER = {"week": _("a week"), "month": _("a month"), "year": _("a year"), "once": _("once")}


@dataclass(frozen=True)
class Side:
    """One side of the comparison for one benefit."""

    state: str
    amount: Decimal | None = None
    period: str = ""
    reasons: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    statement_version: int | None = None

    @property
    def per(self) -> str:
        return str(PER.get(self.period, self.period))

    @property
    def pays(self) -> bool:
        return self.state in (PAID, AMOUNT) and self.amount is not None

    def key(self) -> tuple[Any, ...]:
        amount = self.amount if self.pays else None
        return (self.pays, amount, self.period if self.pays else "", self.state == NEED)

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "amount": None if self.amount is None else str(self.amount),
            "period": self.period,
            "reasons": [str(r) for r in self.reasons],
            "questions": [str(q) for q in self.questions],
        }


def questions_for(missing: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The questions that would give the rules what they lack, in the person's words."""
    out: list[str] = []
    for name in missing:
        found = question_for(name)
        text = words(found[0].title, found[1]) if found else name
        if text not in out:
            out.append(text)
    return tuple(out)


def side_for_result(result: Result | None, *, was_paid: bool = False) -> Side:
    if result is None:
        return Side(NONE)
    period = result.period.value if result.period else ""
    if result.verdict == Verdict.ELIGIBLE and result.amount is not None:
        return Side(AMOUNT, result.amount, period)
    if result.verdict == Verdict.NOT_ELIGIBLE:
        return Side(STOPS if was_paid else NONE, reasons=tuple(str(r) for r in result.explanation))
    if result.verdict == Verdict.NEED_MORE_INFORMATION:
        return Side(NEED, questions=questions_for(result.missing))
    return Side(ASSESS, result.amount, period, reasons=tuple(str(r) for r in result.explanation))


def statement_in_force(claim: Claim, on: date) -> AwardStatement | None:
    """The statement in force on a date (or, before the first, the first), from the
    claim's prefetched statements when there are any."""
    statements = sorted(claim.statements.all(), key=lambda s: (s.effective_from, s.version))
    if not statements:
        return None
    in_force = [s for s in statements if s.effective_from <= on]
    return in_force[-1] if in_force else statements[0]


def paid_side(claim: Claim | None, on: date) -> Side | None:
    """What an award pays now, or None when there is no award in payment."""
    if claim is None or claim.status not in IN_PAYMENT:
        return None
    statement = statement_in_force(claim, on)
    if statement is None:
        return None
    return Side(PAID, statement.amount, statement.period, statement_version=statement.version)


@dataclass
class Row:
    """One benefit's line in a comparison."""

    benefit: str
    code: str
    claim: Claim | None
    before: Side
    after: Side
    before_result: Result | None = None
    after_result: Result | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def claim_id(self) -> int | None:
        return self.claim.pk if self.claim else None

    @property
    def changed(self) -> bool:
        return self.before.key() != self.after.key()

    @property
    def difference(self) -> Decimal | None:
        if self.before.pays and self.after.pays and self.before.period == self.after.period:
            return self.after.amount - self.before.amount
        return None

    @property
    def difference_size(self) -> Decimal | None:
        """How much more or less, without a sign: the words say which."""
        return None if self.difference is None else abs(self.difference)


def compare(
    *, benefit: str, code: str, claim: Claim | None, before: Result | None, after: Result | None,
    on: date,
) -> Row:  # fmt: skip
    paid = paid_side(claim, on)
    before_side = paid or side_for_result(before)
    return Row(
        benefit=benefit, code=code, claim=claim, before=before_side,
        after=side_for_result(after, was_paid=before_side.pays),
        before_result=before, after_result=after,
    )  # fmt: skip


def describe(side: Side) -> str:
    """One side in a sentence, for timelines and notes."""
    if side.pays:
        return f"{gbp(side.amount)} {side.per}"
    if side.state == STOPS:
        return str(_("would stop"))
    if side.state == NEED:
        return str(_("more information needed"))
    if side.state == ASSESS:
        return str(_("needs an assessment"))
    return str(_("nothing"))


def change_review(claim: Claim) -> Row | None:
    """For the caseworker reviewing a reported change: what the award pays on the change's
    date, and what the rules give from then on the record as known now, which is what
    "work the award out again" would issue."""
    if claim.change_to_review_from is None:
        return None
    on = claim.change_to_review_from
    after = assess_claim(claim=claim, on=on)
    return compare(
        benefit=claim.benefit.name, code=claim.benefit.code, claim=claim, before=None,
        after=after, on=on,
    )  # fmt: skip
