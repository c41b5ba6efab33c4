"""Claim services: the state machine, requests, decisions, statements, payments, evidence.

Every test drives the services the way caseworkers' screens and the citizen's pages do,
on the real database, and checks what was stored (rows, timeline, notifications, files).
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import FactKind
from accounts.services import record_fact
from benefits.catalogue.selectors import rates_on
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims import payments as claim_payments
from benefits.claims import timeline as claim_timeline
from benefits.evidence.errors import UploadRejected
from benefits.models import (
    AwardStatement,
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
    PaymentStatus,
)
from benefits.rules.base import add_months, add_working_days, working_day_on_or_before
from notifications.models import Notification
from tests.claim_factory import (
    awarded_claim,
    claim_with_document,
    claim_with_request,
    complete_answers,
    draft_claim,
    sent_claim,
    upload,
)

pytestmark = pytest.mark.django_db
S = ClaimStatus
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def counts(claim: Claim) -> tuple[int, int]:
    return (
        ClaimEvent.objects.filter(claim=claim).count(),
        Notification.objects.filter(customer=claim.customer).count(),
    )


def eligible_carers_claim(user) -> Claim:
    """A Carer's Allowance claim the rules clearly award: an adult carer, 40 hours of care,
    no earnings, caring for someone who gets a qualifying benefit. In review."""
    # The claim's "which benefit do they get" answer is not read by the rules (no household
    # path), so the qualifying benefit comes from the person's recorded circumstances.
    record_fact(
        customer=user.customer, kind=FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT, value=True,
        effective_from=date(2020, 1, 1), by=user,
    )  # fmt: skip
    draft = draft_claim(user)
    answers = {
        **complete_answers("carers_allowance"),
        "caring_hours": 40,
        "weekly_earnings": "0.00",
        "date_of_birth": "1980-04-12",
    }
    draft = applications.save_draft_answers(
        claim=draft, answers=answers, version=draft.version, by=user
    )
    claim = applications.submit_claim(claim=draft, by=user)
    return lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=None)


def weekly_rate() -> Decimal:
    return rates_on(timezone.localdate())["ca.weekly_rate"].quantize(Decimal("0.01"))


def statement_row(pk: int) -> str:
    """The stored statement exactly as PostgreSQL holds it, as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(s)::text FROM benefits_awardstatement s WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


def stored_files() -> set[str]:
    root = settings.PRIVATE_FILES_ROOT
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


# --- The state machine ----------------------------------------------------------------------

# How a sent claim reaches each state that has somewhere to go.
REACH = {
    S.DRAFT: [],
    S.SUBMITTED: [],
    S.IN_REVIEW: [S.IN_REVIEW],
    S.INFORMATION_REQUESTED: [S.INFORMATION_REQUESTED],
    S.AWARDED: [S.AWARDED],
    S.REFUSED: [S.REFUSED],
    S.RECONSIDERATION_REQUESTED: [S.REFUSED, S.RECONSIDERATION_REQUESTED],
    S.RECONSIDERED: [S.REFUSED, S.RECONSIDERATION_REQUESTED, S.RECONSIDERED],
}
EDGES = [
    pytest.param(f, t, id=f"{f}->{t}")
    for f, tos in lifecycle.TRANSITIONS.items()
    for t in sorted(tos)
]


