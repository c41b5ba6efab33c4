"""Casework: the queue, taking and giving claims, straight-through decisions, and the
indexes the queue relies on.

Everything runs on the real PostgreSQL: the take-next race uses two real connections
from two threads, the straight-through path runs once on a real Celery worker over the
real Redis broker, and the index plans are read from EXPLAIN on 100,000 seeded claims.
"""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker expects)
import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from accounts.models import FactKind, User
from accounts.services import record_fact
from benefits.casework import queue as casework_queue
from benefits.casework import straight_through
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.models import (
    Benefit,
    Claim,
    ClaimStatus,
    Decision,
    DocumentState,
    EventKind,
    Parameter,
    Payment,
    PaymentStatus,
)
from benefits.rules.base import Verdict, add_working_days
from notifications.models import Notification
from portal.celery import app
from tests.claim_factory import awarded_claim, complete_answers, draft_claim, sent_claim, upload
from tests.conftest import make_person, make_staff, sign_in_with_mfa
from tests.helpers import purge_celery_queue, reload, wait_until

S = ClaimStatus


# --- Helpers ---------------------------------------------------------------------------------


def eligible_carers_claim(user, *, weekly_earnings: str = "0.00") -> Claim:
    """A Carer's Allowance claim, sent: an adult carer, 40 hours of care, caring for someone
    who gets Attendance Allowance. With no earnings the rules clearly award it; with
    earnings over the limit they clearly do not."""
    record_fact(
        customer=user.customer, kind=FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT, value=True,
        effective_from=date(2020, 1, 1), by=user,
    )  # fmt: skip
    draft = draft_claim(user)
    answers = {
        **complete_answers("carers_allowance"),
        "caring_hours": 40,
        "cared_for_benefit": "attendance_allowance",
        "weekly_earnings": weekly_earnings,
        "date_of_birth": "1980-04-12",
    }
    draft = applications.save_draft_answers(
        claim=draft, answers=answers, version=draft.version, by=user
    )
    return applications.submit_claim(claim=draft, by=user)


def send_evidence(claim: Claim, user, kinds: list[str] | None = None) -> list:
    """Upload one document for each kind of evidence (by default, all the benefit needs)."""
    kinds = claim.benefit.evidence_needed if kinds is None else kinds
    assert kinds, "the benefit must ask for evidence for these tests to mean anything"
    return [
        claim_documents.add_document(claim=claim, by=user, uploaded=upload(), evidence_kind=kind)
        for kind in kinds
    ]


def accept_all(documents: list, caseworker) -> None:
    """A caseworker looks at each document and accepts it: evidence that passed a check."""
    for document in documents:
        claim_documents.decide_document(document=document, by=caseworker, accepted=True)


# --- 1. Two caseworkers pressing "take the next claim" at the same moment ---------------------


def race_for_next_claim(people: list[User]) -> list[int | None]:
    """Each person calls take_next_claim on their own connection, released together."""
    barrier = threading.Barrier(len(people))
    taken: list[int | None] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(person: User) -> None:
        try:
            connection.ensure_connection()  # connect first, so both queries start together
            barrier.wait(timeout=10)
            claim = casework_queue.take_next_claim(by=person)
            with lock:
                taken.append(claim.pk if claim else None)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "take_next_claim hung"
    assert not errors, errors
    return taken


