"""A claim's straight-through check is never lost to a broker outage.

Sending a claim, or evidence arriving or being accepted, asks a worker to try to decide it.
When the broker is down that request cannot be queued (and a broker restarted without
persistence loses what it held): the claim records that its check is due, and a beat job
queues every check that has been due for a while. Running a check twice decides nothing
twice.
"""

from __future__ import annotations

from datetime import timedelta

import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker expects)
import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from benefits.casework import straight_through
from benefits.casework.tasks import process_claim
from benefits.claims import applications
from benefits.models import Claim, ClaimStatus, Decision
from portal.celery import app
from tests.benefits.test_casework import accept_all, eligible_carers_claim, send_evidence
from tests.claim_factory import draft_claim
from tests.faults import DEAD_REDIS_URL, broker_at, within
from tests.helpers import purge_celery_queue, reload, wait_until

S = ClaimStatus
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LATER = straight_through.REQUEUE_AFTER + timedelta(seconds=1)


@pytest.fixture
def purged_queue():
    purge_celery_queue()
    yield
    purge_celery_queue()


@transactional
def test_sending_a_claim_with_the_broker_down_takes_under_a_second_and_raises_nothing(
    purged_queue, citizen
):
    draft = draft_claim(citizen, complete=True)

    with broker_at(DEAD_REDIS_URL):
        took = within(20, lambda: applications.submit_claim(claim=draft, by=citizen))

    assert took < 1.5, f"sending the claim took {took:.2f} s"
    claim = reload(draft)
    assert claim.status == S.SUBMITTED
    assert claim.straight_through_due_at is not None


@pytest.mark.worker
@transactional
def test_evidence_accepted_while_the_broker_was_down_is_decided_once_the_job_requeues_it(
    purged_queue, citizen, caseworker
):
    claim = eligible_carers_claim(citizen)
    documents = send_evidence(claim, citizen)
    purge_celery_queue()  # the checks queued so far found the evidence unchecked anyway

    with broker_at(DEAD_REDIS_URL):
        accept_all(documents, caseworker)  # the last acceptance could not queue the check

    claim = reload(claim)
    assert claim.status == S.SUBMITTED
    assert claim.straight_through_due_at is not None
    assert straight_through.requeue_missed_checks() == 0  # the fast path gets its chance first

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert straight_through.requeue_missed_checks(now=timezone.now() + LATER) == 1
        awarded = wait_until(lambda: Claim.objects.filter(pk=claim.pk, status=S.AWARDED).first())

    assert Decision.objects.filter(claim=claim).count() == 1
    assert awarded.straight_through_due_at is None
    assert straight_through.requeue_missed_checks(now=timezone.now() + LATER) == 0
    process_claim(claim.pk)  # the same check delivered again decides nothing again
    assert Decision.objects.filter(claim=claim).count() == 1


def test_a_check_that_ran_is_no_longer_due_whatever_it_found(db, citizen):
    claim = eligible_carers_claim(citizen)  # the evidence has not been sent yet
    assert reload(claim).straight_through_due_at is not None

    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence incomplete"

    assert reload(claim).straight_through_due_at is None
    assert straight_through.requeue_missed_checks(now=timezone.now() + LATER) == 0


def test_new_evidence_makes_the_check_due_again(db, citizen):
    claim = eligible_carers_claim(citizen)
    straight_through.try_straight_through(claim_id=claim.pk)

    send_evidence(claim, citizen)

    assert reload(claim).straight_through_due_at is not None


def test_the_job_runs_every_minute_and_a_missed_run_is_not_run_late():
    entry = next(
        e
        for e in app.conf.beat_schedule.values()
        if e["task"] == "benefits.casework.tasks.requeue_straight_through"
    )

    assert entry["schedule"] == timedelta(minutes=1)
    assert entry["options"]["expires"] <= 60
    assert app.tasks["benefits.casework.tasks.requeue_straight_through"]
