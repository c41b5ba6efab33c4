"""The person's claim pages: Your services, the claim page, live status, withdrawing,
reconsideration, answering requests, documents, decision letters and statements."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims import timeline as claim_timeline
from benefits.models import (
    Claim,
    ClaimEvent,
    ClaimStatus,
    Decision,
    Document,
    EventKind,
    InformationRequest,
    Payment,
    PaymentStatus,
)
from benefits.rules.base import add_working_days, gbp
from notifications.models import Notification
from notifications.services import mark_read
from tests.benefits.test_claim_services import EXE_BYTES, eligible_carers_claim, stored_files
from tests.claim_factory import (
    awarded_claim,
    claim_with_document,
    claim_with_request,
    draft_claim,
    png_bytes,
    refused_claim,
    sent_claim,
    upload,
)
from tests.helpers import error_summary, one, select, text_of, texts

pytestmark = pytest.mark.django_db
S = ClaimStatus
HOME = "/your-services/"
OPEN_CODES = ["carers_allowance", "pip", "jsa", "attendance_allowance", "pension_credit"]


def page(response) -> str:
    """The page's HTML with entities decoded, as a person reads the text."""
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def detail(claim: Claim) -> str:
    return reverse("claims:detail", args=[claim.pk])


def long_date(day) -> str:
    return day.strftime("%-d %B %Y")


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def table_with(caption: str) -> str:
    """XPath to the table with this caption."""
    return f"//table[caption[normalize-space()='{caption}']]"


def table_rows(caption: str) -> str:
    """XPath to the body rows of the table with this caption."""
    return table_with(caption) + "/tbody/tr[contains(@class, 'govuk-table__row')]"


def snapshot(claim: Claim) -> tuple:
    """Everything a refused action must leave as it was."""
    fresh = Claim.objects.get(pk=claim.pk)
    return (
        fresh.status,
        fresh.updated_at,
        ClaimEvent.objects.filter(claim=claim).count(),
        Notification.objects.filter(customer=claim.customer).count(),
        Decision.objects.filter(claim=claim).count(),
        Document.objects.filter(claim=claim).count(),
    )


