"""The live panels ("Your services", a claim's status, the header's Messages and Notifications
badges) answer
a poll that changes nothing with a 304 decided from the person's version alone, and a 200
with the new content after every kind of change they show."""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts import versions
from benefits.claims import documents as claim_documents
from benefits.claims import lifecycle
from benefits.models import ClaimStatus, InformationRequest
from journeys import services as journey_services
from journeys.models import LifeEvent
from notifications import occasions
from notifications import services as notification_services
from notifications.models import NotificationKind
from tests.claim_factory import claim_with_document, claim_with_request, draft_claim, sent_claim
from tests.claim_factory import upload as a_file
from tests.conftest import clear_own_cache

pytestmark = pytest.mark.django_db

LIVE = reverse("portal:home_live")
BADGE = reverse("notifications:badge")
MESSAGES_BADGE = reverse("conversations:badge")
# What any signed-in request reads or writes before a view runs: the session, the user,
# and allauth's record of the session's activity.
SIGNED_IN_TABLES = {"django_session", "accounts_user", "usersessions_usersession"}


def status_url(claim) -> str:
    return reverse("claims:status", args=[claim.pk])


PANELS = {
    "your services": lambda claim: LIVE,
    "claim status": status_url,
    "notifications badge": lambda claim: BADGE,
    "messages badge": lambda claim: MESSAGES_BADGE,
}


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Deliveries are not sent anywhere: these tests are about pages."""
    monkeypatch.setattr(notification_services, "publish", lambda ids: None)
    monkeypatch.setattr(occasions, "publish", lambda ids: None)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block leaves for after the commit, as a real
    request's commit would (a test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def poll(client, url: str, etag: str):
    return client.get(url, headers={"If-None-Match": etag})


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def tables(queries) -> set[str]:
    return {
        name
        for query in queries
        for name in re.findall(r'(?:FROM|UPDATE|INTO|JOIN)\s+"(\w+)"', query["sql"])
    }


def tell(user, title: str = "Your letter is ready"):
    return notification_services.notify(
        customer=user.customer, kind=NotificationKind.STATUS, title=title, link="/your-services/"
    )


# --- Nothing changed: a 304, decided from the tag alone ------------------------------------------


@pytest.mark.parametrize("panel", PANELS)
def test_an_unchanged_panel_is_a_304_with_no_body_and_no_query_of_its_own(
    citizen_client, citizen, caseworker, django_assert_max_num_queries, panel
):
    claim, _info = claim_with_request(citizen, caseworker)  # something on every panel
    url = PANELS[panel](claim)
    first = citizen_client.get(url)
    with django_assert_max_num_queries(10) as baseline:
        # A signed-in request whose view reads nothing: what the middleware costs.
        assert citizen_client.get(reverse("accounts:session_status")).status_code == 200
    budget = len(baseline.captured_queries)

    with django_assert_max_num_queries(budget) as polled:
        same = poll(citizen_client, url, first["ETag"])

    assert first.status_code == 200
    assert f'data-etag="{first["ETag"].strip(chr(34))}"' in first.content.decode()
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == first["ETag"]
    assert tables(polled.captured_queries) <= tables(baseline.captured_queries) == SIGNED_IN_TABLES
    # Kept by nobody but the page that asked: no shared cache, no browser cache.
    for response in (first, same):
        assert {"private", "no-cache", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }
        assert "Cookie" in response["Vary"]


def test_a_poll_with_no_tag_or_a_wrong_one_gets_the_panel(citizen_client, citizen):
    sent_claim(citizen)

    assert "Your claims" in text(citizen_client.get(LIVE))
    assert "Your claims" in text(poll(citizen_client, LIVE, '"not-the-tag"'))


def test_each_claim_has_its_own_tag(citizen_client, citizen):
    first, second = sent_claim(citizen), sent_claim(citizen)
    etag = citizen_client.get(status_url(first))["ETag"]

    response = poll(citizen_client, status_url(second), etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_another_persons_claim_is_a_404_even_with_their_tag(client, citizen, other_citizen):
    claim = sent_claim(citizen)
    client.force_login(citizen)
    alices = client.get(status_url(claim))["ETag"]
    client.force_login(other_citizen)

    assert client.get(status_url(claim)).status_code == 404
    assert poll(client, status_url(claim), alices).status_code == 404


def test_a_lost_version_is_a_change_never_a_304(citizen_client, citizen):
    sent_claim(citizen)
    etag = citizen_client.get(LIVE)["ETag"]

    clear_own_cache()  # Redis flushed, evicted or restarted
    after = poll(citizen_client, LIVE, etag)
    again = poll(citizen_client, LIVE, after["ETag"])

    assert "Your claims" in text(after)
    assert after["ETag"] != etag
    assert again.status_code == 304


def test_a_change_that_is_rolled_back_changes_no_tag(citizen_client, citizen, committed):
    etag = citizen_client.get(LIVE)["ETag"]

    def tell_then_fail() -> None:
        with transaction.atomic():
            tell(citizen, "Never sent")
            raise RuntimeError

    with committed(), pytest.raises(RuntimeError):
        tell_then_fail()

    assert poll(citizen_client, LIVE, etag).status_code == 304


# --- Every kind of change is a 200 with the new content --------------------------------------------


def test_a_new_message_shows_on_your_services_and_the_badge(citizen_client, citizen, committed):
    live, badge = citizen_client.get(LIVE)["ETag"], citizen_client.get(BADGE)["ETag"]

    with committed():
        tell(citizen, "Your letter is ready")

    assert "Your letter is ready" in text(poll(citizen_client, LIVE, live))
    assert '<span class="portal-count">1<' in text(poll(citizen_client, BADGE, badge))


def test_reading_your_messages_clears_them_from_your_services_and_the_badge(
    citizen_client, citizen, committed
):
    tell(citizen, "Your letter is ready")
    live, badge = citizen_client.get(LIVE)["ETag"], citizen_client.get(BADGE)["ETag"]

    with committed():
        citizen_client.post(reverse("notifications:inbox"))  # "Mark all as read"

    assert "Your letter is ready" not in text(poll(citizen_client, LIVE, live))
    assert "portal-count" not in text(poll(citizen_client, BADGE, badge))


def test_our_reply_shows_on_your_services_and_the_messages_badge(
    citizen_client, citizen, committed
):
    from tests.conversations.helpers import agency_replies, ask

    conversation = ask(citizen, subject="Payment not arrived")
    live, badge = citizen_client.get(LIVE)["ETag"], citizen_client.get(MESSAGES_BADGE)["ETag"]
    assert poll(citizen_client, MESSAGES_BADGE, badge).status_code == 304

    with committed():
        agency_replies(conversation)

    assert "Waiting for you" in text(poll(citizen_client, LIVE, live))
    assert '<span class="portal-count">1<' in text(poll(citizen_client, MESSAGES_BADGE, badge))


def test_reading_our_reply_clears_it_from_your_services_and_the_messages_badge(
    citizen_client, citizen, committed
):
    from tests.conversations.helpers import agency_replies, ask

    conversation = ask(citizen)
    agency_replies(conversation)
    live, badge = citizen_client.get(LIVE)["ETag"], citizen_client.get(MESSAGES_BADGE)["ETag"]
    assert "1 unread message from us" in text(citizen_client.get(LIVE))

    with committed():
        citizen_client.get(reverse("conversations:detail", args=[conversation.pk]))

    assert "unread message from us" not in text(poll(citizen_client, LIVE, live))
    assert "portal-count" not in text(poll(citizen_client, MESSAGES_BADGE, badge))


def test_asking_a_question_shows_on_your_services(citizen_client, citizen, committed):
    from tests.conversations.helpers import ask

    live = citizen_client.get(LIVE)["ETag"]

    with committed():
        ask(citizen, subject="Change of address")

    assert "Change of address" in text(poll(citizen_client, LIVE, live))


def test_opening_the_page_a_message_is_about_marks_it_read_on_your_services(
    citizen_client, citizen, committed
):
    claim = sent_claim(citizen)  # "We have your Carer's Allowance application", linking to it
    live = citizen_client.get(LIVE)["ETag"]
    assert "We have your Carer's Allowance application" in text(citizen_client.get(LIVE))

    with committed():
        citizen_client.get(reverse("claims:detail", args=[claim.pk]))

    assert "We have your Carer's Allowance application" not in text(
        poll(citizen_client, LIVE, live)
    )


def test_a_status_change_shows_on_the_claim_panel_and_your_services(
    citizen_client, citizen, caseworker, committed
):
    claim = sent_claim(citizen)
    status, live = citizen_client.get(status_url(claim))["ETag"], citizen_client.get(LIVE)["ETag"]

    with committed():
        lifecycle.transition(claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker)

    assert "Being looked at" in text(poll(citizen_client, status_url(claim), status))
    assert "Being looked at" in text(poll(citizen_client, LIVE, live))


def test_a_status_change_the_timeline_does_not_show_still_shows_on_the_claim_panel(
    citizen_client, citizen, caseworker, committed
):
    claim = sent_claim(citizen)
    status = citizen_client.get(status_url(claim))["ETag"]

    with committed():  # no event for the person, and no message: only the status changes
        lifecycle.transition(
            claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker, visible_to_customer=False
        )

    assert "Being looked at" in text(poll(citizen_client, status_url(claim), status))


def test_answering_a_request_shows_on_the_claim_panel_and_your_services(
    citizen_client, citizen, caseworker, committed
):
    claim, info = claim_with_request(citizen, caseworker)
    status, live = citizen_client.get(status_url(claim))["ETag"], citizen_client.get(LIVE)["ETag"]
    assert "Reply to our request" in text(citizen_client.get(LIVE))

    with committed():
        citizen_client.post(
            reverse("claims:answer_request", args=[claim.pk, info.pk]), {"answer": "Here it is"}
        )

    panel = text(poll(citizen_client, status_url(claim), status))
    assert "You sent the information we asked for." in panel
    assert "What you need to do" not in panel
    assert "Reply to our request" not in text(poll(citizen_client, LIVE, live))


def test_a_request_on_a_claim_already_waiting_shows_on_your_services(
    citizen_client, citizen, caseworker, committed
):
    claim, _info = claim_with_request(citizen, caseworker)
    live = citizen_client.get(LIVE)["ETag"]

    with committed():
        claim_documents.request_information(
            claim=claim, by=caseworker, what="And a letter from your GP.",
            due_on=timezone.localdate() + timedelta(days=7),
        )  # fmt: skip

    assert text(poll(citizen_client, LIVE, live)).count("Reply to our request") == 2


def test_uploading_a_document_shows_on_the_claim_panel(citizen_client, citizen, committed):
    claim = sent_claim(citizen)
    status = citizen_client.get(status_url(claim))["ETag"]

    with committed():
        citizen_client.post(
            reverse("claims:add_evidence", args=[claim.pk]),
            {"evidence_kind": "other", "document": a_file("payslip.png")},
        )

    assert "Document received: payslip.png" in text(poll(citizen_client, status_url(claim), status))


def test_a_caseworker_turning_down_a_document_shows_on_the_claim_panel(
    citizen_client, citizen, caseworker, committed
):
    claim, document = claim_with_document(citizen)
    status = citizen_client.get(status_url(claim))["ETag"]

    with committed():
        claim_documents.decide_document(
            document=document, by=caseworker, accepted=False, reason="The photo is blurred."
        )

    assert "Document not accepted: payslip.png" in text(
        poll(citizen_client, status_url(claim), status)
    )


def test_starting_an_application_shows_on_your_services(citizen_client, citizen, committed):
    live = citizen_client.get(LIVE)["ETag"]

    with committed():
        draft_claim(citizen, "pip")

    assert "Finish your Personal Independence Payment application" in text(
        poll(citizen_client, LIVE, live)
    )


def test_a_plans_tasks_show_on_your_services(citizen_client, citizen, committed):
    live = citizen_client.get(LIVE)["ETag"]

    with committed():
        journey = journey_services.start_journey(
            customer=citizen.customer, event=LifeEvent.objects.get(code="moving-home"),
            event_date=timezone.localdate(), answers={}, by=citizen,
        )  # fmt: skip

    first = journey.tasks.order_by("due_on", "pk").first()
    assert first.title in text(poll(citizen_client, LIVE, live))


def test_a_goal_and_ticking_off_its_step_show_on_your_services(citizen_client, citizen, committed):
    live = citizen_client.get(LIVE)["ETag"]

    with committed():
        citizen_client.post(
            reverse("journeys:goals"),
            {"title": "Find work", "steps": "Update my CV"},
        )
    added = poll(citizen_client, LIVE, live)
    task = citizen.customer.tasks.get(title="Update my CV")
    with committed():
        citizen_client.post(reverse("journeys:task_done", args=[task.pk]))
    done = poll(citizen_client, LIVE, added["ETag"])

    assert "Update my CV" in text(added)
    assert "Update my CV" not in text(done)


def test_the_daily_reminders_show_on_your_services_and_the_badge(
    citizen_client, citizen, caseworker, committed
):
    _claim, info = claim_with_request(citizen, caseworker)
    InformationRequest.objects.filter(pk=info.pk).update(due_on=timezone.localdate())
    notification_services.mark_read(customer=citizen.customer)
    live, badge = citizen_client.get(LIVE)["ETag"], citizen_client.get(BADGE)["ETag"]

    with committed():
        report = occasions.run(group=occasions.REMINDERS)

    assert report.told["information due soon"] == 1
    assert "Reminder: we need information for your Carer's Allowance claim" in text(
        poll(citizen_client, LIVE, live)
    )
    assert '<span class="portal-count">1<' in text(poll(citizen_client, BADGE, badge))


def test_overdue_shows_at_midnight_without_any_other_change(
    client, citizen, caseworker, monkeypatch
):
    _claim, info = claim_with_request(citizen, caseworker)
    today = timezone.localdate()
    InformationRequest.objects.filter(pk=info.pk).update(due_on=today)
    london = ZoneInfo("Europe/London")

    def clock(day, at: time) -> None:
        moment = datetime.combine(day, at, tzinfo=london)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    clock(today, time(23, 59))
    client.force_login(citizen)  # the session's expiry, by the same clock
    before = client.get(LIVE)
    clock(today + timedelta(days=1), time(0, 1))
    after = poll(client, LIVE, before["ETag"])

    assert "Overdue" not in text(before)
    assert "Overdue" in text(after)


# --- The tag itself ---------------------------------------------------------------------------------


def signed_in_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_tag_names_the_person_the_language_the_date_and_the_panel(citizen, other_citizen):
    def tag(user, *names, language="en-gb"):
        with translation.override(language):
            return versions.etag_for(signed_in_request(user), *names)

    tags = {
        tag(citizen, "claim-status", 1),
        tag(citizen, "claim-status", 2),
        tag(citizen, "your-services"),
        tag(other_citizen, "claim-status", 1),
        tag(citizen, "claim-status", 1, language="cy"),
    }

    assert len(tags) == 5
    assert tag(citizen, "claim-status", 1) == tag(citizen, "claim-status", 1)


def test_nobody_signed_in_has_no_tag():
    from django.contrib.auth.models import AnonymousUser

    assert versions.etag_for(signed_in_request(AnonymousUser()), "your-services") is None


def test_without_the_cache_every_version_is_new(citizen, stop_the_cache):
    stop_the_cache()

    first, second = versions.current(user_id=citizen.pk), versions.current(user_id=citizen.pk)

    assert first != second


def test_a_bump_waits_for_the_commit(citizen, django_capture_on_commit_callbacks):
    before = versions.current(user_id=citizen.pk)

    with django_capture_on_commit_callbacks() as waiting:
        versions.bump(user_id=citizen.pk)
        assert versions.current(user_id=citizen.pk) == before
    for callback in waiting:
        callback()

    assert versions.current(user_id=citizen.pk) != before
