"""The claim lifecycle: one state machine, every change on the timeline, submit once."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from benefits.claims import applications, lifecycle
from benefits.models import Benefit, Claim, ClaimEvent, ClaimStatus

pytestmark = pytest.mark.django_db

S = ClaimStatus


@pytest.fixture
def carers_allowance(db):
    return Benefit.objects.get(code="carers_allowance")


@pytest.fixture
def draft(citizen, carers_allowance):
    return applications.start_or_resume_draft(
        customer=citizen.customer, benefit=carers_allowance, by=citizen
    )


def test_apply_resumes_the_same_draft(citizen, carers_allowance, draft):
    again = applications.start_or_resume_draft(
        customer=citizen.customer, benefit=carers_allowance, by=citizen
    )

    assert again.pk == draft.pk
    assert Claim.objects.filter(customer=citizen.customer).count() == 1


def test_benefits_not_claimed_online_cannot_be_started_here(citizen):
    with pytest.raises(applications.ClaimNotOpenOnline):
        applications.start_or_resume_draft(
            customer=citizen.customer, benefit=Benefit.objects.get(code="child_benefit"), by=citizen
        )


def test_submitting_gives_a_reference_and_a_timeline_event(citizen, draft):
    sent = applications.submit_claim(claim=draft, by=citizen)

    assert sent.status == S.SUBMITTED
    assert re.fullmatch(r"CL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", sent.reference)
    assert sent.submitted_at is not None
    event = sent.events.get()
    assert (event.from_status, event.to_status, event.by) == (S.DRAFT, S.SUBMITTED, citizen)
    assert event.visible_to_customer


def test_submitting_twice_creates_one_claim_and_one_event(citizen, draft):
    first = applications.submit_claim(claim=draft, by=citizen)
    second = applications.submit_claim(claim=draft, by=citizen)  # double click, back button

    assert second.pk == first.pk
    assert second.reference == first.reference
    assert ClaimEvent.objects.filter(claim=draft).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_submitting_at_once_send_one_claim(citizen, carers_allowance):
    draft = applications.start_or_resume_draft(
        customer=citizen.customer, benefit=carers_allowance, by=citizen
    )
    barrier, results, errors = threading.Barrier(2), [], []

    def submit():
        try:
            barrier.wait()
            results.append(applications.submit_claim(claim=draft, by=citizen).reference)
        except Exception as exc:  # reported below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not errors
    assert len(results) == 2
    assert results[0] == results[1]
    assert Claim.objects.filter(status=S.SUBMITTED).count() == 1
    assert ClaimEvent.objects.filter(claim=draft, to_status=S.SUBMITTED).count() == 1


def test_two_tabs_editing_a_draft_do_not_silently_lose_an_answer(citizen, draft):
    tab_a_version = tab_b_version = draft.version

    applications.save_draft_answers(
        claim=draft, answers={"caring_hours": 40}, version=tab_a_version, by=citizen
    )
    with pytest.raises(applications.StaleDraft, match="changed in another window"):
        applications.save_draft_answers(
            claim=draft, answers={"caring_hours": 20}, version=tab_b_version, by=citizen
        )

    draft.refresh_from_db()
    assert draft.answers == {"caring_hours": 40}
    assert draft.version == tab_a_version + 1


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([S.SUBMITTED, S.IN_REVIEW, S.INFORMATION_REQUESTED, S.IN_REVIEW, S.AWARDED], True),
        ([S.SUBMITTED, S.REFUSED, S.RECONSIDERATION_REQUESTED, S.RECONSIDERED, S.CLOSED], True),
        ([S.SUBMITTED, S.IN_REVIEW, S.WITHDRAWN], True),
        ([S.SUBMITTED, S.AWARDED, S.WITHDRAWN], False),  # a decided claim is not withdrawn
        ([S.SUBMITTED, S.RECONSIDERATION_REQUESTED], False),  # nothing decided yet
        ([S.AWARDED], False),  # a draft is never awarded
    ],
)
def test_only_the_allowed_transitions_happen(citizen, caseworker, draft, path, allowed):
    claim = draft
    try:
        for status in path:
            claim = lifecycle.transition(claim=claim, to=status, by=caseworker, extra_fields=(
                {"reference": "CL-TEST-0001", "submitted_at": claim.created_at} if status == S.SUBMITTED else None
            ))  # fmt: skip
    except lifecycle.TransitionNotAllowed:
        assert not allowed
    else:
        assert allowed


def test_a_refused_transition_changes_nothing_and_says_why(citizen, caseworker, draft):
    sent = applications.submit_claim(claim=draft, by=citizen)
    lifecycle.transition(claim=sent, to=S.AWARDED, by=caseworker, reason="Meets the conditions")

    with pytest.raises(lifecycle.TransitionNotAllowed, match="“Awarded” cannot become “Withdrawn”"):
        applications.withdraw_claim(claim=sent, by=citizen)

    sent.refresh_from_db()
    assert sent.status == S.AWARDED
    assert sent.decided_at is not None
    assert list(sent.events.values_list("to_status", flat=True)) == [S.SUBMITTED, S.AWARDED]


def test_withdrawing_an_open_claim_is_recorded_with_the_reason(citizen, draft):
    sent = applications.submit_claim(claim=draft, by=citizen)

    withdrawn = applications.withdraw_claim(claim=sent, by=citizen, reason="I found work")

    assert withdrawn.status == S.WITHDRAWN
    assert withdrawn.events.last().reason == "I found work"


def test_every_state_has_its_transitions_declared():
    assert set(lifecycle.TRANSITIONS) == set(ClaimStatus.values)
    for targets in lifecycle.TRANSITIONS.values():
        assert targets <= set(ClaimStatus.values)