def messages_on(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Your services ---------------------------------------------------------------------------


def test_your_services_lists_every_claim_with_its_status_and_next_step(
    citizen_client, citizen, other_citizen, caseworker
):
    draft = draft_claim(citizen, "pip")
    sent = sent_claim(citizen, "jsa")
    awarded, _decision = awarded_claim(citizen, caseworker)
    bobs = sent_claim(other_citizen, "attendance_allowance")

    text = page(citizen_client.get(HOME))

    claims_part = text[text.index("Your claims") :]
    for claim, status, next_step in [
        (sent, "Application sent", "We have your application. A caseworker will look at it."),
        (awarded, "Awarded", "Your claim was awarded."),
        (draft, "Draft", "Your application has not been sent yet."),
    ]:
        item = section(claims_part, claim.benefit.name, "</li>")
        assert status in item
        assert next_step in item
    assert f'href="{detail(sent)}"' in claims_part
    assert sent.reference in claims_part
    assert awarded.reference in claims_part
    assert "Finish your Personal Independence Payment application" in text
    assert f'href="{reverse("claims:apply", args=[draft.pk])}"' in text
    assert bobs.reference not in text
    assert "Attendance Allowance" not in claims_part


def test_your_services_to_do_list_sorts_requests_by_due_date_and_marks_overdue_ones(
    citizen_client, citizen, caseworker
):
    today = timezone.localdate()
    due = {"pip": 10, "jsa": 3, "carers_allowance": 20}
    requests_ = {}
    for code, days in due.items():
        claim = sent_claim(citizen, code)
        requests_[code] = claim_documents.request_information(
            claim=claim, by=caseworker, what=f"About {code}", due_on=today + timedelta(days=days)
        )
    # Time passes: the Carer's Allowance request's date goes by without an answer.
    InformationRequest.objects.filter(pk=requests_["carers_allowance"].pk).update(
        due_on=today - timedelta(days=2)
    )
    answered_claim, answered = claim_with_request(citizen, caseworker)
    claim_documents.answer_information_request(request=answered, by=citizen, answer="Done")

    response = citizen_client.get(HOME)
    text = page(response)

    todo = section(text, "Things to do", "Your claims")
    items = texts(response, "//h2[normalize-space()='Things to do']/following-sibling::ul[1]/li")
    replies = [i for i in items if "Reply to our request" in i]
    assert [re.search(r"your (.+?) claim", i).group(1) for i in replies] == [
        "Carer's Allowance",
        "New Style Jobseeker's Allowance",
        "Personal Independence Payment",
    ]
    assert ["Overdue" in i for i in replies] == [True, False, False]
    assert f"Reply by {long_date(today - timedelta(days=2))}" in replies[0]
    # Asked for in 3 days, or the next working day after.
    assert f"Reply by {long_date(requests_['jsa'].due_on)}" in replies[1]
    for code, info in requests_.items():
        link = reverse("claims:answer_request", args=[info.claim_id, info.pk])
        assert f'href="{link}"' in todo, code
    assert reverse("claims:answer_request", args=[answered_claim.pk, answered.pk]) not in todo


def test_a_withdrawn_claims_request_is_no_longer_on_the_to_do_list(
    citizen_client, citizen, caseworker
):
    claim, info = claim_with_request(citizen, caseworker)
    applications.withdraw_claim(claim=claim, by=citizen)

    home = page(citizen_client.get(HOME))
    claim_page = page(citizen_client.get(detail(claim)))

    assert "Reply to our request" not in home
    assert "There is nothing you need to do right now." in home
    assert reverse("claims:answer_request", args=[claim.pk, info.pk]) not in claim_page

    # An old link to the request (a bookmark, the notification) records nothing.
    late = citizen_client.post(
        reverse("claims:answer_request", args=[claim.pk, info.pk]), {"answer": "Hi"}, follow=True
    )

    assert "We no longer need an answer: this claim is not open." in messages_on(late)
    assert InformationRequest.objects.get(pk=info.pk).answered_at is None
    assert Claim.objects.get(pk=claim.pk).status == S.WITHDRAWN


def test_your_services_shows_the_next_payment(citizen_client, citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)
    first = Payment.objects.filter(claim=claim).order_by("due_on").first()

    text = page(citizen_client.get(HOME))

    payment = section(text, "Your next payment", "</p>")
    assert f"{gbp(first.amount)} of Carer's Allowance on" in payment
    assert first.due_on.strftime("%A %-d %B %Y") in payment
    assert first.amount == Decimal("83.30") * 4


def test_your_services_shows_unread_notifications_until_they_are_read(
    citizen_client, citizen, caseworker
):
    claim = sent_claim(citizen)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker)

    text = page(citizen_client.get(HOME))

    assert "2 new notifications" in text
    assert "We have your Carer's Allowance application" in text
    assert "A caseworker is looking at your Carer's Allowance claim" in text
    assert f'href="{detail(claim)}"' in text

    mark_read(customer=citizen.customer)
    text = page(citizen_client.get(HOME))

    assert "new notification" not in text
    assert "A caseworker is looking at your Carer's Allowance claim" not in text


# --- Query counts -----------------------------------------------------------------------------