@pytest.mark.parametrize(("from_status", "to"), EDGES)
def test_every_allowed_transition_writes_one_event_and_one_notification(
    citizen, caseworker, from_status, to
):
    claim = draft_claim(citizen, complete=True) if from_status == S.DRAFT else sent_claim(citizen)
    for step in REACH[from_status]:
        lifecycle.transition(claim=claim, to=step, by=caseworker)
    assert Claim.objects.get(pk=claim.pk).status == from_status
    # Sending needs a reference and a date (a database constraint): submit_claim gives them.
    extra = (
        {"reference": "CL-TEST-0001", "submitted_at": timezone.now()} if to == S.SUBMITTED else None
    )
    events, notes = counts(claim)

    lifecycle.transition(claim=claim, to=to, by=caseworker, reason=f"now {to}", extra_fields=extra)

    assert Claim.objects.get(pk=claim.pk).status == to
    assert counts(claim) == (events + 1, notes + 1)
    event = ClaimEvent.objects.filter(claim=claim).latest("pk")
    assert (event.from_status, event.to_status, event.by, event.reason) == (
        from_status, to, caseworker, f"now {to}",
    )  # fmt: skip
    assert event.kind == EventKind.STATUS
    assert event.visible_to_customer
    note = Notification.objects.filter(customer=citizen.customer).first()
    assert note.title == lifecycle.TOLD[to] % {"benefit": "Carer's Allowance"}
    assert note.body == f"now {to}"
    assert note.link == f"/claims/{claim.pk}/"


def test_an_invisible_transition_writes_a_hidden_event_and_tells_nobody(citizen, caseworker):
    claim = sent_claim(citizen)
    events, notes = counts(claim)

    lifecycle.transition(
        claim=claim, to=S.IN_REVIEW, by=caseworker, reason="Triage", visible_to_customer=False
    )

    assert counts(claim) == (events + 1, notes)
    assert not ClaimEvent.objects.filter(claim=claim).latest("pk").visible_to_customer


def test_the_event_and_notification_roll_back_with_the_transition(citizen, caseworker):
    claim = sent_claim(citizen)
    before = counts(claim)

    def transition_then_fail():
        with transaction.atomic():
            lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker, reason="Looking")
            assert counts(claim) == (before[0] + 1, before[1] + 1)
            raise RuntimeError("the caller's work failed after the transition")

    with pytest.raises(RuntimeError):
        transition_then_fail()

    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED
    assert counts(claim) == before


def test_withdrawing_a_draft_is_refused_and_changes_nothing(citizen):
    claim = draft_claim(citizen, complete=True)
    before = counts(claim)

    with pytest.raises(lifecycle.TransitionNotAllowed):
        applications.withdraw_claim(claim=claim, by=citizen)

    assert Claim.objects.get(pk=claim.pk).status == S.DRAFT
    assert counts(claim) == before


def test_withdrawing_an_open_claim_records_who_and_why(citizen):
    claim = sent_claim(citizen)

    applications.withdraw_claim(claim=claim, by=citizen, reason="")

    event = ClaimEvent.objects.filter(claim=claim).latest("pk")
    assert (event.to_status, event.by, event.reason) == (
        S.WITHDRAWN, citizen, "Withdrawn by the customer",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], S.RECONSIDERATION_REQUESTED),  # nothing decided yet
        ([], S.RECONSIDERED),
        ([S.WITHDRAWN], S.SUBMITTED),
        ([S.IN_REVIEW, S.AWARDED], S.WITHDRAWN),
        ([S.INFORMATION_REQUESTED], S.AWARDED),
    ],
)
def test_a_transition_not_in_the_table_raises_and_changes_nothing(citizen, caseworker, path, to):
    claim = sent_claim(citizen)
    for step in path:
        lifecycle.transition(claim=claim, to=step, by=caseworker)
    assert not lifecycle.allowed(Claim.objects.get(pk=claim.pk).status, to)
    before = Claim.objects.get(pk=claim.pk)
    before_counts = counts(claim)

    with pytest.raises(lifecycle.TransitionNotAllowed) as raised:
        lifecycle.transition(claim=claim, to=to, by=caseworker, reason="Not allowed")

    after = Claim.objects.get(pk=claim.pk)
    assert (after.status, after.updated_at, after.decided_at) == (
        before.status, before.updated_at, before.decided_at,
    )  # fmt: skip
    assert counts(claim) == before_counts
    assert "cannot become" in str(raised.value)


# --- Requests for information ------------------------------------------------------------------


