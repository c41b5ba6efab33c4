"""Pages, headers and forms through HTTP, as a browser would see them."""

from __future__ import annotations

import re

import pytest

from tests.helpers import attr, error_summary, one, select, text_of, texts

pytestmark = pytest.mark.django_db

FINISH = re.compile(r"Finish your .* application")


def test_start_page_says_what_the_service_does(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-gb"' in html
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert "Find out what you could get" in html
    assert "Sign in" in html


def test_pages_carry_a_strict_content_security_policy_and_no_inline_script(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert not select(response, "//script[not(@src)]"), "an inline script"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_your_services_needs_signing_in(client):
    response = client.get("/your-services/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=/your-services/")


def test_signed_in_home_shows_your_services_and_who_is_signed_in(citizen_client):
    response = citizen_client.get("/your-services/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Your services</h1>' in html
    assert "Signed in as alice@example.org" in html


def test_private_pages_are_not_stored_by_the_browser(citizen_client):
    response = citizen_client.get("/your-services/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_not_found_page_uses_the_portal_design(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-template__body" in html


def test_server_error_page_uses_the_portal_design(client, settings):
    from django.test import override_settings

    from portal import views

    request = client.get("/").wsgi_request
    with override_settings(DEBUG=False):
        response = views.server_error(request)

    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


def test_form_errors_appear_in_a_summary_linked_to_each_field(client):
    response = client.post("/account/login/", {"login": "", "password": ""})

    assert response.status_code == 200
    assert text_of(one(response, "title")).startswith("Error:")
    linked = [href for href, _message in error_summary(response)]
    assert "#id_login" in linked
    assert "#id_password" in linked
    # Each field points at its own error message for screen readers.
    assert select(response, "#id_login-error")
    assert "id_login-error" in attr(response, "#id_login", "aria-describedby").split()


def test_your_services_and_the_to_do_list_list_the_same_unfinished_applications(
    citizen_client, citizen, other_citizen
):
    from benefits.claims.selectors import unfinished_applications
    from tests.claim_factory import draft_claim, sent_claim

    carers = draft_claim(citizen, "carers_allowance")
    pip = draft_claim(citizen, "pip")
    sent_claim(citizen, "attendance_allowance")  # sent: nothing left to finish
    draft_claim(other_citizen, "jsa")  # someone else's

    services_page = citizen_client.get("/your-services/").content.decode()
    todo_page = citizen_client.get("/journeys/to-do/").content.decode()

    drafts = list(unfinished_applications(customer=citizen.customer))
    assert [c.pk for c in drafts] == [pip.pk, carers.pk]
    expected = [f"Finish your {c.benefit.name} application" for c in drafts]
    on_services = [t for t in texts(services_page, "a") if FINISH.fullmatch(t)]
    on_todo = [t for t in texts(todo_page, "strong") if FINISH.fullmatch(t)]
    assert on_services == expected
    assert sorted(on_todo) == sorted(expected)
    for claim in drafts:
        link = f'href="/claims/{claim.pk}/apply/"'
        assert link in services_page
        assert link in todo_page
