"""The caseworker workspace in the admin: the queue, the casework buttons, the 360° page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Customer
from benefits.claims import lifecycle
from benefits.models import Claim, ClaimStatus, Decision, InformationRequest
from notifications.models import Notification
from tests.claim_factory import claim_with_document, sent_claim
from tests.conftest import make_person, sign_in_with_mfa

pytestmark = pytest.mark.django_db
S = ClaimStatus


@pytest.fixture
def casey(client, caseworker):
    sign_in_with_mfa(client, caseworker)
    return client


def test_the_queue_lists_open_claims_highest_priority_first(casey, citizen, other_citizen):
    ordinary = sent_claim(citizen)
    other_citizen.customer.needs_extra_support = True
    other_citizen.customer.save()
    urgent = sent_claim(other_citizen)
    withdrawn = sent_claim(citizen, "jsa")
    lifecycle.transition(claim=withdrawn, to=S.WITHDRAWN, by=citizen)

    html = casey.get("/admin/benefits/claim/").content.decode()

    assert html.index(urgent.reference) < html.index(ordinary.reference)
    assert withdrawn.reference not in html  # open work only, unless asked for everything
    assert "Needs extra support" in html
    assert withdrawn.reference in casey.get("/admin/benefits/claim/?work=all").content.decode()


def test_take_the_next_claim_assigns_it_and_opens_it(casey, caseworker, citizen):
    claim = sent_claim(citizen)

    response = casey.post("/admin/benefits/claim/take-next/")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/benefits/claim/{claim.pk}/change/"
    claim.refresh_from_db()
    assert claim.assigned_to == caseworker
    assert claim.status == S.IN_REVIEW
    again = casey.post("/admin/benefits/claim/take-next/", follow=True)
    assert "The queue is empty" in again.content.decode()


def test_the_claim_page_shows_the_rules_proposal_and_the_casework_buttons(casey, citizen):
    claim, _document = claim_with_document(citizen)

    html = casey.get(f"/admin/benefits/claim/{claim.pk}/change/").content.decode()

    assert "What the rules say" in html
    assert "Ask the person for information" in html
    assert "Award the claim" in html
    assert "Refuse the claim" in html
    assert f"/admin/customers/{claim.customer_id}/360/" in html


def test_request_information_award_and_refuse_through_the_buttons(casey, caseworker, citizen):
    claim = sent_claim(citizen)
    due = timezone.localdate() + timedelta(days=10)

    casey.post(
        f"/admin/benefits/claim/{claim.pk}/act/request-information/",
        {
            "request-information-what": "Send your payslips",
            "request-information-due_on_day": due.day,
            "request-information-due_on_month": due.month,
            "request-information-due_on_year": due.year,
        },
    )
    claim.refresh_from_db()
    assert claim.status == S.INFORMATION_REQUESTED
    assert InformationRequest.objects.get(claim=claim).what_is_needed == "Send your payslips"

    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker)
    response = casey.post(
        f"/admin/benefits/claim/{claim.pk}/act/award/",
        {
            "award-amount": "83.30",
            "award-adjustment_reason": "Checked the caring records",
            "award-reasons": "You care 35 hours a week.",
        },
        follow=True,
    )
    assert "Awarded" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.AWARDED
    assert claim.statements.get().amount == Decimal("83.30")

    other = sent_claim(citizen, "jsa")
    casey.post(
        f"/admin/benefits/claim/{other.pk}/act/refuse/",
        {"refuse-reason_code": "income", "refuse-details": "Your earnings are £900."},
    )
    decision = Decision.objects.get(claim=other)
    assert decision.reasons.startswith("Your income is over the limit.")
    assert "£900" in decision.reasons


def test_a_bad_or_impossible_action_says_why_and_changes_nothing(casey, citizen):
    claim = sent_claim(citizen)
    events = claim.events.count()

    empty = casey.post(
        f"/admin/benefits/claim/{claim.pk}/act/refuse/",
        {"refuse-reason_code": "income"},
        follow=True,
    )
    assert "This field is required" in empty.content.decode()
    impossible = casey.post(
        f"/admin/benefits/claim/{claim.pk}/act/reconsider/",
        {"reconsider-changed": "yes", "reconsider-reasons": "x"},
        follow=True,
    )
    assert "cannot become" in impossible.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert claim.events.count() == events


def test_a_caseworker_cannot_bulk_reassign_or_see_the_load_page(casey, caseworker, citizen):
    from tests.conftest import make_staff

    colleague = make_staff("colleague@example.org", group="caseworker")
    claim = sent_claim(citizen)

    response = casey.post(
        "/admin/benefits/claim/",
        {"action": "reassign", "_selected_action": [claim.pk], "apply": "1", "to": colleague.pk},
    )
    assert casey.get("/admin/benefits/claim/load/").status_code == 403
    claim.refresh_from_db()
    assert claim.assigned_to is None
    assert response.status_code in (200, 302)


def test_a_team_leader_reassigns_in_bulk_and_sees_the_load(client, team_leader, citizen):
    from tests.conftest import make_staff

    sign_in_with_mfa(client, team_leader)
    colleague = make_staff("colleague@example.org", group="caseworker")
    first, second = sent_claim(citizen), sent_claim(citizen, "jsa")

    client.post(
        "/admin/benefits/claim/",
        {
            "action": "reassign",
            "_selected_action": [first.pk, second.pk],
            "apply": "1",
            "to": colleague.pk,
        },
    )

    assert set(Claim.objects.filter(assigned_to=colleague).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    load = client.get("/admin/benefits/claim/load/").content.decode()
    assert "colleague@example.org" in load


def test_the_360_page_shows_the_whole_person(casey, citizen):
    claim, document = claim_with_document(citizen)
    Notification.objects.create(customer=citizen.customer, kind="status", title="Hello")

    html = casey.get(f"/admin/customers/{citizen.customer.pk}/360/").content.decode()

    for text in (
        citizen.customer.reference,
        claim.reference,
        document.original_name,
        "Hello",
        "Access log",
        "Circumstances",
    ):
        assert text in html


def test_citizens_cannot_reach_the_workspace(citizen_client, citizen):
    claim = sent_claim(citizen)
    assert citizen_client.get(f"/admin/customers/{citizen.customer.pk}/360/").status_code == 404
    assert (
        citizen_client.post(f"/admin/benefits/claim/{claim.pk}/act/award/", {}).status_code == 404
    )


def _many_claims(n: int, citizen, caseworker) -> None:
    """n claims across many customers, through the services for a few and copies for the rest."""
    seed = [sent_claim(make_person(f"p{i}@example.org"), "jsa") for i in range(3)]
    template = seed[0]
    # One claim in progress per person and benefit: the open copies each have a person of
    # their own; the first person also has every other copy, decided.
    people = Customer.objects.bulk_create(
        Customer(reference=f"C-BULK-{i:04d}", legal_family_name=f"Person {i}") for i in range(n)
    )
    Claim.objects.bulk_create(
        Claim(
            customer_id=people[i].pk if i % 2 else template.customer_id,
            benefit_id=template.benefit_id,
            status=S.IN_REVIEW if i % 2 else S.REFUSED,
            reference=f"CL-Q{i:03d}-{i:04d}"[:12],
            submitted_at=template.submitted_at,
            due_by=timezone.localdate() + timedelta(days=i % 30),
            priority=i % 3,
            assigned_to=caseworker if i % 4 == 0 else None,
            answers_sha256="",
        )
        for i in range(n)
    )


def test_the_queue_and_the_360_page_run_a_bounded_number_of_queries_with_1000_claims(
    casey, caseworker, citizen, django_assert_max_num_queries
):
    _many_claims(1000, citizen, caseworker)
    customer_id = Claim.objects.order_by("pk").first().customer_id
    casey.get("/admin/benefits/claim/")  # the session's first request

    with django_assert_max_num_queries(20):
        assert casey.get("/admin/benefits/claim/").status_code == 200
    with django_assert_max_num_queries(20):
        assert casey.get("/admin/benefits/claim/?assigned=me&priority=2").status_code == 200
    # The access event is written before the page leaves: the groups and one INSERT. The
    # person's conversations are one query more (tests/conversations: constant as they grow),
    # and their appointments one more (tests/appointments). Their representatives (with
    # the claims each may see, aggregated), consents and correction requests are one query
    # each (tests/representatives/test_customer_360.py: constant as they grow).
    with django_assert_max_num_queries(33):
        assert casey.get(f"/admin/customers/{customer_id}/360/").status_code == 200


def test_opening_a_claim_a_document_and_the_360_page_is_logged_for_the_citizen(
    casey, caseworker, citizen
):
    from accounts.models import AccessEvent

    claim, document = claim_with_document(citizen)
    casey.get(f"/admin/benefits/claim/{claim.pk}/change/")
    # As a server would: the file is sent, then the response is closed.
    download = casey.get(f"/admin/benefits/document/{document.pk}/file/")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")  # sent, then closed
    casey.get(f"/admin/customers/{citizen.customer.pk}/360/")

    logged = set(
        AccessEvent.objects.filter(customer=citizen.customer).values_list(
            "what", "object_id", "staff"
        )
    )
    assert logged == {
        ("claim", claim.pk, caseworker.pk),
        ("document", document.pk, caseworker.pk),
        ("customer_360", citizen.customer.pk, caseworker.pk),
    }
    document.refresh_from_db()
    assert document.state == "seen"  # opening it is on the person's receipt too


def test_a_reported_change_reaches_the_caseworker_and_is_applied_from_its_date(
    casey, caseworker, citizen
):
    from accounts import services as account_services
    from journeys import services as journeys
    from tests.claim_factory import awarded_claim

    account_services.record_fact(
        customer=citizen.customer, kind="monthly_earnings", value=1500,
        effective_from=timezone.localdate() - timedelta(days=400), by=citizen,
    )  # fmt: skip
    claim, _decision = awarded_claim(citizen)
    happened = timezone.localdate() - timedelta(days=10)
    journeys.confirm_change(
        customer=citizen.customer, by=citizen, token="t-1", kind="caring",
        details={"caring_hours": 0}, happened_on=happened,
    )  # fmt: skip
    claim.refresh_from_db()
    assert claim.change_to_review_from == happened
    assert claim.reference in casey.get("/admin/benefits/claim/?work=changes").content.decode()

    response = casey.post(
        f"/admin/benefits/claim/{claim.pk}/act/review-change/",
        {"review-change-apply": "no", "review-change-reason": "Checked: the award stands."}, follow=True,
    )  # fmt: skip

    assert "has been dealt with" in response.content.decode()
    claim.refresh_from_db()
    assert claim.change_to_review_from is None
    assert claim.events.filter(kind="note", reason__contains="Checked: the award stands.").exists()


def test_staff_who_do_not_decide_claims_cannot_reverse_or_review(citizen):
    from django.core.exceptions import PermissionDenied

    from benefits.casework import changes as casework_changes
    from benefits.casework import straight_through
    from tests.claim_factory import awarded_claim
    from tests.conftest import make_staff

    clerk = make_staff("clerk@example.org")  # staff, in no casework group
    claim, _decision = awarded_claim(citizen)

    with pytest.raises(PermissionDenied):
        straight_through.reverse_automatic_award(claim=claim, by=clerk, reason="Checking")
    with pytest.raises(PermissionDenied):
        casework_changes.review_change(claim=claim, by=clerk, apply=False, reason="Checked")
    claim.refresh_from_db()
    assert claim.status == S.AWARDED
