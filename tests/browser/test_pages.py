"""The first pages a person meets, driven in Chromium and checked with axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_person


def test_start_page_says_what_the_service_does_and_passes_axe(web):
    page = web.visit("/")

    expect(page).to_have_title(re.compile("Benefits and support"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits and support")
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
    # The design system's JavaScript loaded as a module and marked the page.
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))


def test_skip_link_moves_focus_to_the_main_content(web):
    page = web.visit("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main-content$"))


def test_not_found_page_is_in_the_portals_design_and_passes_axe(web):
    response = web.page.goto(web.base_url + "/no-such-page/")
    web.check()

    assert response is not None
    assert response.status == 404
    expect(web.page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(web.page.get_by_role("link", name="go to the start page")).to_be_visible()


def test_start_page_works_without_javascript(web_nojs):
    page = web_nojs.visit("/")

    expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))
    page.get_by_role("button", name="Start now").click()
    web_nojs.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_with_errors_then_reach_your_services(web):
    make_person("carol@example.org")
    page = web.visit("/account/login/")

    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile("^Error:"))
    # Each error in the summary links to its field.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Email address")).to_be_focused()

    page.get_by_label("Email address").fill("carol@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your services")
    expect(page.get_by_text("Signed in as carol@example.org", exact=True)).to_be_visible()