def full_claim(citizen, caseworker) -> Claim:
    """A claim with everything the page shows: documents, an answered request, an award
    with two statement versions and payments, one of them made."""
    claim = eligible_carers_claim(citizen)
    claim_documents.add_document(
        claim=claim, by=citizen, uploaded=upload(), evidence_kind="Payslip"
    )
    document = claim_documents.add_document(
        claim=claim, by=citizen, uploaded=upload("photo.png", png_bytes("blue")),
        evidence_kind="Proof of caring",
    )  # fmt: skip
    claim_documents.decide_document(
        document=document, by=caseworker, accepted=False, reason="The photo is blurred."
    )
    info = claim_documents.request_information(
        claim=claim, by=caseworker, what="How many nights a week do you care?",
        due_on=timezone.localdate() + timedelta(days=10),
    )  # fmt: skip
    claim_documents.answer_information_request(request=info, by=citizen, answer="Four nights.")
    claim_timeline.add_internal_note(claim=claim, by=caseworker, text="Spoke to the GP surgery")
    claim_decisions.award_claim(claim=claim, by=caseworker)
    claim_decisions.revise_award(
        claim=claim, by=caseworker, amount=Decimal("90.00"), reason="Your night care counts",
        effective_from=timezone.localdate(),
    )  # fmt: skip
    # The payments run (not built yet) would mark the first payment made.
    first = Payment.objects.filter(claim=claim, status=PaymentStatus.SCHEDULED).order_by("due_on")
    Payment.objects.filter(pk=first.first().pk).update(
        status=PaymentStatus.PAID, paid_at=timezone.now()
    )
    return Claim.objects.get(pk=claim.pk)


def fill_up_to_50_claims_with_20_events_each(citizen) -> None:
    for i in range(49):
        claim = sent_claim(citizen, OPEN_CODES[i % len(OPEN_CODES)])
        if i < 49 - len(OPEN_CODES):  # one claim in progress per benefit: the rest withdrawn
            applications.withdraw_claim(claim=claim, by=citizen)
    events = []
    for claim in Claim.objects.filter(customer=citizen.customer):
        have = claim.events.count()
        events += [
            ClaimEvent(
                claim=claim,
                kind=EventKind.DOCUMENT,
                from_status=claim.status,
                to_status=claim.status,
                reason=f"Event {n}",
            )
            for n in range(max(0, 20 - have))
        ]
    ClaimEvent.objects.bulk_create(events)
    assert Claim.objects.filter(customer=citizen.customer).count() == 50
    assert (
        not Claim.objects.filter(customer=citizen.customer).exclude(events__isnull=False).exists()
    )


@pytest.mark.parametrize("url_of", [lambda claim: HOME, detail], ids=["your-services", "claim"])
def test_pages_run_the_same_few_queries_for_1_or_50_claims(
    citizen_client, citizen, caseworker, django_assert_max_num_queries, url_of
):
    claim = full_claim(citizen, caseworker)
    url = url_of(claim)
    page(citizen_client.get(url))  # the session's first request records the session

    # 17: "Your services" shows the person's conversations too (one query) and their
    # appointments (one query).
    with django_assert_max_num_queries(17) as one:
        page(citizen_client.get(url))
    fill_up_to_50_claims_with_20_events_each(citizen)
    with django_assert_max_num_queries(17) as fifty:
        text = page(citizen_client.get(url))

    assert len(fifty.captured_queries) == len(one.captured_queries)
    assert "Carer's Allowance" in text


# --- The claim page ---------------------------------------------------------------------------


