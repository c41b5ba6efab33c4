"""With the cache (Redis) down, every page a signed-in citizen uses still works.

The cache is an optimisation: the header's unread count, the live panels' versions
(ETags), the rates' version, the decision-time figures. With it down, pages are worked out
from PostgreSQL, and the header leaves the unread count out rather than add a query to
every page. Sessions live in PostgreSQL, so people stay signed in.

Here the cache points at a port where nothing listens (Redis stopped); the drill in
test_cache_drill.py stops and restarts a real redis-server, and freezes one.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import versions
from lib import cache as safe_cache
from notifications.services import notify
from tests.benefits.test_apply import answer
from tests.claim_factory import draft_claim, sent_claim
from tests.conftest import PASSWORD
from tests.helpers import one, reload, select, text_of
from tests.test_url_access import (
    CITIZEN,
    CITIZEN_REAUTH,
    OPENS_BY_REDIRECT,
    OTHERS_IDS,
    POST_ONLY,
    RULES_BY_NAME,
    SIMPLE,
)

pytestmark = pytest.mark.django_db


def badge_count(response, badge: str = "#notifications-badge") -> list[str]:
    """The unread count in the header's "Notifications" link, or ``badge`` ("Messages":
    ``#messages-badge``); none: no count shown."""
    return [span.text.strip() for span in select(response, f'{badge} span[class="portal-count"]')]


@pytest.fixture
def unread_citizen(citizen):
    """Alice has a notification and a reply from us she has not read."""
    from tests.conversations.helpers import agency_replies, ask

    notify(customer=citizen.customer, kind="message", title="Hello", link="/your-services/")
    agency_replies(ask(citizen))
    return citizen


def test_the_header_shows_the_unread_count_while_the_cache_is_up(client, unread_citizen):
    client.force_login(unread_citizen)

    response = client.get("/your-services/")

    assert response.status_code == 200
    assert badge_count(response) == ["2"]  # the reply's notification too
    assert badge_count(response, "#messages-badge") == ["1"]


def test_the_header_leaves_the_count_out_while_the_cache_is_down(
    client, unread_citizen, stop_the_cache
):
    client.force_login(unread_citizen)
    stop_the_cache()

    response = client.get("/your-services/")

    assert response.status_code == 200
    assert badge_count(response) == []
    assert badge_count(response, "#messages-badge") == []
    link = one(response, "#notifications-badge a")
    assert link.get("href") == "/notifications/"  # the link itself stays
    assert link.get("data-status-text") is None  # nothing to announce: the count is unknown
    messages = one(response, "#messages-badge a")
    assert messages.get("href") == "/messages/"
    assert messages.get("data-status-text") is None


