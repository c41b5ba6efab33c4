"""A caseworker and a citizen work one claim together, each in their own browser."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accounts import sign_in
from tests.claim_factory import pdf_bytes, sent_claim
from tests.conftest import PASSWORD, TOTP_SECRET, make_person, make_staff


def staff_sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/account/login/?next=/admin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    )
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))


def test_a_caseworker_takes_asks_and_awards_and_the_citizen_sees_it_all(web, browser, live_server):
    from benefits.models import Claim, ClaimStatus

    citizen = make_person("rhys.browser@example.org")
    make_staff("casey.browser@example.org", group="caseworker")
    claim = sent_claim(citizen)

    staff_context = browser.new_context(locale="en-GB")
    staff_context.set_default_timeout(10_000)
    admin = staff_context.new_page()
    try:
        staff_sign_in(admin, live_server.url, "casey.browser@example.org")
        admin.goto(live_server.url + "/admin/benefits/claim/")
        admin.get_by_role("button", name="Take the next claim").click()
        expect(admin.get_by_text(f"Claim {claim.reference} is yours.")).to_be_visible()
        admin.get_by_text("Ask the person for information").click()
        admin.get_by_label("What do you need from the person?").fill(
            "Send a letter about the care you give."
        )
        due = timezone.localdate() + timedelta(days=14)
        reply_by = admin.get_by_role("group", name="Reply by")
        reply_by.get_by_label("Day").fill(str(due.day))
        reply_by.get_by_label("Month").fill(str(due.month))
        reply_by.get_by_label("Year").fill(str(due.year))
        admin.get_by_role("button", name="Send the request").click()
        expect(admin.get_by_text("it is on their to-do list")).to_be_visible()

        page = sign_in(web, citizen.email)
        web.visit("/your-services/")
        page.get_by_role("link", name=re.compile("Reply to our request")).click()
        web.check()
        page.get_by_label("Your answer").fill("Here is the letter.")
        page.get_by_label("Payslips if you work").check()
        page.get_by_label("Upload a file").set_input_files(
            {"name": "care-letter.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        page.get_by_role("button", name="Send your reply").click()
        web.check()
        expect(page.locator("#claim-live")).to_contain_text("Being looked at")

        admin.reload()
        admin.get_by_text("Award", exact=True).click()
        admin.get_by_label("Amount", exact=True).fill("83.30")
        admin.get_by_label("Reason for the person, if the amount differs").fill(
            "Checked with the caring records"
        )
        admin.get_by_label("Internal note (staff only)").fill("Rules lack two facts; by hand")
        admin.get_by_role("button", name="Award the claim").click()
        expect(admin.get_by_text("Awarded: 83.30")).to_be_visible()
    finally:
        staff_context.close()

    expect(page.locator("#claim-live")).to_contain_text("Awarded", timeout=15_000)
    web.check()
    expect(page.locator("main")).not_to_contain_text("Rules lack two facts")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your decision letter (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.AWARDED

    web.visit("/account/access-log/")
    expect(page.get_by_role("main")).to_contain_text("A caseworker")
    expect(page.get_by_role("main")).not_to_contain_text("casey.browser@example.org")
    expect(page.get_by_role("main")).to_contain_text(claim.reference)
