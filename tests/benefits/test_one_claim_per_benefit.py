"""One claim in progress per benefit per person.

A draft or a sent claim that is not yet decided is "in progress": "Apply" continues it,
a second one is never started or sent, and the database refuses one even when two tabs
race. Once a claim is decided, withdrawn or closed the person can apply again.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from benefits.casework import straight_through
from benefits.claims import applications
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.models import Benefit, Claim, ClaimStatus
from tests.benefits.test_casework import eligible_carers_claim, send_evidence
from tests.claim_factory import complete_answers, draft_claim, refused_claim, sent_claim

pytestmark = pytest.mark.django_db
S = ClaimStatus
IN_PROGRESS = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFORMATION_REQUESTED]


def carers_allowance() -> Benefit:
    return Benefit.objects.get(code="carers_allowance")


def in_progress(user) -> list[Claim]:
    return list(
        Claim.objects.filter(
            customer=user.customer,
            benefit__code="carers_allowance",
            status__in=[*IN_PROGRESS, S.RECONSIDERATION_REQUESTED],
        )
    )


# --- The service ------------------------------------------------------------------------------


def test_apply_with_a_claim_already_sent_continues_that_claim(citizen):
    sent = sent_claim(citizen)

    again = applications.start_or_resume_draft(
        customer=citizen.customer, benefit=carers_allowance(), by=citizen
    )

    assert again.pk == sent.pk
    assert again.status == S.SUBMITTED
    assert Claim.objects.filter(customer=citizen.customer).count() == 1


def test_after_a_refusal_the_person_can_apply_again(citizen, caseworker):
    refused, _decision = refused_claim(citizen, caseworker)

    new = applications.start_or_resume_draft(
        customer=citizen.customer, benefit=carers_allowance(), by=citizen
    )

    assert new.pk != refused.pk
    assert new.status == S.DRAFT


def test_the_database_refuses_a_second_claim_in_progress(citizen):
    sent_claim(citizen)

    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(customer=citizen.customer, benefit=carers_allowance())


def test_another_persons_claim_does_not_stop_anyone_applying(citizen, other_citizen):
    sent_claim(other_citizen)

    mine = applications.start_or_resume_draft(
        customer=citizen.customer, benefit=carers_allowance(), by=citizen
    )

    assert mine.status == S.DRAFT
    assert mine.customer == citizen.customer


def test_asking_for_a_reconsideration_while_a_new_claim_is_in_progress_is_refused_clearly(
    citizen, caseworker
):
    refused, _decision = refused_claim(citizen, caseworker)
    new = draft_claim(citizen)

    with pytest.raises(applications.ClaimInProgress) as refused_again:
        claim_decisions.request_reconsideration(
            claim=refused, by=citizen, reason="I care 40 hours."
        )

    assert "already have a Carer's Allowance claim in progress" in str(refused_again.value)
    assert refused_again.value.claim.pk == new.pk
    assert Claim.objects.get(pk=refused.pk).status == S.REFUSED


def test_an_automatic_award_is_not_reversed_into_a_second_claim_in_progress(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    for document in send_evidence(claim, citizen):
        claim_documents.decide_document(document=document, by=caseworker, accepted=True)
    assert straight_through.try_straight_through(claim_id=claim.pk) == "awarded"
    draft_claim(citizen)  # the person applies again while the award stands

    with pytest.raises(ValueError, match="another claim for this benefit in progress"):
        straight_through.reverse_automatic_award(
            claim=claim, by=caseworker, reason="Check the hours."
        )

    assert Claim.objects.get(pk=claim.pk).status == S.AWARDED


# --- The race ---------------------------------------------------------------------------------


def _race(*jobs):
    """Run each job in its own thread and connection, released together."""
    barrier, results, errors = threading.Barrier(len(jobs)), [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # reported below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_applying_and_sending_at_once_send_one_claim(citizen):
    answers = complete_answers("carers_allowance")

    def apply_and_send():
        claim = applications.start_or_resume_draft(
            customer=citizen.customer, benefit=carers_allowance(), by=citizen
        )
        if claim.status == S.DRAFT:
            # If the other tab saved first, its answers are the same.
            with contextlib.suppress(applications.StaleDraft):
                claim = applications.save_draft_answers(
                    claim=claim, answers=answers, version=claim.version, by=citizen
                )
            claim = applications.submit_claim(claim=claim, by=citizen)
        return claim.reference

    results, errors = _race(apply_and_send, apply_and_send)

    assert not errors
    assert results[0] == results[1]
    assert Claim.objects.filter(customer=citizen.customer).count() == 1
    assert Claim.objects.get(customer=citizen.customer).status == S.SUBMITTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_application_racing_a_reconsideration_leaves_one_claim_in_progress(
    citizen, caseworker
):
    refused, _decision = refused_claim(citizen, caseworker)

    def reconsider():
        try:
            return claim_decisions.request_reconsideration(
                claim=refused, by=citizen, reason="I care 40 hours."
            ).status
        except applications.ClaimInProgress:
            return "refused clearly"

    def apply():
        return applications.start_or_resume_draft(
            customer=citizen.customer, benefit=carers_allowance(), by=citizen
        ).status

    for _round in range(3):
        results, errors = _race(reconsider, apply)

        assert not errors  # never an IntegrityError
        assert len(in_progress(citizen)) == 1
        (only,) = in_progress(citizen)
        if only.pk == refused.pk:  # the reconsideration won: "apply" continues it
            assert results == [S.RECONSIDERATION_REQUESTED, S.RECONSIDERATION_REQUESTED]
            return
        assert results == ["refused clearly", S.DRAFT]
        Claim.objects.filter(pk=only.pk).delete()  # try again: the other order may win


# --- The pages --------------------------------------------------------------------------------


def test_the_apply_page_for_a_benefit_with_a_sent_claim_goes_to_that_claim(citizen_client, citizen):
    sent = sent_claim(citizen)
    start = reverse("claims:apply_start", args=["carers_allowance"])

    for response in (citizen_client.get(start), citizen_client.post(start)):
        assert response.status_code == 302
        assert response.url == reverse("claims:detail", args=[sent.pk])

    page = citizen_client.get(reverse("claims:detail", args=[sent.pk])).content.decode()
    assert "already have a Carer&#x27;s Allowance claim in progress" in page
    assert Claim.objects.filter(customer=citizen.customer).count() == 1


def test_the_apply_page_continues_a_draft(citizen_client, citizen):
    draft = draft_claim(citizen)
    start = reverse("claims:apply_start", args=["carers_allowance"])

    assert "Continue your application" in citizen_client.get(start).content.decode()
    response = citizen_client.post(start)

    assert response.url == reverse("claims:apply", args=[draft.pk])
    assert Claim.objects.filter(customer=citizen.customer).count() == 1


def test_asking_for_a_reconsideration_with_a_new_claim_in_progress_says_why_on_the_page(
    citizen_client, citizen, caseworker
):
    refused, _decision = refused_claim(citizen, caseworker)
    draft_claim(citizen)

    response = citizen_client.post(
        reverse("claims:reconsider", args=[refused.pk]), {"reason": "I care 40 hours."}
    )

    assert response.status_code == 200
    assert "already have a Carer&#x27;s Allowance claim in progress" in response.content.decode()
    assert Claim.objects.get(pk=refused.pk).status == S.REFUSED