@pytest.fixture
def purged_queue():
    purge_celery_queue()
    yield
    purge_celery_queue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_caseworkers_taking_the_next_claim_together_get_different_claims(purged_queue, citizen):
    casey = make_staff("casey@example.org", group="caseworker")
    cara = make_staff("cara@example.org", group="caseworker")

    for _round in range(6):
        queued = {sent_claim(citizen).pk, sent_claim(citizen).pk, sent_claim(citizen).pk}

        taken = race_for_next_claim([casey, cara])

        assert None not in taken
        assert len(set(taken)) == 2
        assert set(taken) <= queued
        owners = set(Claim.objects.filter(pk__in=taken).values_list("assigned_to", flat=True))
        assert owners == {casey.pk, cara.pk}
        # The third claim stayed in the queue. All three are withdrawn so the next round
        # starts afresh (and the person can send the same benefits again).
        (left,) = queued - set(taken)
        assert Claim.objects.get(pk=left).assigned_to is None
        for claim in Claim.objects.filter(pk__in=queued):
            applications.withdraw_claim(claim=claim, by=citizen)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_when_one_claim_is_queued_one_caseworker_gets_it_and_the_other_gets_none(
    purged_queue, citizen
):
    casey = make_staff("casey@example.org", group="caseworker")
    cara = make_staff("cara@example.org", group="caseworker")

    for _round in range(8):
        only = sent_claim(citizen)

        taken = race_for_next_claim([casey, cara])

        assert sorted(taken, key=lambda pk: pk is None) == [only.pk, None]
        claim = reload(only)
        assert claim.assigned_to_id in (casey.pk, cara.pk)
        assert claim.status == S.IN_REVIEW
        # Exactly one "Assigned to" note and one move to review: the loser wrote nothing.
        assert claim.events.filter(kind=EventKind.NOTE).count() == 1
        assert claim.events.filter(to_status=S.IN_REVIEW, from_status=S.SUBMITTED).count() == 1


# --- 2. The queue's order, and what is never handed out -----------------------------------------


def test_the_next_claim_goes_by_priority_then_due_date_then_age(db, citizen, other_citizen):
    casey = make_staff("casey@example.org", group="caseworker")
    other_citizen.customer.needs_extra_support = True
    other_citizen.customer.save(update_fields=["needs_extra_support"])
    carol = make_person("carol@example.org")
    carol.customer.accessibility_needs = ["large_print"]
    carol.customer.save(update_fields=["accessibility_needs"])

    older = sent_claim(citizen)
    newer = sent_claim(citizen)
    due_sooner = sent_claim(citizen)
    # As if it had been sent a week earlier: its service level ends first.
    Claim.objects.filter(pk=due_sooner.pk).update(due_by=due_sooner.due_by - timedelta(days=7))
    accessible = sent_claim(carol)
    extra_support = sent_claim(other_citizen)
    # Never handed out: waiting for the person, decided, or withdrawn.
    waiting = sent_claim(citizen)
    claim_documents.request_information(
        claim=waiting, by=casey, what="Send a letter.", due_on=timezone.localdate()
    )
    _awarded, _decision = awarded_claim(citizen, casey)
    refused = sent_claim(citizen)
    claim_decisions.refuse_claim(claim=refused, by=casey, reasons="You earn more than the limit.")
    withdrawn = sent_claim(citizen)
    applications.withdraw_claim(claim=withdrawn, by=citizen)

    handed_out = []
    while (claim := casework_queue.take_next_claim(by=casey)) is not None:
        handed_out.append(claim.pk)

    assert handed_out == [extra_support.pk, accessible.pk, due_sooner.pk, older.pk, newer.pk]
    assert reload(waiting).assigned_to is None
    assert reload(refused).assigned_to is None
    assert reload(withdrawn).assigned_to is None


def test_taking_a_sent_claim_moves_it_to_review_with_a_visible_event_and_an_internal_note(
    db, citizen
):
    casey = make_staff("casey@example.org", group="caseworker")
    claim = sent_claim(citizen)
    told_before = Notification.objects.filter(customer=citizen.customer).count()

    taken = casework_queue.take_next_claim(by=casey)

    assert taken.pk == claim.pk
    claim = reload(claim)
    assert (claim.status, claim.assigned_to, claim.assigned_at is not None) == (
        S.IN_REVIEW, casey, True,
    )  # fmt: skip
    moved = claim.events.get(from_status=S.SUBMITTED, to_status=S.IN_REVIEW)
    assert (moved.by, moved.visible_to_customer) == (casey, True)
    note = claim.events.get(kind=EventKind.NOTE)
    assert note.reason == "Assigned to casey@example.org"
    assert note.visible_to_customer is False
    assert Notification.objects.filter(customer=citizen.customer).count() == told_before + 1


