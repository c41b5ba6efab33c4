"""Straight-through awards rest only on evidence that passed checks.

A document counts when a caseworker accepted it, or an automated check did, and then the
decision names who or what checked it. A file that was only received (a blank PDF
nobody opened) counts for nothing. Decisions never say "not checked here", and the
system still never makes an adverse decision: a failed automated check leaves the
document and the claim to a person.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from benefits.casework import straight_through
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.models import CaseNote, ClaimStatus, Decision, DocumentState
from notifications.models import Notification
from tests.benefits.test_casework import eligible_carers_claim, send_evidence
from tests.claim_factory import pdf_bytes, upload
from tests.helpers import reload

pytestmark = pytest.mark.django_db
S = ClaimStatus
CHECK = "match with the Attendance Allowance records"


def test_evidence_nobody_checked_is_never_enough_for_an_automatic_award(citizen):
    claim = eligible_carers_claim(citizen)
    documents = [
        claim_documents.add_document(
            claim=claim, by=citizen, uploaded=upload("scan.pdf", pdf_bytes()), evidence_kind=kind
        )
        for kind in claim.benefit.evidence_needed
    ]
    assert all(d.size < 1000 for d in documents)  # a blank page: sent, and that is all

    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence not checked"

    assert reload(claim).status == S.SUBMITTED
    assert not Decision.objects.filter(claim=claim).exists()


def test_one_kind_checked_and_one_only_received_is_not_enough(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    first, second = send_evidence(claim, citizen)
    claim_documents.decide_document(document=first, by=caseworker, accepted=True)
    claim_documents.mark_document_seen(document=second, by=caseworker)  # opened is not accepted

    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence not checked"
    assert not Decision.objects.filter(claim=claim).exists()


def test_an_award_on_evidence_a_caseworker_accepted_says_so(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    for document in send_evidence(claim, citizen):
        claim_documents.decide_document(document=document, by=caseworker, accepted=True)

    assert straight_through.try_straight_through(claim_id=claim.pk) == "awarded"

    reasons = Decision.objects.get(claim=claim).reasons
    for kind in claim.benefit.evidence_needed:
        assert f"{kind} (payslip.png): accepted by a caseworker on" in reasons
    assert "not checked" not in reasons


def test_an_award_on_evidence_an_automated_check_accepted_names_the_check(citizen_client, citizen):
    claim = eligible_carers_claim(citizen)
    for document in send_evidence(claim, citizen):
        checked = claim_documents.record_automated_check(
            document=document, check=CHECK, passed=True
        )
        assert (checked.state, checked.automated_check) == (DocumentState.ACCEPTED, CHECK)

    assert straight_through.try_straight_through(claim_id=claim.pk) == "awarded"

    decision = Decision.objects.get(claim=claim)
    assert decision.decided_by is None
    assert decision.reasons.count(f"checked by {CHECK} on") == len(claim.benefit.evidence_needed)
    letter = citizen_client.get(reverse("claims:decision_letter", args=[claim.pk, decision.pk]))
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(letter.content)).pages).split()
    )  # fmt: skip
    assert f"checked by {CHECK}" in text
    assert "not checked" not in text


def test_a_failed_automated_check_rejects_nothing_and_decides_nothing(citizen):
    claim = eligible_carers_claim(citizen)
    documents = send_evidence(claim, citizen)
    told = Notification.objects.filter(customer=citizen.customer).count()

    for document in documents:
        claim_documents.record_automated_check(
            document=document, check=CHECK, passed=False, detail="No record found."
        )

    for document in documents:
        document.refresh_from_db()
        assert (document.state, document.automated_check) == (DocumentState.RECEIVED, "")
    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence not checked"
    assert reload(claim).status == S.SUBMITTED
    assert not Decision.objects.filter(claim=claim).exists()
    assert Notification.objects.filter(customer=citizen.customer).count() == told
    notes = CaseNote.objects.filter(claim=claim).values_list("text", flat=True)
    assert len(notes) == len(documents)
    assert all(CHECK in note and "No record found." in note for note in notes)


def test_an_automated_check_does_not_overrule_a_caseworkers_rejection(citizen, caseworker):
    claim = eligible_carers_claim(citizen)
    first, second = send_evidence(claim, citizen)
    claim_documents.decide_document(
        document=first, by=caseworker, accepted=False, reason="Blank page."
    )
    claim_documents.record_automated_check(document=second, check=CHECK, passed=True)

    claim_documents.record_automated_check(document=first, check=CHECK, passed=True)

    first.refresh_from_db()
    assert first.state == DocumentState.REJECTED
    assert straight_through.try_straight_through(claim_id=claim.pk) == "evidence incomplete"


def test_a_check_must_be_named(citizen):
    claim = eligible_carers_claim(citizen)
    (document, *_rest) = send_evidence(claim, citizen)

    with pytest.raises(ValueError, match="must be named"):
        claim_documents.record_automated_check(document=document, check="  ", passed=True)

    document.refresh_from_db()
    assert document.state == DocumentState.RECEIVED


def test_no_decision_on_carers_allowance_says_not_checked_here(citizen, caseworker):
    claim = eligible_carers_claim(citizen)

    decision = claim_decisions.award_claim(claim=claim, by=caseworker)  # the rules' explanation

    assert decision.reasons
    assert "2 of the last 3 years" in decision.reasons
    assert "not checked" not in decision.reasons.lower()
