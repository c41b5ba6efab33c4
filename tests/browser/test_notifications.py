"""Notifications and how we contact you, in Chromium; axe on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_accounts import sign_in
from tests.conftest import make_person


def test_messages_badge_updates_live_and_preferences_save(web):
    from accounts.services import update_contact_details
    from notifications.models import Preferences
    from notifications.services import notify

    user = make_person("nia.browser@example.org")
    update_contact_details(
        customer=user.customer,
        by=user,
        phone="07700 900123",
        address_line_1="1 High Street",
        address_line_2="",
        town="York",
        postcode="YO1 7HH",
    )  # texts need a mobile number
    notify(customer=user.customer, kind="status", title="We have your application",
           link="/your-services/")  # fmt: skip
    page = sign_in(web, user.email)

    web.visit("/your-services/")
    badge = page.locator("#notifications-badge")
    expect(badge).to_contain_text("1 unread notification")

    # A new notification appears in the header without a reload.
    notify(customer=user.customer, kind="message", title="A caseworker wrote to you")
    expect(badge).to_contain_text("2 unread notifications", timeout=15_000)
    web.check()

    badge.get_by_role("link").click()
    web.check()
    expect(page.get_by_role("link", name="A caseworker wrote to you")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    web.check()
    expect(badge).not_to_contain_text("unread")

    page.get_by_role("link", name="Choose how we contact you").click()
    web.check()
    group = page.get_by_role("group", name="Reminders of things to do and payments")
    group.get_by_label("Text message").check()
    page.get_by_label("From").fill("25:00")
    page.get_by_role("button", name="Save your choices").click()
    web.check()
    expect(page.get_by_role("alert")).to_contain_text("Enter a time like 21:00")
    page.get_by_label("From").fill("21:00")
    page.get_by_label("Until").fill("08:00")
    page.get_by_role("button", name="Save your choices").click()
    web.check()
    expect(page.get_by_text("Your choices have been saved.")).to_be_visible()
    saved = Preferences.objects.get(customer=user.customer)
    assert "sms" in saved.channels["reminder"]
    assert saved.quiet_from.hour == 21
