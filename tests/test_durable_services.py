"""Top-level services are durable transactions: calling one inside another transaction is a
mistake that fails loudly, and changes nothing, rather than quietly joining it."""

from __future__ import annotations

import pytest
from django.db import transaction

from benefits.casework import queue as casework_queue
from benefits.claims import applications
from benefits.models import Claim, ClaimStatus
from tests.claim_factory import draft_claim, sent_claim

pytestmark = pytest.mark.django_db


def test_submitting_a_claim_inside_another_transaction_fails_loudly(citizen):
    claim = draft_claim(citizen, complete=True)

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        applications.submit_claim(claim=claim, by=citizen)

    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DRAFT


def test_taking_the_next_claim_inside_another_transaction_fails_loudly(citizen, caseworker):
    claim = sent_claim(citizen)

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        casework_queue.take_next_claim(by=caseworker)

    assert Claim.objects.get(pk=claim.pk).assigned_to is None


def test_a_top_level_service_on_its_own_commits_its_work(citizen, caseworker):
    sent_claim(citizen)

    claim = casework_queue.take_next_claim(by=caseworker)

    assert Claim.objects.get(pk=claim.pk).assigned_to == caseworker


def test_asking_a_question_inside_another_transaction_fails_loudly(citizen):
    from conversations.models import Conversation
    from tests.conversations.helpers import ask

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        ask(citizen)

    assert not Conversation.objects.exists()


def test_replying_inside_another_transaction_fails_loudly(citizen):
    from tests.conversations.helpers import ask, reply

    conversation = ask(citizen)

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        reply(citizen, conversation)

    assert conversation.messages.count() == 1