def test_an_open_claim_page_gives_the_next_step_and_an_expected_decision_range(
    citizen_client, citizen, caseworker
):
    claim = sent_claim(citizen)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker, reason="Checking hours")
    sent = timezone.localdate(claim.submitted_at)
    level = claim.benefit.service_level_days

    text = page(citizen_client.get(detail(claim)))

    assert f"Claim reference {claim.reference}" in text
    assert "Being looked at" in text
    assert "A caseworker is looking at your application. You do not need to do anything." in text
    assert "We are waiting for you." not in text
    early = add_working_days(sent, max(1, level * 3 // 5))
    late = add_working_days(sent, level)
    assert f"We expect to decide between {long_date(early)} and {long_date(late)}." in text
    assert "Withdraw this claim" in text


def test_a_claim_waiting_for_the_person_lists_open_requests_with_reply_links(
    citizen_client, citizen, caseworker
):
    claim, info = claim_with_request(citizen, caseworker)

    text = page(citizen_client.get(detail(claim)))

    assert "We need more information from you before we can decide." in text
    assert "We are waiting for you." in text
    assert "We expect to decide between" not in text
    todo = section(text, "What you need to do", "What has happened")
    assert "Send a letter from the person you care for." in todo
    assert f"Reply by {long_date(info.due_on)}" in todo
    assert f'href="{reverse("claims:answer_request", args=[claim.pk, info.pk])}"' in todo


def test_the_timeline_shows_only_what_the_person_may_see(citizen_client, citizen, caseworker):
    claim = sent_claim(citizen)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker, reason="Checking the hours")
    claim_timeline.add_internal_note(claim=claim, by=caseworker, text="Suspect duplicate claim")
    lifecycle.transition(
        claim=claim, to=S.INFORMATION_REQUESTED, by=caseworker, reason="Routing to fraud team",
        visible_to_customer=False,
    )  # fmt: skip

    for url in (detail(claim), reverse("claims:status", args=[claim.pk])):
        text = page(citizen_client.get(url))
        timeline = section(text, "What has happened", "</ol>")

        assert "Checking the hours" in timeline
        assert "Application sent online" in timeline
        assert "Suspect duplicate claim" not in text
        assert "Routing to fraud team" not in text
        assert timeline.count("<li") == 2


def test_documents_are_listed_with_their_receipt_and_state(citizen_client, citizen, caseworker):
    claim, document = claim_with_document(citizen)
    rejected = claim_documents.add_document(
        claim=claim, by=citizen, uploaded=upload("photo.png", png_bytes("blue")),
        evidence_kind="Proof of caring",
    )  # fmt: skip
    claim_documents.decide_document(
        document=rejected, by=caseworker, accepted=False, reason="The photo is blurred."
    )

    response = citizen_client.get(detail(claim))
    text = page(response)

    first, second = select(response, table_rows("Documents you sent"))
    assert select(first, f'a[href="{reverse("claims:document", args=[claim.pk, document.pk])}"]')
    first, second = text_of(first), text_of(second)
    assert "payslip.png" in first
    assert document.sha256 in first
    assert "Received" in first
    assert "photo.png" in second
    assert rejected.sha256 in second
    assert "Not accepted" in second
    assert "The photo is blurred." in second
    assert "Document not accepted: photo.png. The photo is blurred" in text


def test_the_decision_and_award_statement_show_every_element(citizen_client, citizen, caseworker):
    claim = full_claim(citizen, caseworker)
    decision = claim.decisions.get()
    statement = claim.statements.get(version=2)

    text = page(citizen_client.get(detail(claim)))

    assert "Your claim was awarded." in text
    decided = section(text, "Our decision", "What has happened")
    for line in decision.reasons.splitlines():
        assert line.strip() in decided
    letter = reverse("claims:decision_letter", args=[claim.pk, decision.pk])
    assert f'href="{letter}"' in decided
    assert f"by {long_date(decision.challenge_by)}" in decided
    award = section(text, "Your award", "Why this statement was issued")
    assert f"Award statement 2, from {long_date(statement.effective_from)}" in award
    assert len(statement.elements) == 3
    for element in statement.elements:
        assert element["label"] in award
        assert element["rule"] in award
    assert "Less your State Pension, which Carer's Allowance is not paid on top of" in award
    assert "£0" in award
    assert "You do not get a State Pension." in award
    assert "Adjustment by a caseworker" in award
    assert "Your night care counts" in award
    assert "£90 a week" in award


def test_earlier_statements_stay_readable_and_say_they_were_replaced(
    citizen_client, citizen, caseworker
):
    claim = full_claim(citizen, caseworker)
    first = claim.statements.get(version=1)

    text = page(citizen_client.get(detail(claim)))
    old = page(citizen_client.get(reverse("claims:statement", args=[claim.pk, 1])))
    latest = page(citizen_client.get(reverse("claims:statement", args=[claim.pk, 2])))

    earlier = section(text, "Earlier statements", "</ul>")
    assert f'href="{reverse("claims:statement", args=[claim.pk, 1])}"' in earlier
    assert "A later statement replaced this one." in old
    assert f"Award statement 1, from {long_date(first.effective_from)}" in old
    assert gbp(first.amount) in old
    assert "Your claim was awarded." in old
    assert "Adjustment by a caseworker" not in old
    assert "A later statement replaced this one." not in latest
    assert "Adjustment by a caseworker" in latest
    missing = citizen_client.get(reverse("claims:statement", args=[claim.pk, 3]))
    assert missing.status_code == 404


def test_payments_show_the_schedule_and_the_history(citizen_client, citizen, caseworker):
    claim = full_claim(citizen, caseworker)
    paid = claim.payments.get(status=PaymentStatus.PAID)
    due = list(claim.payments.filter(status=PaymentStatus.SCHEDULED).order_by("due_on"))

    response = citizen_client.get(detail(claim))

    rows = texts(response, table_rows("Payments into your bank account"))
    table = text_of(one(response, table_with("Payments into your bank account")))
    assert len(rows) == len(due) + 1
    for row, payment in zip(rows, [*due, paid], strict=True):
        assert payment.due_on.strftime("%-d %b %Y") in row
        assert f"£{payment.amount}" in row
    assert all("Due" in row for row in rows[:-1])
    assert "Paid" in rows[-1]
    assert {p.amount for p in due} == {Decimal("360.00")}
    assert "Cancelled" not in table


@pytest.mark.parametrize(
    "name", ["detail", "status", "withdraw", "reconsider", "add_evidence", "statement", "letter"]
)
def test_another_persons_claim_pages_are_not_found(citizen_client, other_citizen, caseworker, name):
    claim, decision = awarded_claim(other_citizen, caseworker)
    url = {
        "statement": reverse("claims:statement", args=[claim.pk, 1]),
        "letter": reverse("claims:decision_letter", args=[claim.pk, decision.pk]),
    }.get(name) or reverse(f"claims:{name}", args=[claim.pk])

    assert citizen_client.get(url).status_code == 404
    assert citizen_client.post(url, {"reason": "x"}).status_code in (404, 405)
    assert Claim.objects.get(pk=claim.pk).status == S.AWARDED


# --- Live status ----------------------------------------------------------------------------


def test_the_live_status_answers_304_until_the_claim_changes(
    citizen_client, citizen, caseworker, django_capture_on_commit_callbacks
):
    claim = sent_claim(citizen)
    url = reverse("claims:status", args=[claim.pk])
    shown = page(citizen_client.get(detail(claim)))

    first = citizen_client.get(url)
    etag = first["ETag"]
    same = citizen_client.get(url, headers={"If-None-Match": etag})

    assert first.status_code == 200
    assert f'data-etag="{etag.strip(chr(34))}"' in shown  # the page starts from the same tag
    assert same.status_code == 304
    assert same.content == b""

    with django_capture_on_commit_callbacks(execute=True):  # as the caseworker's request commits
        lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker)
    changed = citizen_client.get(url, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Being looked at" in page(changed)


def test_the_live_status_shows_a_new_request_on_a_claim_already_waiting(
    citizen_client, citizen, caseworker, django_capture_on_commit_callbacks
):
    claim, _info = claim_with_request(citizen, caseworker)
    url = reverse("claims:status", args=[claim.pk])
    etag = citizen_client.get(url)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        claim_documents.request_information(
            claim=claim, by=caseworker, what="And a letter from your GP.",
            due_on=timezone.localdate() + timedelta(days=7),
        )  # fmt: skip
    changed = citizen_client.get(url, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert "And a letter from your GP." in page(changed)


def test_your_services_live_answers_304_until_something_changes(
    citizen_client, citizen, caseworker, django_capture_on_commit_callbacks
):
    claim = sent_claim(citizen)
    url = reverse("portal:home_live")
    shown = page(citizen_client.get(HOME))

    first = citizen_client.get(url)
    etag = first["ETag"]
    same = citizen_client.get(url, headers={"If-None-Match": etag})

    assert first.status_code == 200
    assert f'data-etag="{etag.strip(chr(34))}"' in shown
    assert same.status_code == 304
    assert same.content == b""

    with django_capture_on_commit_callbacks(execute=True):  # as the caseworker's request commits
        lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker)
    changed = citizen_client.get(url, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Being looked at" in page(changed)


# --- Withdrawing and reconsideration -----------------------------------------------------------


def test_withdrawing_asks_first_then_records_it(citizen_client, citizen):
    claim = sent_claim(citizen)
    url = reverse("claims:withdraw", args=[claim.pk])

    confirm = page(citizen_client.get(url))

    assert "Are you sure you want to withdraw your Carer's Allowance claim?" in confirm
    assert Claim.objects.get(pk=claim.pk).status == S.SUBMITTED

    done = citizen_client.post(url, {"reason": "I found work"}, follow=True)

    assert done.redirect_chain == [(detail(claim), 302)]
    assert "Your claim has been withdrawn." in messages_on(done)
    assert Claim.objects.get(pk=claim.pk).status == S.WITHDRAWN
    event = ClaimEvent.objects.filter(claim=claim).latest("pk")
    assert (event.to_status, event.reason, event.by) == (S.WITHDRAWN, "I found work", citizen)
    text = page(done)
    assert "You withdrew this claim." in text
    assert "Withdraw this claim" not in text


def test_a_crafted_withdraw_of_a_decided_claim_is_refused_clearly_and_changes_nothing(
    citizen_client, citizen, caseworker
):
    claim, _decision = refused_claim(citizen, caseworker)
    before = snapshot(claim)

    response = citizen_client.post(
        reverse("claims:withdraw", args=[claim.pk]), {"reason": "Oops"}, follow=True
    )

    assert response.redirect_chain == [(detail(claim), 302)]
    assert messages_on(response) == ["A claim that is “Refused” cannot become “Withdrawn”."]
    assert snapshot(claim) == before


def test_a_crafted_withdraw_of_a_draft_is_refused_and_changes_nothing(citizen_client, citizen):
    claim = draft_claim(citizen, complete=True)
    url = reverse("claims:withdraw", args=[claim.pk])
    before = snapshot(claim)

    shown = citizen_client.get(url, follow=True)
    posted = citizen_client.post(url, {"reason": "Oops"}, follow=True)

    assert messages_on(shown) == ["This claim can no longer be withdrawn."]
    assert messages_on(posted) == ["A claim that is “Draft” cannot become “Withdrawn”."]
    assert posted.redirect_chain[-1] == (reverse("claims:apply", args=[claim.pk]), 302)
    assert snapshot(claim) == before


def test_a_crafted_reconsideration_of_a_claim_in_review_is_refused_and_changes_nothing(
    citizen_client, citizen, caseworker
):
    claim = sent_claim(citizen)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=caseworker)
    before = snapshot(claim)

    response = citizen_client.post(
        reverse("claims:reconsider", args=[claim.pk]), {"reason": "Wrong"}, follow=True
    )

    assert response.redirect_chain == [(detail(claim), 302)]
    assert messages_on(response) == ["You cannot ask for a reconsideration of this claim."]
    assert snapshot(claim) == before


def test_reconsideration_after_the_month_has_passed_is_refused_and_changes_nothing(
    citizen_client, citizen, caseworker
):
    claim, decision = refused_claim(citizen, caseworker)
    passed = timezone.localdate() - timedelta(days=1)
    Decision.objects.filter(pk=decision.pk).update(challenge_by=passed)
    url = reverse("claims:reconsider", args=[claim.pk])
    before = snapshot(claim)

    shown = page(citizen_client.get(url))
    response = citizen_client.post(url, {"reason": "I earn less now"})

    assert f"The deadline to ask online was {long_date(passed)}." in shown
    assert "Send your request" not in shown
    assert "The month to ask online has passed." in page(response)
    assert snapshot(claim) == before
    assert "Ask for a reconsideration" not in page(citizen_client.get(detail(claim)))


def test_reconsideration_within_the_month_is_recorded(citizen_client, citizen, caseworker):
    claim, decision = refused_claim(citizen, caseworker)
    url = reverse("claims:reconsider", args=[claim.pk])
    assert f"You can ask until {long_date(decision.challenge_by)}." in page(citizen_client.get(url))

    response = citizen_client.post(url, {"reason": "I earn less now"}, follow=True)

    assert "We have your request. We will look at the decision again." in messages_on(response)
    assert Claim.objects.get(pk=claim.pk).status == S.RECONSIDERATION_REQUESTED
    assert ClaimEvent.objects.filter(claim=claim).latest("pk").reason == "I earn less now"


# --- Answering a request ----------------------------------------------------------------------


def test_a_written_answer_puts_the_claim_back_in_review(citizen_client, citizen, caseworker):
    claim, info = claim_with_request(citizen, caseworker)
    url = reverse("claims:answer_request", args=[claim.pk, info.pk])
    assert "Send a letter from the person you care for." in page(citizen_client.get(url))

    response = citizen_client.post(
        url, {"answer": "My mother's letter is on its way."}, follow=True
    )

    assert response.redirect_chain == [(detail(claim), 302)]
    assert "Thank you. We have your answer." in messages_on(response)
    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
    text = page(response)
    timeline = text[text.index("What has happened") :]
    assert "You sent the information we asked for." in timeline
    assert "We have what we asked for and will carry on with your claim." in timeline
    assert "What you need to do" not in text
    home = page(citizen_client.get(HOME))
    assert "Reply to our request" not in home
    assert url not in home
    assert InformationRequest.objects.get(pk=info.pk).answer == "My mother's letter is on its way."


def test_an_empty_answer_without_a_file_is_an_error_linked_to_the_answer(
    citizen_client, citizen, caseworker
):
    claim, info = claim_with_request(citizen, caseworker)
    before = snapshot(claim)

    response = citizen_client.post(
        reverse("claims:answer_request", args=[claim.pk, info.pk]), {"answer": "  "}
    )

    text = page(response)
    assert "<title>Error:" in text
    assert '<a href="#id_answer">Enter your answer or choose a file to send</a>' in text
    assert snapshot(claim) == before
    assert InformationRequest.objects.get(pk=info.pk).answered_at is None


def test_a_bad_file_is_an_error_linked_to_the_file_and_keeps_the_typed_answer(
    citizen_client, citizen, caseworker
):
    claim, info = claim_with_request(citizen, caseworker)
    before, files = snapshot(claim), stored_files()

    response = citizen_client.post(
        reverse("claims:answer_request", args=[claim.pk, info.pk]),
        {"answer": "Here is the letter", "evidence_kind": "other",
         "document": upload("letter.pdf", EXE_BYTES)},
    )  # fmt: skip

    assert response.status_code == 200
    assert any(href == "#id_document" and message for href, message in error_summary(response))
    assert text_of(one(response, "textarea#id_answer")) == "Here is the letter"
    assert snapshot(claim) == before
    assert stored_files() == files
    assert InformationRequest.objects.get(pk=info.pk).answered_at is None


def test_a_good_file_with_the_answer_is_kept_with_the_request(citizen_client, citizen, caseworker):
    claim, info = claim_with_request(citizen, caseworker)

    citizen_client.post(
        reverse("claims:answer_request", args=[claim.pk, info.pk]),
        {"answer": "", "evidence_kind": "other", "document": upload("letter.png")},
    )

    document = Document.objects.get(claim=claim)
    assert document.information_request_id == info.pk
    assert InformationRequest.objects.get(pk=info.pk).answered_at is not None
    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW


# --- Documents and letters ----------------------------------------------------------------------


def test_the_owner_gets_their_document_privately(citizen_client, citizen):
    claim, document = claim_with_document(citizen)

    response = citizen_client.get(reverse("claims:document", args=[claim.pk, document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    stored = Document.objects.get(pk=document.pk).file
    assert stored.path.startswith(f"{settings.PRIVATE_FILES_ROOT}/")
    assert "payslip" not in stored.name


def test_a_document_asked_for_under_another_of_the_persons_claims_is_not_found(
    citizen_client, citizen
):
    claim, document = claim_with_document(citizen)
    other = sent_claim(citizen, "pip")

    mismatched = citizen_client.get(reverse("claims:document", args=[other.pk, document.pk]))

    assert mismatched.status_code == 404
    assert (
        citizen_client.get(reverse("claims:document", args=[claim.pk, document.pk])).status_code
        == 200
    )


def test_another_persons_document_is_not_found(citizen_client, other_citizen):
    claim, document = claim_with_document(other_citizen)

    response = citizen_client.get(reverse("claims:document", args=[claim.pk, document.pk]))

    assert response.status_code == 404


def test_the_decision_letter_is_a_pdf_with_reference_benefit_reasons_and_deadline(
    citizen_client, citizen, caseworker
):
    claim, decision = awarded_claim(citizen, caseworker)

    response = citizen_client.get(reverse("claims:decision_letter", args=[claim.pk, decision.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert claim.reference in text
    assert "Carer's Allowance" in text.replace("’", "'")
    assert "You care for someone 35 hours a week or more." in text
    assert f"You must ask by {long_date(decision.challenge_by)}." in text


# --- The stages of a claim: those behind it and those still to come -------------------------------


def stages_shown(response) -> list[tuple[str, str]]:
    """The "Where your claim is" list: (stage, Done / Now / Not yet), in order."""
    assert response.status_code == 200, response.status_code
    listing = select(response, "ol.portal-stages")
    assert listing, "the claim page shows no stages"
    return [
        (text_of(item.text or ""), text_of(one(item, "strong.govuk-tag")))
        for item in select(listing[0], "li")
    ]


def test_a_sent_claim_shows_the_stages_still_to_come(citizen_client, citizen):
    claim = sent_claim(citizen)

    assert stages_shown(citizen_client.get(detail(claim))) == [
        ("Sent", "Done"),
        ("We are checking", "Now"),
        ("Decision", "Not yet"),
    ]


def test_a_claim_waiting_for_information_says_so_in_its_stages(citizen_client, citizen):
    claim, _info = claim_with_request(citizen)

    response = citizen_client.get(detail(claim))

    assert stages_shown(response) == [
        ("Sent", "Done"),
        ("We are checking: we need more information from you", "Now"),
        ("Decision", "Not yet"),
    ]
    assert 'aria-current="step"' in response.content.decode()


def test_a_decided_claim_has_every_stage_done(citizen_client, citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)

    assert stages_shown(citizen_client.get(detail(claim))) == [
        ("Sent", "Done"),
        ("We are checking", "Done"),
        ("Decision", "Done"),
    ]


def test_asking_for_a_reconsideration_adds_the_stages_it_brings(
    citizen_client, citizen, caseworker
):
    claim, _decision = refused_claim(citizen, caseworker)
    claim_decisions.request_reconsideration(claim=claim, by=citizen, reason="I care 40 hours")

    assert stages_shown(citizen_client.get(detail(claim))) == [
        ("Sent", "Done"),
        ("We are checking", "Done"),
        ("Decision", "Done"),
        ("We are looking at the decision again", "Now"),
        ("New decision", "Not yet"),
    ]
