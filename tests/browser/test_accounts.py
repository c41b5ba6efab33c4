"""Accounts end to end in Chromium, with axe on every page."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_person
from tests.helpers import send_queued_emails

NEW_PASSWORD = "a long and memorable passphrase"


def test_sign_up_verify_sign_in_change_contact_details_and_sign_out(web):
    page = web.visit("/")
    page.get_by_role("link", name="Create an account").click()
    web.check()

    page.get_by_label("Email address").fill("newperson@example.org")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    web.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    # The email waits in the outbox: send it as the worker does, and open its link.
    sent = send_queued_emails()
    assert len(sent) == 1
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", sent[0].body).group(0)
    web.visit(link.split("/account/", 1)[1].join(["/account/", ""]))
    page.get_by_role("button", name="Confirm").click()
    web.check()

    # Verified: now sign in.
    if "/account/login/" not in page.url:
        web.visit("/account/login/")
    page.get_by_label("Email address").fill("newperson@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your services")

    # Change a contact detail: the phone number and address, from the profile.
    page.get_by_role("link", name="Your profile").click()
    web.check()
    page.get_by_role("link", name="Change phone").click()
    web.check()
    # A changed phone or address could divert letters and codes: the password again first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    web.check()
    page.get_by_role("button", name="Save").click()  # nothing filled in: errors first
    web.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter address line 1")
    page.get_by_label("Phone number (optional)").fill("07700 900 456")
    page.get_by_label("Address line 1").fill("1 New Street")
    page.get_by_label("Town or city").fill("York")
    page.get_by_label("Postcode").fill("yo1 7hh")
    page.get_by_role("button", name="Save").click()
    web.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "contact details have been updated"
    )
    expect(page.locator(".govuk-summary-list").nth(1)).to_contain_text("07700 900 456")
    expect(page.locator(".govuk-summary-list").nth(1)).to_contain_text("YO1 7HH")

    # Sign out.
    page.get_by_role("link", name="Sign out").click()
    web.check()
    page.get_by_role("button", name="Sign out").click()
    web.check()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def sign_in(web, email: str, password: str = PASSWORD):
    page = web.visit("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    web.check()
    return page


def test_every_account_page_passes_axe(web):
    from accounts.services import add_household_member
    from benefits.claims import applications
    from benefits.models import Benefit

    walker = make_person("walker@example.org")
    # The household's table, at 320 px too (``check``): the longest word a name can be.
    add_household_member(
        customer=walker.customer, by=walker, relationship="other",
        name="Hubert Wolfeschlegelsteinhausenbergerdorff", date_of_birth=date(1948, 3, 11),
        joined_on=date(2020, 1, 1),
    )  # fmt: skip
    draft = applications.start_or_resume_draft(
        customer=walker.customer, benefit=Benefit.objects.get(code="carers_allowance"), by=walker
    )
    claim = applications.submit_claim(claim=draft, by=walker)
    page = sign_in(web, "walker@example.org")

    for path in (
        "/account/profile/",
        "/account/profile/about-you/",
        "/account/profile/contact/",
        "/account/profile/preferences/",
        "/account/household/",
        "/account/household/add/",
        "/account/security/",
        "/account/sessions/",
        "/account/email/",
        "/account/password/change/",
        "/account/2fa/",
        f"/claims/{claim.pk}/",
        f"/claims/{claim.pk}/withdraw/",
    ):
        web.visit(path)
        expect(page.locator("h1")).to_have_count(1)


def test_add_a_household_member_with_a_date_error_first(web):
    make_person("parent@example.org")
    page = sign_in(web, "parent@example.org")
    web.visit("/account/household/add/")

    page.get_by_label("Child").check()
    page.get_by_label("Their name").fill("Ada")
    page.get_by_role("group", name="Their date of birth").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Their date of birth").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Their date of birth").get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Save").click()
    web.check()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Their date of birth must be a real date")
    summary.get_by_role("link", name="Their date of birth must be a real date").click()
    expect(
        page.get_by_role("group", name="Their date of birth").get_by_label("Day")
    ).to_be_focused()
    expect(page.get_by_label("Their name")).to_have_value("Ada")  # nothing typed is lost

    page.get_by_role("group", name="Their date of birth").get_by_label("Day").fill("29")
    for label in ("Day", "Month", "Year"):
        group = page.get_by_role("group", name="When did they start living with you?")
        group.get_by_label(label).fill({"Day": "29", "Month": "2", "Year": "2020"}[label])
    page.get_by_role("button", name="Save").click()
    web.check()

    expect(page.get_by_role("table")).to_contain_text("Ada")
    expect(page.get_by_role("table")).to_contain_text("29 February 2020")