def test_taking_a_claim_already_in_review_adds_only_the_internal_note(db, citizen, caseworker):
    claim = sent_claim(citizen)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=None)
    events_before = claim.events.count()

    casework_queue.take_next_claim(by=caseworker)

    claim = reload(claim)
    assert claim.status == S.IN_REVIEW
    assert claim.events.count() == events_before + 1
    assert claim.events.last().kind == EventKind.NOTE


def test_an_empty_queue_gives_nothing(db, caseworker, citizen):
    claim = sent_claim(citizen)
    casework_queue.assign(claim=claim, to=caseworker, by=caseworker)

    assert casework_queue.take_next_claim(by=caseworker) is None


# --- 3. Who may give and take claims ------------------------------------------------------------


@pytest.fixture
def cara(db):
    """Another caseworker: Casey may not take her claims or give her his."""
    return make_staff("cara@example.org", group="caseworker")


def test_a_caseworker_assigns_a_claim_to_themselves_and_returns_it(db, citizen, caseworker):
    claim = sent_claim(citizen)

    casework_queue.assign(claim=claim, to=caseworker, by=caseworker)
    assert reload(claim).assigned_to == caseworker

    casework_queue.unassign(claim=claim, by=caseworker)
    claim = reload(claim)
    assert (claim.assigned_to, claim.assigned_at) == (None, None)
    note = claim.events.filter(kind=EventKind.NOTE).last()
    assert (note.reason, note.by, note.visible_to_customer) == (
        "Returned to the queue", caseworker, False,
    )  # fmt: skip


def test_a_caseworker_cannot_give_a_claim_to_someone_else(db, citizen, caseworker, cara):
    claim = sent_claim(citizen)
    events = claim.events.count()

    with pytest.raises(PermissionDenied):
        casework_queue.assign(claim=claim, to=cara, by=caseworker)

    claim = reload(claim)
    assert (claim.assigned_to, claim.status, claim.events.count()) == (None, S.SUBMITTED, events)


def test_a_caseworker_cannot_take_someone_elses_claim(db, citizen, caseworker, cara):
    claim = sent_claim(citizen)
    casework_queue.assign(claim=claim, to=cara, by=cara)
    events = claim.events.count()

    with pytest.raises(PermissionDenied):
        casework_queue.assign(claim=claim, to=caseworker, by=caseworker)
    with pytest.raises(PermissionDenied):
        casework_queue.unassign(claim=claim, by=caseworker)

    claim = reload(claim)
    assert (claim.assigned_to, claim.events.count()) == (cara, events)


def test_a_caseworker_cannot_reassign_in_bulk(db, citizen, caseworker, cara):
    mine = sent_claim(citizen)
    casework_queue.assign(claim=mine, to=caseworker, by=caseworker)
    queued = sent_claim(citizen)

    with pytest.raises(PermissionDenied):
        casework_queue.bulk_reassign(claim_ids=[mine.pk, queued.pk], to=cara, by=caseworker)
    with pytest.raises(PermissionDenied):
        casework_queue.bulk_reassign(claim_ids=[mine.pk], to=None, by=caseworker)

    assert reload(mine).assigned_to == caseworker
    assert reload(queued).assigned_to is None
    assert not caseworker.has_perm("benefits.reassign_claims")


