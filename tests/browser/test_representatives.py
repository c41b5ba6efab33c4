"""Someone to help me, end to end (issue 16), each person in their own browser, axe and the
320 px reflow check on every page: Priya invites Sam to see and act on one claim; Sam
accepts (with two-step sign-in), sends a document for her and is refused her other claim;
Priya sees what Sam did and stops him; Sam's next click is refused."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.browser.conftest import _checked_page
from tests.browser.test_accounts import sign_in
from tests.claim_factory import pdf_bytes, sent_claim
from tests.conftest import PASSWORD, TOTP_SECRET, make_person

PRIYA = "priya.browser@example.org"
SAM = "sam.browser@example.org"


def _sign_in_with_code(web, email: str):
    page = web.visit("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/2fa/authenticate/**")
    web.check()
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    )
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/your-services/$"))
    web.check()
    return page


def test_priya_lets_sam_help_sees_what_he_did_and_stops_him(web, browser, live_server):
    from notifications.models import OutgoingEmail
    from representatives.models import Representation, RepresentativeAction

    priya = make_person(PRIYA)
    priya.customer.legal_given_names, priya.customer.legal_family_name = "Priya", "Shah"
    priya.customer.save()
    chosen = sent_claim(priya, "carers_allowance")
    other = sent_claim(priya)
    sam = make_person(SAM)
    TOTP.activate(sam, TOTP_SECRET)

    # Priya invites Sam to see and act on her Carer's Allowance claim only.
    page = sign_in(web, PRIYA)
    page.get_by_role("link", name="Your representatives").click()
    web.check()
    page.get_by_role("button", name="Invite someone to help you").click()
    web.check()
    page.get_by_role("button", name="Send invitation").click()  # nothing filled in
    web.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what they can do")
    page.get_by_label("Their full name").fill("Sam Shah")
    page.get_by_label("Their email address").fill(SAM)
    page.get_by_label("See my claims and letters").check()
    page.get_by_label(re.compile("^Act on my claims")).check()
    page.get_by_label(re.compile(re.escape(chosen.reference))).check()
    page.get_by_role("button", name="Send invitation").click()
    web.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We emailed Sam Shah")

    link = re.search(r"http\S+/your-data/invitation/\S+/", OutgoingEmail.objects.get(to=SAM).body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]

    # Sam, in his own browser, signs in with his code and accepts.
    sam_pages = _checked_page(browser, live_server, javascript=True)
    sam_web = next(sam_pages)
    try:
        sam_page = _sign_in_with_code(sam_web, SAM)
        sam_web.visit(path)
        expect(sam_page.get_by_role("heading", level=1)).to_have_text(
            "Help Priya Shah with their benefits"
        )
        sam_page.get_by_role("button", name="Accept").click()
        sam_web.check()
        sam_page.get_by_role("button", name="Act for Priya Shah").click()
        sam_web.check()
        expect(sam_page.get_by_role("region", name="Acting for someone")).to_contain_text(
            "You are acting for Priya Shah"
        )

        # He sends a document for her claim.
        sam_web.visit(f"/claims/{chosen.pk}/")
        sam_page.get_by_role("link", name="Send a document").click()
        sam_web.check()
        sam_page.get_by_label("Something else").check()
        sam_page.get_by_label("Upload a file").set_input_files(
            {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        sam_page.get_by_role("button", name="Upload this file").click()
        sam_web.check()
        assert chosen.documents.count() == 1

        # Her other claim does not exist for him.
        response = sam_page.goto(live_server.url + f"/claims/{other.pk}/")
        assert response is not None
        assert response.status == 404
        sam_web.check()

        # Priya sees what Sam did, and stops him.
        page.goto(live_server.url + "/your-data/representatives/what-they-did/")
        web.check()
        expect(page.locator("table")).to_contain_text(f"Sent a document ({chosen.reference})")
        expect(page.locator("table")).to_contain_text("Sam Shah")
        page.goto(live_server.url + "/your-data/representatives/")
        web.check()
        page.get_by_role("link", name="Stop Sam Shah").click()
        web.check()
        page.get_by_role("button", name="Stop now").click()
        web.check()
        assert Representation.objects.get().status == Representation.Status.REVOKED

        # Sam's next click is refused.
        response = sam_page.goto(live_server.url + f"/claims/{chosen.pk}/")
        assert response is not None
        assert response.status == 404
        sam_web.check()
        expect(sam_page.get_by_role("region", name="Acting for someone")).to_have_count(0)
        assert RepresentativeAction.objects.filter(kind="action").count() == 1
    finally:
        next(sam_pages, None)
