"""The person's claim pages: Your services, the claim, withdrawing."""

from __future__ import annotations

import pytest

from benefits import claims, lifecycle
from benefits.models import Benefit, ClaimStatus

pytestmark = pytest.mark.django_db


def sent_claim(user, code="carers_allowance"):
    draft = claims.start_or_resume_draft(
        customer=user.customer, benefit=Benefit.objects.get(code=code), by=user
    )
    return claims.submit_claim(claim=draft, by=user)


def test_your_services_lists_each_claim_with_its_status(citizen_client, citizen):
    claim = sent_claim(citizen)

    html = citizen_client.get("/your-services/").content.decode()

    assert "Carer&#x27;s Allowance" in html or "Carer's Allowance" in html
    assert claim.reference in html
    assert "Application sent" in html


def test_your_services_queries_stay_constant_from_1_to_50_claims(
    citizen_client, citizen, caseworker, django_assert_max_num_queries
):
    codes = [b.code for b in Benefit.objects.filter(open_for_online_claims=True)]
    sent_claim(citizen)
    with django_assert_max_num_queries(15) as one:
        citizen_client.get("/your-services/")
    for i in range(49):  # 50 claims, each with a timeline
        lifecycle.transition(
            claim=sent_claim(citizen, codes[i % len(codes)]),
            to=ClaimStatus.IN_REVIEW,
            by=caseworker,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert citizen_client.get("/your-services/").status_code == 200


def test_the_claim_page_shows_the_status_next_step_and_visible_timeline(
    citizen_client, citizen, caseworker
):
    claim = sent_claim(citizen)
    lifecycle.transition(
        claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker, reason="Checking the caring hours"
    )
    lifecycle.transition(
        claim=claim, to=ClaimStatus.INFORMATION_REQUESTED, by=caseworker, reason="internal note",
        visible_to_customer=False,
    )  # fmt: skip

    html = citizen_client.get(f"/claims/{claim.pk}/").content.decode()

    assert claim.reference in html
    assert "We need more information from you" in html
    assert "We are waiting for you." in html
    assert "Checking the caring hours" in html
    assert "internal note" not in html


def test_withdrawing_asks_first_then_records_it(citizen_client, citizen):
    claim = sent_claim(citizen)

    confirm = citizen_client.get(f"/claims/{claim.pk}/withdraw/")
    done = citizen_client.post(f"/claims/{claim.pk}/withdraw/", {"reason": "I found work"})

    assert "Are you sure you want to withdraw" in confirm.content.decode()
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    assert claim.events.last().reason == "I found work"


def test_a_crafted_withdraw_of_a_decided_claim_is_refused_clearly_and_changes_nothing(
    citizen_client, citizen, caseworker
):
    claim = sent_claim(citizen)
    lifecycle.transition(claim=claim, to=ClaimStatus.AWARDED, by=caseworker)

    response = citizen_client.post(f"/claims/{claim.pk}/withdraw/", follow=True)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWARDED
    assert "cannot become" in response.content.decode()