def test_requesting_information_waits_for_the_person_and_tells_them_the_date(citizen, caseworker):
    claim = sent_claim(citizen)
    due = add_working_days(timezone.localdate(), 10)
    events, notes = counts(claim)

    info = claim_documents.request_information(
        claim=claim, by=caseworker, what="Send your last payslip.", due_on=due
    )

    assert Claim.objects.get(pk=claim.pk).status == S.INFORMATION_REQUESTED
    assert (info.what_is_needed, info.due_on, info.requested_by, info.answered_at) == (
        "Send your last payslip.", due, caseworker, None,
    )  # fmt: skip
    assert counts(claim) == (events + 1, notes + 1)
    note = Notification.objects.filter(customer=citizen.customer).first()
    assert "Send your last payslip." in note.body
    assert due.strftime("%-d %B %Y") in note.body


def test_a_second_request_while_waiting_adds_a_task_without_a_status_change(citizen, caseworker):
    claim, _first = claim_with_request(citizen, caseworker)
    events, notes = counts(claim)

    claim_documents.request_information(
        claim=claim, by=caseworker, what="And a letter from your GP.",
        due_on=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip

    assert Claim.objects.get(pk=claim.pk).status == S.INFORMATION_REQUESTED
    assert counts(claim) == (events + 1, notes + 1)
    assert ClaimEvent.objects.filter(claim=claim).latest("pk").kind == EventKind.INFORMATION
    assert claim.information_requests.filter(answered_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("what", "days", "message"),
    [("  ", 7, "Say what information is needed."), ("A payslip", -1, "today or in the future")],
)
def test_a_request_needs_what_and_a_date_not_in_the_past(citizen, caseworker, what, days, message):
    claim = sent_claim(citizen)
    before = counts(claim)

    with pytest.raises(ValueError, match=message):
        claim_documents.request_information(
            claim=claim,
            by=caseworker,
            what=what,
            due_on=timezone.localdate() + timedelta(days=days),
        )

    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED
    assert counts(claim) == before
    assert not InformationRequest.objects.filter(claim=claim).exists()


def test_answering_the_last_request_puts_the_claim_back_in_review(citizen, caseworker):
    claim, info = claim_with_request(citizen, caseworker)
    events, _notes = counts(claim)

    answered = claim_documents.answer_information_request(
        request=info, by=citizen, answer="  My payslip is attached.  "
    )

    assert answered.answer == "My payslip is attached."
    assert answered.answered_at is not None
    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
    new = list(ClaimEvent.objects.filter(claim=claim).order_by("pk")[events:])
    assert [(e.kind, e.to_status) for e in new] == [
        (EventKind.INFORMATION, S.INFORMATION_REQUESTED), (EventKind.STATUS, S.IN_REVIEW),
    ]  # fmt: skip
    assert all(e.by == citizen for e in new)


def test_a_second_answer_to_the_same_request_changes_nothing(citizen, caseworker):
    claim, info = claim_with_request(citizen, caseworker)
    first = claim_documents.answer_information_request(
        request=info, by=citizen, answer="First answer"
    )
    before = counts(claim)

    again = claim_documents.answer_information_request(
        request=info, by=citizen, answer="Second answer"
    )

    assert again.answer == "First answer"
    assert again.answered_at == first.answered_at
    assert counts(claim) == before
    assert InformationRequest.objects.get(pk=info.pk).answer == "First answer"


def test_an_empty_answer_without_documents_is_refused_and_saves_nothing(citizen, caseworker):
    claim, info = claim_with_request(citizen, caseworker)
    before = counts(claim)

    with pytest.raises(claim_documents.NothingToSend):
        claim_documents.answer_information_request(request=info, by=citizen, answer="   ")

    assert InformationRequest.objects.get(pk=info.pk).answered_at is None
    assert Claim.objects.get(pk=claim.pk).status == S.INFORMATION_REQUESTED
    assert counts(claim) == before


def test_answering_one_of_two_requests_keeps_the_claim_waiting(citizen, caseworker):
    claim, info = claim_with_request(citizen, caseworker)
    claim_documents.request_information(
        claim=claim, by=caseworker, what="And a letter from your GP.",
        due_on=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip

    claim_documents.answer_information_request(request=info, by=citizen, answer="Here it is")

    assert Claim.objects.get(pk=claim.pk).status == S.INFORMATION_REQUESTED


# --- Awards, statements and payments ----------------------------------------------------------


def test_an_award_uses_the_rules_amount_and_its_elements_add_up_to_it(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    result = claim_decisions.assess_claim(claim=claim)
    assert result.verdict == "eligible"

    decision = claim_decisions.award_claim(claim=claim, by=caseworker)

    statement = decision.statement
    assert decision.outcome == DecisionOutcome.AWARDED
    assert statement.amount == result.amount == weekly_rate()
    assert statement.period == "week"
    assert statement.version == 1
    assert sum(Decimal(e["amount"]) for e in statement.elements) == statement.amount
    codes = [e["code"] for e in statement.elements]
    assert codes == ["ca.carers_allowance", "ca.state_pension_overlap"]
    nil = statement.elements[1]
    assert Decimal(nil["amount"]) == 0
    assert nil["note"] == "You do not get a State Pension."
    assert "Overlapping Benefits" in nil["rule"]
    assert decision.reasons == "\n".join(str(line) for line in result.explanation)
    assert decision.challenge_by == add_months(timezone.localdate(), 1)
    assert Claim.objects.get(pk=claim.pk).status == S.AWARDED


def test_an_amount_other_than_the_rules_needs_a_reason_and_changes_nothing_without(
    citizen, caseworker
):
    claim = eligible_carers_claim(citizen)
    before = counts(claim)

    with pytest.raises(claim_decisions.ReasonNeeded):
        claim_decisions.award_claim(claim=claim, by=caseworker, amount=Decimal("90.00"))

    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
    assert counts(claim) == before
    assert not AwardStatement.objects.filter(claim=claim).exists()
    assert not Decision.objects.filter(claim=claim).exists()
    assert not Payment.objects.filter(claim=claim).exists()


def test_an_amount_other_than_the_rules_is_an_adjustment_line_with_the_reason(citizen, caseworker):
    claim = eligible_carers_claim(citizen)

    decision = claim_decisions.award_claim(
        claim=claim, by=caseworker, amount=Decimal("90.00"), adjustment_reason="Backdated care"
    )

    statement = decision.statement
    assert statement.amount == Decimal("90.00")
    adjustment = statement.elements[-1]
    assert adjustment["code"] == "adjustment"
    assert Decimal(adjustment["amount"]) == Decimal("90.00") - weekly_rate()
    assert adjustment["note"] == "Backdated care"
    assert sum(Decimal(e["amount"]) for e in statement.elements) == Decimal("90.00")


def test_payments_are_every_four_weeks_at_four_times_the_weekly_rate(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    decision = claim_decisions.award_claim(claim=claim, by=caseworker)

    payments = list(Payment.objects.filter(claim=claim).order_by("due_on"))

    assert len(payments) == claim_payments.PAYMENTS_AHEAD
    assert all(p.status == PaymentStatus.SCHEDULED for p in payments)
    assert all(p.statement_id == decision.statement_id for p in payments)
    assert all(p.amount == weekly_rate() * 4 for p in payments)
    assert payments[0].period_start == decision.statement.effective_from
    assert all((p.period_end - p.period_start).days == 27 for p in payments)
    # A week after each period, or the working day before when that is a weekend or holiday.
    assert all(
        p.due_on == working_day_on_or_before(p.period_end + timedelta(days=7)) for p in payments
    )
    assert all(
        b.period_start == a.period_end + timedelta(days=1) for a, b in itertools.pairwise(payments)
    )


def test_a_revision_is_version_2_and_leaves_version_1_exactly_as_it_was(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    first = claim_decisions.award_claim(claim=claim, by=caseworker).statement
    stored = statement_row(first.pk)

    second = claim_decisions.revise_award(
        claim=claim, by=caseworker, amount=Decimal("100.00"), reason="Your earnings changed",
        effective_from=timezone.localdate(),
    )  # fmt: skip

    assert statement_row(first.pk) == stored
    assert (second.version, second.amount, second.reason) == (
        2, Decimal("100.00"), "Your earnings changed",
    )  # fmt: skip
    assert second.elements[:-1] == first.elements
    assert second.elements[-1]["code"] == "adjustment"
    assert sum(Decimal(e["amount"]) for e in second.elements) == Decimal("100.00")
    note = Notification.objects.filter(customer=citizen.customer).first()
    assert note.title == "Your Carer's Allowance award has changed"
    assert note.body == "Your earnings changed"


def test_a_revision_cancels_the_old_statements_future_payments(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    first = claim_decisions.award_claim(claim=claim, by=caseworker).statement

    second = claim_decisions.revise_award(
        claim=claim, by=caseworker, amount=Decimal("100.00"), reason="Your earnings changed",
        effective_from=timezone.localdate(),
    )  # fmt: skip

    old = Payment.objects.filter(statement=first)
    assert old.count() == claim_payments.PAYMENTS_AHEAD
    assert set(old.values_list("status", flat=True)) == {PaymentStatus.CANCELLED}
    new = Payment.objects.filter(statement=second)
    assert new.count() == claim_payments.PAYMENTS_AHEAD
    assert set(new.values_list("status", flat=True)) == {PaymentStatus.SCHEDULED}
    assert set(new.values_list("amount", flat=True)) == {Decimal("400.00")}
    live = Payment.objects.filter(claim=claim).exclude(status=PaymentStatus.CANCELLED)
    assert live.count() == live.values("due_on").distinct().count()


def test_a_revision_needs_a_reason(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    claim_decisions.award_claim(claim=claim, by=caseworker)
    before = counts(claim)

    with pytest.raises(claim_decisions.ReasonNeeded):
        claim_decisions.revise_award(
            claim=claim, by=caseworker, amount=Decimal("1.00"), reason=" ",
            effective_from=timezone.localdate(),
        )  # fmt: skip

    assert claim.statements.count() == 1
    assert counts(claim) == before


def test_refusing_needs_reasons(citizen, caseworker):
    claim = sent_claim(citizen)
    before = counts(claim)

    with pytest.raises(claim_decisions.ReasonNeeded):
        claim_decisions.refuse_claim(claim=claim, by=caseworker, reasons="  ")

    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED
    assert counts(claim) == before
    assert not Decision.objects.filter(claim=claim).exists()

    decision = claim_decisions.refuse_claim(
        claim=claim, by=caseworker, reasons="You earn too much."
    )

    assert (decision.outcome, decision.reasons, decision.statement) == (
        DecisionOutcome.REFUSED, "You earn too much.", None,
    )  # fmt: skip
    assert Claim.objects.get(pk=claim.pk).status == S.REFUSED


# --- Reconsideration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "deadline"),
    [(date(2026, 3, 15), date(2026, 4, 15)), (date(2026, 1, 31), date(2026, 2, 28))],
)
def test_the_deadline_is_one_calendar_month_after_the_decision(decided_on, deadline):
    assert claim_decisions.challenge_deadline(decided_on) == deadline


def test_reconsideration_can_be_asked_on_the_last_day(citizen, caseworker):
    claim, decision = awarded_claim(citizen, caseworker)
    Decision.objects.filter(pk=decision.pk).update(challenge_by=timezone.localdate())

    claim_decisions.request_reconsideration(
        claim=claim, by=citizen, reason="You missed my care hours."
    )

    assert Claim.objects.get(pk=claim.pk).status == S.RECONSIDERATION_REQUESTED
    assert ClaimEvent.objects.filter(claim=claim).latest("pk").reason == "You missed my care hours."


def test_reconsideration_is_refused_the_day_after_the_deadline(citizen, caseworker):
    claim, decision = awarded_claim(citizen, caseworker)
    Decision.objects.filter(pk=decision.pk).update(
        challenge_by=timezone.localdate() - timedelta(days=1)
    )
    before = counts(claim)

    with pytest.raises(claim_decisions.TooLate, match="The month to ask online has passed"):
        claim_decisions.request_reconsideration(
            claim=claim, by=citizen, reason="You missed my hours."
        )

    assert Claim.objects.get(pk=claim.pk).status == S.AWARDED
    assert counts(claim) == before


def test_a_changed_reconsideration_issues_a_new_statement(citizen, caseworker):
    claim, first = awarded_claim(citizen, caseworker)
    claim_decisions.request_reconsideration(claim=claim, by=citizen, reason="Too low")

    decision = claim_decisions.decide_reconsideration(
        claim=claim, by=caseworker, changed=True, reasons="We missed your night care.",
        amount=Decimal("95.00"),
    )  # fmt: skip

    assert decision.outcome == DecisionOutcome.REVISED
    assert (decision.statement.version, decision.statement.amount) == (2, Decimal("95.00"))
    assert decision.challenge_by == add_months(timezone.localdate(), 1)
    assert Claim.objects.get(pk=claim.pk).status == S.RECONSIDERED
    assert AwardStatement.objects.get(pk=first.statement_id).amount == Decimal("83.30")
    assert set(
        Payment.objects.filter(statement=decision.statement).values_list("amount", flat=True)
    ) == {Decimal("380.00")}


def test_an_unchanged_reconsideration_keeps_the_award(citizen, caseworker):
    claim, _first = awarded_claim(citizen, caseworker)
    claim_decisions.request_reconsideration(claim=claim, by=citizen, reason="Too low")
    payments = list(Payment.objects.filter(claim=claim).values_list("pk", "status"))

    decision = claim_decisions.decide_reconsideration(
        claim=claim, by=caseworker, changed=False, reasons="The hours were counted."
    )

    assert (decision.outcome, decision.statement) == (DecisionOutcome.UNCHANGED, None)
    assert claim.statements.count() == 1
    assert list(Payment.objects.filter(claim=claim).values_list("pk", "status")) == payments
    assert Claim.objects.get(pk=claim.pk).status == S.RECONSIDERED


def test_a_reconsideration_decision_needs_reasons(citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)
    claim_decisions.request_reconsideration(claim=claim, by=citizen, reason="Too low")
    before = counts(claim)

    with pytest.raises(claim_decisions.ReasonNeeded):
        claim_decisions.decide_reconsideration(
            claim=claim, by=caseworker, changed=False, reasons=""
        )

    assert Claim.objects.get(pk=claim.pk).status == S.RECONSIDERATION_REQUESTED
    assert counts(claim) == before


# --- Evidence ---------------------------------------------------------------------------------


def test_an_accepted_upload_is_kept_privately_with_a_receipt(citizen):
    claim = sent_claim(citizen)
    content = upload().read()

    document = claim_documents.add_document(
        claim=claim, by=citizen, uploaded=upload("my payslip.png"), evidence_kind="Payslip"
    )

    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.size, document.content_type, document.state) == (
        len(content), "image/png", DocumentState.RECEIVED,
    )  # fmt: skip
    assert document.original_name == "my payslip.png"
    assert "payslip" not in document.file.name
    assert document.file.path.startswith(str(settings.PRIVATE_FILES_ROOT))
    with document.file.open("rb") as stored:
        assert stored.read() == content
    event = ClaimEvent.objects.filter(claim=claim).latest("pk")
    assert (event.kind, event.reason) == (EventKind.DOCUMENT, "Document received: my payslip.png")


def test_a_rejected_upload_keeps_no_row_no_file_and_no_event(citizen):
    claim = sent_claim(citizen)
    files, before = stored_files(), counts(claim)

    with pytest.raises(UploadRejected):
        claim_documents.add_document(
            claim=claim, by=citizen, uploaded=upload("payslip.pdf", EXE_BYTES),
            evidence_kind="Payslip",
        )  # fmt: skip

    assert not Document.objects.filter(claim=claim).exists()
    assert stored_files() == files
    assert counts(claim) == before


def test_no_documents_for_a_decided_claim(citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)
    files = stored_files()

    with pytest.raises(claim_documents.ClaimClosedForEvidence):
        claim_documents.add_document(
            claim=claim, by=citizen, uploaded=upload(), evidence_kind="Payslip"
        )

    assert not Document.objects.filter(claim=claim).exists()
    assert stored_files() == files


def test_the_first_look_by_a_caseworker_shows_on_the_receipt_once(citizen, caseworker):
    _claim, document = claim_with_document(citizen)

    seen = claim_documents.mark_document_seen(document=document, by=caseworker)
    again = claim_documents.mark_document_seen(document=document, by=caseworker)

    assert seen.state == DocumentState.SEEN
    assert again.seen_at == seen.seen_at


def test_rejecting_a_document_needs_a_reason_then_tells_the_person(citizen, caseworker):
    claim, document = claim_with_document(citizen)
    before = counts(claim)

    with pytest.raises(ValueError, match="Say why"):
        claim_documents.decide_document(
            document=document, by=caseworker, accepted=False, reason=" "
        )

    assert Document.objects.get(pk=document.pk).state == DocumentState.RECEIVED
    assert counts(claim) == before

    claim_documents.decide_document(
        document=document, by=caseworker, accepted=False, reason="The photo is blurred."
    )

    stored = Document.objects.get(pk=document.pk)
    assert (stored.state, stored.state_reason) == (DocumentState.REJECTED, "The photo is blurred.")
    assert stored.decided_at is not None
    assert stored.seen_at is not None
    assert counts(claim) == (before[0] + 1, before[1] + 1)
    note = Notification.objects.filter(customer=citizen.customer).first()
    assert note.title == "We could not accept a document you sent"
    assert note.body == "The photo is blurred."
    assert note.link == f"/claims/{claim.pk}/"
    event = ClaimEvent.objects.filter(claim=claim).latest("pk")
    assert event.visible_to_customer
    assert event.reason == "Document not accepted: payslip.png. The photo is blurred"


def test_accepting_a_document_records_it_without_a_notification(citizen, caseworker):
    claim, document = claim_with_document(citizen)
    before = counts(claim)

    claim_documents.decide_document(document=document, by=caseworker, accepted=True)

    assert Document.objects.get(pk=document.pk).state == DocumentState.ACCEPTED
    assert counts(claim) == (before[0] + 1, before[1])


def test_an_internal_note_is_hidden_from_the_person_and_tells_nobody(citizen, caseworker):
    claim = sent_claim(citizen)
    before = counts(claim)

    note = claim_timeline.add_internal_note(claim=claim, by=caseworker, text="Called the GP")

    # A note of its own (see test_internal_notes), not an event on the person's timeline.
    assert (note.claim_id, note.by, note.text) == (claim.pk, caseworker, "Called the GP")
    assert counts(claim) == before


def test_the_first_look_at_a_document_names_the_caseworker_on_the_staff_timeline(
    citizen, caseworker, team_leader
):
    claim, document = claim_with_document(citizen)

    claim_documents.mark_document_seen(document=document, by=caseworker)
    claim_documents.mark_document_seen(document=document, by=team_leader)

    opened = ClaimEvent.objects.filter(claim=claim, reason__startswith="Document opened")
    assert [(e.by, e.kind, e.visible_to_customer) for e in opened] == [
        (caseworker, EventKind.DOCUMENT, False)
    ]