def test_a_team_leader_reassigns_open_claims_in_bulk(db, citizen, caseworker, cara, team_leader):
    mine = sent_claim(citizen)
    casework_queue.assign(claim=mine, to=caseworker, by=caseworker)
    queued = sent_claim(citizen)
    withdrawn = sent_claim(citizen)
    applications.withdraw_claim(claim=withdrawn, by=citizen)

    moved = casework_queue.bulk_reassign(
        claim_ids=[mine.pk, queued.pk, withdrawn.pk], to=cara, by=team_leader
    )

    assert moved == 2
    assert reload(mine).assigned_to == cara
    assert reload(queued).assigned_to == cara
    assert reload(withdrawn).assigned_to is None  # closed work is not moved
    for claim in (mine, queued):
        note = claim.events.filter(kind=EventKind.NOTE).last()
        assert (note.reason, note.by, note.visible_to_customer) == (
            "Assigned to cara@example.org", team_leader, False,
        )  # fmt: skip

    assert casework_queue.bulk_reassign(claim_ids=[mine.pk], to=None, by=team_leader) == 1
    assert reload(mine).assigned_to is None
    assert reload(mine).events.last().reason == "Returned to the queue"


def test_a_team_leader_gives_a_claim_to_a_caseworker(db, citizen, caseworker, team_leader):
    claim = sent_claim(citizen)

    casework_queue.assign(claim=claim, to=caseworker, by=team_leader)

    claim = reload(claim)
    assert (claim.assigned_to, claim.status) == (caseworker, S.IN_REVIEW)


def test_a_claim_cannot_be_given_to_someone_who_is_not_staff(
    db, citizen, other_citizen, caseworker, team_leader
):
    claim = sent_claim(citizen)
    former = make_staff("former@example.org", group="caseworker")
    former.is_active = False
    former.save(update_fields=["is_active"])

    with pytest.raises(ValueError, match="active staff"):
        casework_queue.assign(claim=claim, to=other_citizen, by=team_leader)
    with pytest.raises(ValueError, match="active staff"):
        casework_queue.assign(claim=claim, to=former, by=team_leader)
    with pytest.raises(ValueError, match="active staff"):
        casework_queue.bulk_reassign(claim_ids=[claim.pk], to=other_citizen, by=team_leader)
    with pytest.raises(PermissionDenied):
        casework_queue.assign(claim=claim, to=other_citizen, by=caseworker)

    claim = reload(claim)
    assert (claim.assigned_to, claim.status) == (None, S.SUBMITTED)


def test_caseworker_load_counts_open_overdue_and_waiting_claims(db, citizen, caseworker, cara):
    today = timezone.localdate()
    first, second, waiting = sent_claim(citizen), sent_claim(citizen), sent_claim(citizen)
    for claim in (first, second, waiting):
        casework_queue.assign(claim=claim, to=caseworker, by=caseworker)
    claim_documents.request_information(
        claim=waiting, by=caseworker, what="Send a letter.", due_on=today
    )
    Claim.objects.filter(pk=first.pk).update(due_by=today - timedelta(days=1))
    theirs = sent_claim(citizen)
    casework_queue.assign(claim=theirs, to=cara, by=cara)
    decided = sent_claim(citizen)
    casework_queue.assign(claim=decided, to=cara, by=cara)
    claim_decisions.refuse_claim(claim=decided, by=cara, reasons="You earn more than the limit.")

    load = casework_queue.caseworker_load(today=today)

    assert load == [
        {"assigned_to": caseworker.pk, "assigned_to__email": caseworker.email,
         "open": 3, "overdue": 1, "waiting": 1},
        {"assigned_to": cara.pk, "assigned_to__email": cara.email,
         "open": 1, "overdue": 0, "waiting": 0},
    ]  # fmt: skip


# --- 3b. The admin: caseworkers cannot change rates or delete claims ----------------------------


@pytest.fixture
def casey_client(client, caseworker):
    sign_in_with_mfa(client, caseworker)
    return client


def test_a_caseworker_cannot_change_or_add_rates_in_the_admin(db, casey_client, caseworker):
    rate = Parameter.objects.order_by("pk").first()
    rates = Parameter.objects.count()
    data = {
        "name": rate.name, "value": "999.0000", "unit": rate.unit,
        "effective_from": "2030-01-01", "source": "https://example.org", "description": "x",
    }  # fmt: skip

    changed = casey_client.post(f"/admin/benefits/parameter/{rate.pk}/change/", data)
    added = casey_client.post("/admin/benefits/parameter/add/", data)

    assert (changed.status_code, added.status_code) == (403, 403)
    assert Parameter.objects.get(pk=rate.pk).value == rate.value
    assert Parameter.objects.count() == rates
    assert not caseworker.has_perm("benefits.change_parameter")
    assert not caseworker.has_perm("benefits.add_parameter")