def test_the_badge_poll_still_counts_from_the_database_while_the_cache_is_down(
    client, unread_citizen, stop_the_cache
):
    client.force_login(unread_citizen)
    stop_the_cache()

    response = client.get(reverse("notifications:badge"))

    assert response.status_code == 200
    assert badge_count_in_fragment(response) == ["2"]  # the reply's notification too
    # No version to compare with: the tag is new each time, so a poll is never a stale 304.
    again = client.get(reverse("notifications:badge"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200


def test_the_messages_badge_poll_still_counts_from_the_database_while_the_cache_is_down(
    client, unread_citizen, stop_the_cache
):
    client.force_login(unread_citizen)
    stop_the_cache()

    response = client.get(reverse("conversations:badge"))

    assert response.status_code == 200
    assert badge_count_in_fragment(response) == ["1"]
    again = client.get(reverse("conversations:badge"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200


def badge_count_in_fragment(response) -> list[str]:
    return [span.text.strip() for span in select(response, 'span[class="portal-count"]')]


CITIZEN_PAGES = sorted(r.name for r in SIMPLE if r.rule == CITIZEN)


@pytest.mark.parametrize("name", CITIZEN_PAGES)
def test_every_citizen_page_opens_while_the_cache_is_down(
    citizen_client, unread_citizen, stop_the_cache, django_capture_on_commit_callbacks, name
):
    sent_claim(unread_citizen)  # something on the dashboard and in the lists
    stop_the_cache()

    with django_capture_on_commit_callbacks(execute=True):  # after-commit work runs too
        response = citizen_client.get(reverse(name))

    assert response.status_code == 200
    if select(response, "#navigation"):
        assert badge_count(response) == []
        assert badge_count(response, "#messages-badge") == []


# Opening a claim or a message marks its messages read, and notifications.services then
# drops the cached unread count after commit: through lib.cache, so never an error.
OWN_RECORDS = sorted(OTHERS_IDS)


@pytest.mark.parametrize("name", OWN_RECORDS)
def test_every_page_of_a_citizens_own_records_opens_while_the_cache_is_down(
    client, citizen, stop_the_cache, django_capture_on_commit_callbacks, name
):
    url = reverse(name, kwargs=OTHERS_IDS[name](citizen))  # built while the cache is up
    client.force_login(citizen)
    if RULES_BY_NAME.get(name) == CITIZEN_REAUTH:  # the password again, while it is up
        asked = client.get(url)
        client.post(asked["Location"], {"password": PASSWORD})
    stop_the_cache()

    with django_capture_on_commit_callbacks(execute=True):  # after-commit work runs too
        response = client.get(url)

    if name in OPENS_BY_REDIRECT:
        assert response.status_code == 302
    elif name in POST_ONLY:
        assert response.status_code == 405
    else:
        assert response.status_code == 200, (url, response.status_code)
        if response["Content-Type"].startswith("text/html") and select(response, "#navigation"):
            assert badge_count(response) == []
            assert badge_count(response, "#messages-badge") == []


def test_a_citizen_can_answer_a_question_while_the_cache_is_down(
    citizen_client, citizen, stop_the_cache, django_capture_on_commit_callbacks
):
    claim = draft_claim(citizen)
    stop_the_cache()

    with django_capture_on_commit_callbacks(execute=True):
        response = answer(
            citizen_client, claim, "about-you", "full_name", {"answer": "Alice Jones"}
        )

    assert response.status_code == 302
    assert reload(claim).answers == {"full_name": "Alice Jones"}


def test_the_screener_and_start_page_open_for_visitors_while_the_cache_is_down(
    client, stop_the_cache
):
    stop_the_cache()

    assert client.get("/").status_code == 200
    assert client.get(reverse("benefits:start")).status_code == 200


def test_one_failure_leaves_the_cache_alone_for_a_while(citizen_client, stop_the_cache, settings):
    """After a failure the cache is not asked again for CACHE_RETRY_AFTER seconds, so a
    Redis that hangs costs one socket timeout per process, not one per cache call."""
    stop_the_cache()
    assert citizen_client.get("/your-services/").status_code == 200
    assert safe_cache.is_down()

    # Redis answers again; within the window the portal does not ask it.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": settings.CACHE_URL}}
    assert safe_cache.get("anything", "skipped") == "skipped"


def test_a_failure_is_logged_once_while_the_cache_is_left_alone(
    citizen_client, stop_the_cache, caplog
):
    stop_the_cache()

    with caplog.at_level("WARNING", logger="lib.cache"):
        for _ in range(3):
            assert citizen_client.get("/your-services/").status_code == 200

    warnings = [r for r in caplog.records if r.name == "lib.cache"]
    assert len(warnings) == 1
    assert "The cache cannot be reached" in warnings[0].getMessage()


def test_a_change_made_while_the_cache_was_thought_down_still_reaches_it(
    citizen, settings, stop_the_cache, django_capture_on_commit_callbacks
):
    """A bump is an invalidation: skipped, it would leave the old version (and 304s over
    old content) behind once the cache is back."""
    cache_up = settings.CACHES
    before = versions.current(user_id=citizen.pk)
    stop_the_cache()
    versions.current(user_id=citizen.pk)  # finds the cache down
    assert safe_cache.is_down()
    settings.CACHES = cache_up  # Redis is back; this process does not know it yet

    with django_capture_on_commit_callbacks(execute=True):
        versions.bump(user_id=citizen.pk)

    safe_cache.reset()
    assert versions.current(user_id=citizen.pk) != before


def test_signing_in_fails_closed_while_the_cache_cannot_count_failures(citizen, stop_the_cache):
    """allauth counts failed sign-ins in the cache. Rather than let attempts through
    without a limit, a sign-in is refused (the error page) until the cache is back;
    people already signed in carry on (sessions are in PostgreSQL: see the tests above)."""
    visitor = Client(raise_request_exception=False)
    stop_the_cache()

    assert visitor.get("/account/login/").status_code == 200
    response = visitor.post("/account/login/", {"login": citizen.email, "password": PASSWORD})

    assert response.status_code == 500
    assert text_of(one(response, "h1")) == "Sorry, there is a problem with the service"
    assert "_auth_user_id" not in visitor.session
