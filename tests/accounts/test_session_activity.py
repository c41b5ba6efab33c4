"""What keeps a session alive: a person's requests, never the page's own background ones.

Pages poll live panels (the Messages and Notifications badges, "Your services", a claim's
status) and the timeout warning checks the session. None of that is someone using the
portal, so an open tab left alone must still be signed out after 15 minutes. The clock is
moved the way the other session tests move it: by ageing the session's timestamps.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from lxml import html as lxml_html

from accounts.middleware import LAST_ACTIVITY, STARTED
from tests.claim_factory import sent_claim

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
URL_TAG = re.compile(r"""\{%\s*url\s+['"](?P<name>[^'"]+)['"](?P<args>[^%]*)%\}""")
# What a browser sends with an htmx poll (htmx adds these to every request it makes).
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/your-services/"}


def background_endpoints() -> dict[str, set[str]]:
    """Every URL a page requests by itself, by route name, with the templates asking.

    An element polled by htmx (``hx-trigger="every …"``) and the scripts' status checks
    (``data-status-url``) — found in the templates, so a new poll cannot be forgotten.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text()
        if "every" not in source and "data-status-url" not in source:
            continue
        page = lxml_html.document_fromstring(f"<html><body>{source}</body></html>")
        urls = [
            element.get("hx-get") or element.get("hx-post") or ""
            for element in page.iter()
            if re.search(r"\bevery\b", element.get("hx-trigger") or "")
        ]
        urls += [
            element.get("data-status-url")
            for element in page.iter()
            if element.get("data-status-url")
        ]
        for url in urls:
            match = URL_TAG.search(url)
            assert match, f"{path}: a polled URL that is not a {{% url %}} tag: {url!r}"
            found.setdefault(match["name"], set()).add(str(path.relative_to(TEMPLATES)))
    return found


def age_session(client, seconds: float) -> None:
    """Move the clock on by ``seconds``, as far as this session can tell."""
    session = client.session
    for key in (STARTED, LAST_ACTIVITY):
        session[key] = session[key] - seconds
    session.save()


@pytest.fixture
def signed_in(citizen_client, monkeypatch):
    """Signed in, with the middleware's clock stopped: only ``age_session`` moves time on, so
    the test means the same however long a loaded machine takes to run its requests."""
    import types

    from accounts import middleware

    stopped = time.time()
    monkeypatch.setattr(middleware, "time", types.SimpleNamespace(time=lambda: stopped))
    citizen_client.get("/your-services/")  # the page the person opened, then left
    return citizen_client


def test_the_pages_poll_the_panels_we_know_of():
    """If this fails, a poll was added or removed: the test below must still cover it."""
    assert set(background_endpoints()) == {
        "notifications:badge",
        "conversations:badge",
        "portal:home_live",
        "claims:status",
        "accounts:session_status",
        "representatives:export_status",
    }


def test_no_background_request_keeps_a_session_alive(signed_in, citizen):
    claim = sent_claim(citizen)
    args = {"claims:status": [claim.pk]}
    for name in background_endpoints():
        idle_since = time.time() - 10 * 60
        session = signed_in.session
        session[LAST_ACTIVITY] = idle_since
        session.save()

        response = signed_in.get(reverse(name, args=args.get(name, [])), headers=HTMX)

        assert response.status_code == 200, name
        assert signed_in.session[LAST_ACTIVITY] == idle_since, f"{name} kept the session alive"


def test_fifteen_minutes_of_polls_alone_sign_the_person_out(signed_in):
    assert settings.SESSION_IDLE_TIMEOUT == 15 * 60
    every = 10  # seconds, as in production (PORTAL_LIVE_POLL_SECONDS)
    polls = [
        reverse("notifications:badge"),
        reverse("conversations:badge"),
        reverse("portal:home_live"),
    ]
    for _ in range(15 * 60 // every - 1):
        age_session(signed_in, every)
        for url in polls:
            assert signed_in.get(url, headers=HTMX).status_code == 200

    age_session(signed_in, every)  # 15 minutes since the person last did anything
    poll = signed_in.get(polls[0], headers=HTMX)

    # The poll takes the whole tab to the sign-in page, which says why; it comes back to
    # the page that was open, not to the panel.
    assert poll.headers["HX-Redirect"] == "/account/login/?next=%2Fyour-services%2F"
    page = signed_in.get(poll.headers["HX-Redirect"]).content.decode()
    assert "had not done anything for 15 minutes" in page
    assert signed_in.get("/your-services/").status_code == 302


def test_a_page_after_fifteen_minutes_of_polls_is_signed_out(signed_in):
    for _ in range(15 * 60 // 30 - 1):
        age_session(signed_in, 30)
        assert signed_in.get(reverse("notifications:badge"), headers=HTMX).status_code == 200
    age_session(signed_in, 30)

    response = signed_in.get("/account/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Faccount%2Fprofile%2F"


def test_a_click_made_through_htmx_counts_as_activity(signed_in):
    session = signed_in.session
    session[LAST_ACTIVITY] = time.time() - 10 * 60
    session.save()

    # A boosted link: htmx fetches the page, but a person asked for it.
    signed_in.get("/account/profile/", headers={**HTMX, "HX-Boosted": "true"})

    assert signed_in.session[LAST_ACTIVITY] > time.time() - 5


def test_a_poll_after_signing_out_elsewhere_sends_the_tab_to_sign_in(client):
    """The session ended in another tab: the panel must not fill with the sign-in page."""
    response = client.get(reverse("notifications:badge"), headers=HTMX)

    assert response.headers.get("HX-Redirect") == "/account/login/?next=%2Fyour-services%2F"


def test_a_boosted_link_after_signing_out_comes_back_to_where_it_was_going(client):
    response = client.get("/account/profile/", headers={**HTMX, "HX-Boosted": "true"})

    assert response.headers.get("HX-Redirect") == "/account/login/?next=%2Faccount%2Fprofile%2F"