def test_a_caseworker_cannot_delete_a_claim_in_the_admin(db, casey_client, caseworker, citizen):
    claim = sent_claim(citizen)

    response = casey_client.post(f"/admin/benefits/claim/{claim.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert not caseworker.has_perm("benefits.delete_claim")


def test_the_caseworker_can_reach_the_claim_admin_so_the_refusals_above_mean_something(
    db, casey_client, citizen
):
    claim = sent_claim(citizen)

    assert casey_client.get(f"/admin/benefits/claim/{claim.pk}/change/").status_code == 200


# --- 4. Straight-through decisions ------------------------------------------------------------


def test_a_clear_claim_with_checked_evidence_is_awarded_by_the_system(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    accept_all(send_evidence(claim, citizen), caseworker)
    told_before = Notification.objects.filter(customer=citizen.customer).count()

    outcome = straight_through.try_straight_through(claim_id=claim.pk)

    assert outcome == "awarded"
    claim = reload(claim)
    assert claim.status == S.AWARDED
    decision = Decision.objects.get(claim=claim)
    assert decision.decided_by is None
    assert decision.outcome == "awarded"
    assert decision.reasons  # the rules' explanation, for the letter
    assert decision.statement is not None
    assert decision.statement.amount > 0
    assert claim.statements.count() == 1
    assert Payment.objects.filter(claim=claim, status=PaymentStatus.SCHEDULED).exists()
    told = Notification.objects.filter(customer=citizen.customer)
    assert told.count() > told_before
    assert told.filter(title__icontains="awarded").exists()
    note = claim.events.filter(kind=EventKind.NOTE).last()
    assert note.by is None
    assert note.visible_to_customer is False
    assert "automatically" in note.reason
    # A redelivered task changes nothing.
    assert straight_through.try_straight_through(claim_id=claim.pk) == "not open"
    assert Decision.objects.filter(claim=claim).count() == 1


def test_incomplete_evidence_leaves_the_claim_for_a_caseworker(db, citizen):
    claim = eligible_carers_claim(citizen)
    first, *_rest = claim.benefit.evidence_needed
    send_evidence(claim, citizen, [first])

    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence incomplete"

    assert reload(claim).status == S.SUBMITTED
    assert not Decision.objects.filter(claim=claim).exists()


def test_a_rejected_document_does_not_count_as_evidence(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    documents = send_evidence(claim, citizen)
    claim_documents.decide_document(
        document=documents[0], by=caseworker, accepted=False, reason="It is not readable."
    )
    assert documents[0].claim.documents.filter(state=DocumentState.REJECTED).count() == 1

    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence incomplete"

    assert reload(claim).status == S.SUBMITTED
    assert not Decision.objects.filter(claim=claim).exists()


def test_a_benefit_not_marked_straight_through_is_never_decided_automatically(db, citizen):
    Benefit.objects.filter(code="carers_allowance").update(straight_through=False)
    claim = eligible_carers_claim(citizen)
    send_evidence(claim, citizen)

    assert straight_through.try_straight_through(claim_id=claim.pk) == "benefit needs a caseworker"

    assert reload(claim).status == S.SUBMITTED
    assert not Decision.objects.filter(claim=claim).exists()


def test_a_claim_a_caseworker_has_taken_is_left_to_them(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    send_evidence(claim, citizen)
    casework_queue.assign(claim=claim, to=caseworker, by=caseworker)

    assert straight_through.try_straight_through(claim_id=claim.pk) == "a caseworker has it"

    assert reload(claim).status == S.IN_REVIEW
    assert not Decision.objects.filter(claim=claim).exists()


def test_the_system_never_refuses_a_claim_the_rules_say_is_not_eligible(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen, weekly_earnings="500.00")
    accept_all(send_evidence(claim, citizen), caseworker)
    assert claim_decisions.assess_claim(claim=reload(claim)).verdict == Verdict.NOT_ELIGIBLE
    visible_before = claim.events.filter(visible_to_customer=True).count()

    assert straight_through.try_straight_through(claim_id=claim.pk) == "needs a caseworker"

    claim = reload(claim)
    assert claim.status == S.SUBMITTED
    assert not Decision.objects.filter(claim=claim).exists()
    note = claim.events.filter(kind=EventKind.NOTE).last()
    assert note.by is None
    assert note.visible_to_customer is False
    assert "caseworker" in note.reason
    assert claim.events.filter(visible_to_customer=True).count() == visible_before


def test_a_caseworker_reverses_an_automatic_award(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    accept_all(send_evidence(claim, citizen), caseworker)
    assert straight_through.try_straight_through(claim_id=claim.pk) == "awarded"
    future = Payment.objects.filter(
        claim=claim, status=PaymentStatus.SCHEDULED, due_on__gt=timezone.localdate()
    )
    assert future.exists()

    with pytest.raises(claim_decisions.ReasonNeeded):
        straight_through.reverse_automatic_award(claim=claim, by=caseworker, reason="  ")
    assert reload(claim).status == S.AWARDED

    straight_through.reverse_automatic_award(
        claim=claim, by=caseworker, reason="The caring hours need checking."
    )

    claim = reload(claim)
    assert claim.status == S.IN_REVIEW
    assert not Payment.objects.filter(claim=claim, status=PaymentStatus.SCHEDULED).exists()
    event = claim.events.get(from_status=S.AWARDED, to_status=S.IN_REVIEW)
    assert (event.by, event.visible_to_customer) == (caseworker, True)
    assert "The caring hours need checking." in event.reason


def test_a_reversed_automatic_award_is_not_awarded_automatically_again(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    accept_all(send_evidence(claim, citizen), caseworker)
    straight_through.try_straight_through(claim_id=claim.pk)
    straight_through.reverse_automatic_award(
        claim=claim, by=caseworker, reason="The caring hours need checking."
    )

    # The person sends another document, which queues the claim for processing again.
    claim_documents.add_document(claim=claim, by=citizen, uploaded=upload(), evidence_kind="Letter")
    straight_through.try_straight_through(claim_id=claim.pk)

    assert reload(claim).status == S.IN_REVIEW
    assert Decision.objects.filter(claim=claim).count() == 1


def test_a_caseworkers_award_cannot_be_reversed_as_automatic(db, citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)
    payments = list(Payment.objects.filter(claim=claim).values_list("pk", "status"))

    with pytest.raises(lifecycle.TransitionNotAllowed):
        straight_through.reverse_automatic_award(claim=claim, by=caseworker, reason="Checking it.")

    assert reload(claim).status == S.AWARDED
    assert list(Payment.objects.filter(claim=claim).values_list("pk", "status")) == payments


def test_only_an_awarded_claim_can_be_reversed(db, citizen, caseworker):
    claim = eligible_carers_claim(citizen)

    with pytest.raises(lifecycle.TransitionNotAllowed):
        straight_through.reverse_automatic_award(claim=claim, by=caseworker, reason="Checking it.")

    assert reload(claim).status == S.SUBMITTED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clear_claim_sent_through_the_services_is_awarded_by_the_worker(
    purged_queue, citizen, caseworker
):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        claim = eligible_carers_claim(citizen)
        # Accepting the last document queues the claim for the worker.
        accept_all(send_evidence(claim, citizen), caseworker)

        awarded = wait_until(lambda: Claim.objects.filter(pk=claim.pk, status=S.AWARDED).first())

    decision = Decision.objects.get(claim=awarded)
    assert decision.decided_by is None
    assert awarded.statements.count() == 1
    assert Notification.objects.filter(customer=citizen.customer, title__icontains="awarded")


# --- 5. Due dates and priority are set when a claim is sent ------------------------------------


def test_sending_a_claim_sets_its_due_date_and_priority(db, citizen, other_citizen):
    other_citizen.customer.needs_extra_support = True
    other_citizen.customer.accessibility_needs = ["braille"]  # extra support still wins
    other_citizen.customer.save(update_fields=["needs_extra_support", "accessibility_needs"])
    carol = make_person("carol@example.org")
    carol.customer.accessibility_needs = ["easy_read"]
    carol.customer.save(update_fields=["accessibility_needs"])
    benefit = Benefit.objects.get(code="carers_allowance")
    expected_due = add_working_days(timezone.localdate(), benefit.service_level_days)

    ordinary, supported, accessible = (
        sent_claim(citizen), sent_claim(other_citizen), sent_claim(carol)
    )  # fmt: skip

    assert [(c.due_by, c.priority) for c in map(reload, (ordinary, supported, accessible))] == [
        (expected_due, 0), (expected_due, 2), (expected_due, 1),
    ]  # fmt: skip
    assert expected_due.weekday() < 5
    assert (expected_due - timezone.localdate()).days >= benefit.service_level_days


def test_a_draft_has_no_due_date_yet(db, citizen):
    draft = draft_claim(citizen, complete=True)

    assert (draft.due_by, draft.priority) == (None, 0)


# --- 6. The queue's queries use their indexes at 100,000 claims --------------------------------

SEEDED = 100_000


def index_names(plan: object) -> set[str]:
    found: set[str] = set()
    if isinstance(plan, dict):
        if "Index Name" in plan:
            found.add(plan["Index Name"])
        for value in plan.values():
            found |= index_names(value)
    elif isinstance(plan, list):
        for item in plan:
            found |= index_names(item)
    return found


def seed_claims(count: int) -> tuple[list[int], list[int]]:
    """A realistic mix, set-based: most claims decided long ago (past due dates, still
    showing who decided them); a few percent open and recent, most of those assigned."""
    staff = User.objects.bulk_create(
        User(email=f"seed-staff-{i}@example.org", password="!", is_staff=True) for i in range(40)
    )
    staff_ids = [u.pk for u in staff]
    benefit_ids = list(Benefit.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_customer
                (reference, legal_given_names, legal_family_name, preferred_name, email, phone,
                 address_line_1, address_line_2, town, postcode, preferred_language,
                 contact_channels, accessibility_needs, reasonable_adjustments,
                 needs_extra_support, created_at, updated_at)
            SELECT 'IX-' || lpad(to_hex(i), 9, '0'), 'Test', 'Person ' || i, '',
                   'ix' || i || '@example.org', '', '1 High Street', '', 'Leeds', 'LS1 4DY',
                   'en-gb', '{}', CASE WHEN i %% 20 = 0 THEN '{large_print}' ELSE '{}' END::varchar[],
                   '', i %% 50 = 0, now(), now()
            FROM generate_series(1, 5000) AS i
            """,
            {},
        )
        # Open claims are every 25th (4%), sent in the last 30 days; the rest were decided.
        cursor.execute(
            """
            WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_customer
                       WHERE reference LIKE 'IX-%%'),
                 s AS (
                SELECT i,
                       CASE WHEN i %% 25 = 0 THEN
                           (ARRAY['submitted', 'in_review', 'in_review', 'information_requested',
                                  'reconsideration_requested'])[1 + (i / 25) %% 5]
                       ELSE (ARRAY['awarded', 'refused', 'closed', 'withdrawn'])[1 + i %% 4]
                       END AS status,
                       CASE WHEN i %% 25 = 0 THEN now() - make_interval(days => (i / 25) %% 30)
                       ELSE now() - make_interval(days => 31 + i %% 1000) END AS sent
                FROM generate_series(1, %(count)s) AS i
            )
            INSERT INTO benefits_claim
                (reference, status, answers, version, created_at, updated_at, submitted_at,
                 decided_at, benefit_id, customer_id, answers_sha256, assigned_to_id,
                 assigned_at, due_by, priority)
            SELECT 'CL-' || upper(lpad(to_hex(i), 9, '0')), s.status, '{}', 1, s.sent, s.sent,
                   s.sent,
                   CASE WHEN s.status IN ('awarded', 'refused', 'closed') THEN s.sent END,
                   (%(benefits)s::bigint[])[1 + i %% cardinality(%(benefits)s::bigint[])],
                   -- One claim in progress per person and benefit: each open claim has
                   -- a person of its own (4%% of the claims, fewer than the people).
                   CASE WHEN i %% 25 = 0 THEN c.ids[1 + (i / 25) %% cardinality(c.ids)]
                        ELSE c.ids[1 + i %% cardinality(c.ids)] END,
                   '',
                   CASE WHEN s.status = 'submitted' OR (s.status = 'in_review' AND i %% 2 = 0)
                        THEN NULL
                        ELSE (%(staff)s::bigint[])[1 + i %% cardinality(%(staff)s::bigint[])] END,
                   s.sent,
                   (s.sent + interval '28 days')::date,
                   CASE WHEN i %% 50 = 0 THEN 2 WHEN i %% 20 = 0 THEN 1 ELSE 0 END
            FROM s CROSS JOIN c
            """,
            {"count": count, "benefits": benefit_ids, "staff": staff_ids},
        )
        cursor.execute("ANALYZE accounts_customer")
        cursor.execute("ANALYZE benefits_claim")
    return staff_ids, benefit_ids


def node_types(plan: object) -> set[str]:
    found: set[str] = set()
    if isinstance(plan, dict):
        if "Node Type" in plan:
            found.add(plan["Node Type"])
        for value in plan.values():
            found |= node_types(value)
    elif isinstance(plan, list):
        for item in plan:
            found |= node_types(item)
    return found


def test_the_queue_queries_use_their_indexes_at_100000_claims(db):
    staff_ids, benefit_ids = seed_claims(SEEDED)
    assert Claim.objects.count() >= SEEDED
    assert 0 < Claim.objects.filter(status__in=lifecycle.OPEN).count() < SEEDED // 10

    # (index, query, whether the index must also give the order: no Sort for take-next)
    queries = {
        "ben_claim_next_idx": (casework_queue.queue().filter(assigned_to__isnull=True)[:1], True),
        "ben_claim_assigned_idx": (
            Claim.objects.filter(assigned_to=staff_ids[3], status__in=lifecycle.OPEN).order_by(
                "due_by"
            ),
            False,  # several statuses: the few rows found are sorted
        ),
        "ben_claim_benefit_idx": (
            Claim.objects.filter(benefit=benefit_ids[2], status=S.IN_REVIEW).order_by("due_by"),
            False,  # no LIMIT: a bitmap scan and a sort of a few hundred rows is cheaper
        ),
    }
    wrong = {}
    for index, (queryset, ordered) in queries.items():
        plan = json.loads(queryset.explain(format="json"))
        if index not in index_names(plan) or (ordered and "Sort" in node_types(plan)):
            wrong[index] = json.dumps(plan, indent=1)
    assert not wrong, "\n\n".join(f"expected {name}:\n{plan}" for name, plan in wrong.items())


def test_the_overdue_query_uses_the_due_date_index_at_100000_claims(db):
    seed_claims(SEEDED)
    today = timezone.localdate()
    overdue = Claim.objects.filter(due_by__lt=today, status__in=lifecycle.OPEN)
    assert overdue.exists()

    plan = json.loads(overdue.explain(format="json"))

    assert "Seq Scan" not in node_types(plan)
    # A partial index on due_by for open claims only: decided claims have past dates too.
    assert "ben_claim_overdue_idx" in index_names(plan), json.dumps(plan, indent=1)
