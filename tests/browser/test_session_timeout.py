"""The idle-timeout warning: announced, keyboard-operable, and it keeps the session."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_person


def test_warning_appears_before_the_idle_timeout_and_stay_signed_in_keeps_the_session(
    web, settings
):
    # Shrink the clock: 15 minutes becomes 18 seconds, the warning comes 10 seconds early
    # (after 8 seconds). Meanwhile "Your services" polls its panels every 2 seconds: the
    # warning opens all the same, because polls are not someone using the page.
    settings.SESSION_IDLE_TIMEOUT = 18
    settings.SESSION_WARNING_BEFORE = 10
    make_person("sleepy@example.org")
    page = web.visit("/account/login/")
    polls = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") else None)
    page.get_by_label("Email address").fill("sleepy@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()

    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=12_000)
    assert len(polls) >= 3, polls
    web.check()  # axe with the dialog open
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()

    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    status = page.request.get(web.base_url + "/account/session/").json()
    assert status["seconds_left"] > 15


def test_an_expired_session_lands_on_sign_in_with_the_reason(web, settings):
    settings.SESSION_IDLE_TIMEOUT = 3
    settings.SESSION_WARNING_BEFORE = 2
    make_person("gone@example.org")
    page = web.visit("/account/login/")
    page.get_by_label("Email address").fill("gone@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()

    # No one touches the page: the warning counts down, then the page reloads.
    page.wait_for_url("**/account/login/**", timeout=15_000)
    page.wait_for_load_state("load")
    web.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "had not done anything for 1 minute"
    )
