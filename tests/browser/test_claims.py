"""Applying, tracking and acting on a claim in Chromium; axe on every page."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from tests.browser.conftest import sideways_scroll
from tests.browser.test_accounts import sign_in
from tests.claim_factory import claim_with_request, pdf_bytes, png_bytes, sent_claim, upload
from tests.conftest import make_person, make_staff


def _applicant():
    from accounts import services

    user = make_person("aled.browser@example.org")
    customer = user.customer
    customer.legal_given_names, customer.legal_family_name = "Aled", "Jones"
    customer.date_of_birth = date(1979, 7, 30)
    customer.ni_number = "PR567890A"
    customer.phone = "07700 900456"
    customer.address_line_1, customer.town, customer.postcode = (
        "22 Bridge Street",
        "Bangor",
        "LL57 1AB",
    )
    customer.save()
    services.record_fact(
        customer=customer, kind="caring_hours", value=40, effective_from=date(2024, 1, 1), by=user
    )
    return user


def _continue(web, page):
    page.get_by_role("button", name="Save and continue").click()
    web.check()


def test_apply_upload_track_a_live_update_and_withdraw(web):
    from benefits.claims import lifecycle
    from benefits.models import Claim, ClaimStatus

    user = _applicant()
    caseworker = make_staff("casey.browser@example.org", group="caseworker")
    page = sign_in(web, user.email)

    web.visit("/claims/apply/carers_allowance/")
    page.get_by_role("button", name="Start now").click()
    web.check()
    expect(page.get_by_text("Your application has not been sent yet.")).to_be_visible()

    # About you was filled in from the profile: check it and mark it completed.
    page.get_by_role("link", name="1. About you").click()
    web.check()
    # The NI number is shown by its ending only, never in full.
    expect(page.get_by_text("ending 90 A")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("PR 56 78 90 A")
    page.get_by_role(
        "button", name=re.compile("Mark this section as completed|Confirm these details")
    ).click()
    web.check()
    expect(page.locator("#section-about-you-status")).to_have_text("Completed")

    page.get_by_role("link", name="2. The person you care for").click()
    web.check()
    page.get_by_label("What is the full name of the person you care for?").fill("Gwen Jones")
    _continue(web, page)
    page.get_by_label("What is their relationship to you?").fill("Mother")
    _continue(web, page)
    page.get_by_label("Attendance Allowance").check()
    _continue(web, page)
    # Caring hours came from his circumstances: the section summary shows them.
    hours = page.locator(".govuk-summary-list__row", has_text="How many hours a week")
    expect(hours).to_contain_text("We already have this")
    expect(hours).to_contain_text("40")
    page.get_by_role("button", name="Mark this section as completed").click()
    web.check()

    page.get_by_role("link", name="3. Your work and study").click()
    web.check()
    page.get_by_label("How much do you earn a week after tax and expenses?").fill("abc")
    _continue(web, page)
    expect(page.get_by_role("alert")).to_contain_text("Enter an amount in pounds")
    page.get_by_label("How much do you earn a week after tax and expenses?").fill("95")
    _continue(web, page)
    page.get_by_label("No").check()
    _continue(web, page)
    page.get_by_role("button", name="Mark this section as completed").click()
    web.check()

    page.get_by_role("link", name="4. Bank account").click()
    web.check()
    expect(page.get_by_label("What is the name on the account?")).to_have_value("")
    page.get_by_label("What is the name on the account?").fill("Aled Jones")
    _continue(web, page)
    page.get_by_label("What is the sort code?").fill("30-94-98")
    _continue(web, page)
    page.get_by_label("What is the account number?").fill("00733445")
    _continue(web, page)
    page.get_by_role("button", name="Mark this section as completed").click()
    web.check()

    page.get_by_role("link", name="Documents").click()
    web.check()
    page.get_by_label("Payslips if you work").check()
    page.get_by_label("Upload a file").set_input_files(
        {
            "name": "Llythyr gofal – Siân ŵyr.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes(),
        }
    )
    page.get_by_role("button", name="Upload this file").click()
    web.check()
    expect(page.get_by_role("link", name="Llythyr gofal – Siân ŵyr.pdf")).to_be_visible()
    # A picture pretending to be a PDF is refused, with the reason, and nothing is kept.
    page.get_by_label("Payslips if you work").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "payslip.pdf", "mimeType": "application/pdf", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Upload this file").click()
    web.check()
    expect(page.get_by_role("alert")).to_contain_text("its name ends in .pdf")
    page.get_by_role("link", name="Back to your application").first.click()
    web.check()

    page.get_by_role("link", name="Check your answers and send your application").click()
    web.check()
    page.get_by_role("button", name="Accept and send").click()
    web.check()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that the information")
    page.get_by_label(
        "I confirm that the information I have given is correct and complete."
    ).check()
    page.get_by_role("button", name="Accept and send").click()
    web.check()
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()
    claim = Claim.objects.get(customer=user.customer)
    expect(page.locator(".govuk-panel")).to_contain_text(claim.reference)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.documents.count() == 1

    web.visit("/your-services/")
    expect(page.get_by_role("link", name="Carer's Allowance", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="1 new notification")).to_contain_text(
        "We have your Carer's Allowance application"
    )

    page.get_by_role("link", name="Carer's Allowance", exact=True).click()
    web.check()
    expect(page.locator("#claim-live")).to_contain_text("Application sent")
    lifecycle.transition(
        claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker, reason="Checking your caring hours"
    )
    # No reload: the live panel shows the caseworker's change.
    expect(page.locator("#claim-live")).to_contain_text("Being looked at", timeout=15_000)
    expect(page.locator("#claim-live")).to_contain_text("Checking your caring hours")
    expect(page.locator("#claim-live-announcer")).to_have_text("Status: Being looked at")
    web.check()

    page.get_by_role("link", name="Withdraw this claim").click()
    web.check()
    page.get_by_role("button", name="Withdraw claim").click()
    web.check()
    expect(page.locator("#claim-live")).to_contain_text("Withdrawn")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN


def test_answer_a_request_with_a_document_without_javascript(web_nojs):
    from benefits.claims import lifecycle
    from benefits.models import ClaimStatus

    web = web_nojs
    user = make_person("jess.browser@example.org")
    claim, info = claim_with_request(user)
    page = sign_in(web, user.email)

    web.visit("/your-services/")
    page.get_by_role("link", name=re.compile("Reply to our request")).click()
    web.check()
    expect(page.get_by_text(info.what_is_needed)).to_be_visible()
    page.get_by_label("Your answer").fill("Here is the letter from my mother's GP.")
    page.get_by_label("Payslips if you work").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "شهادة.png", "mimeType": "image/png", "buffer": png_bytes("blue")}
    )
    page.get_by_role("button", name="Send your reply").click()
    web.check()
    expect(page.get_by_text("Thank you. We have your answer.")).to_be_visible()
    expect(page.get_by_role("link", name="شهادة.png")).to_be_visible()
    expect(page.locator("#claim-live")).to_contain_text("Being looked at")

    # Without JavaScript a change shows on reload.
    lifecycle.transition(claim=claim, to=ClaimStatus.REFUSED, by=None, reason="Earnings too high")
    page.reload()
    web.check()
    expect(page.locator("#claim-live")).to_contain_text("Refused")


def test_a_claim_with_long_file_names_and_payments_reads_without_scrolling_sideways(web):
    """WCAG 2.2 1.4.10 Reflow on a phone: the documents, award and payments tables of a claim
    at 320 CSS px, with the longest names people give their files, every document state,
    and payments paid and due. (``check`` looks at every page at 320 px too.)"""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from benefits.claims import decisions as claim_decisions
    from benefits.claims import documents, lifecycle
    from benefits.demo import _age
    from benefits.models import ClaimStatus, PaymentStatus

    user = make_person("rhian.browser@example.org")
    caseworker = make_staff("carys.browser@example.org", group="caseworker")
    claim = sent_claim(user)
    long_name = "Cyfriflen_banc_Banc_Cenedlaethol_Cymru_Tachwedd_2026_tudalen_1_o_3.png"
    scan = documents.add_document(
        claim=claim, by=user, uploaded=upload(long_name), evidence_kind="Payslips if you work"
    )
    letter = documents.add_document(
        claim=claim, by=user, evidence_kind="A letter from the person you care for",
        uploaded=SimpleUploadedFile(
            "Llythyr gofalwr – Gwen Jones, Meddygfa Stryd y Bont, Bangor.pdf", pdf_bytes(),
            "application/pdf",
        ),
    )  # fmt: skip
    photo = documents.add_document(
        claim=claim, by=user, uploaded=upload("IMG_20261130_120233.png"), evidence_kind="Payslips"
    )
    documents.add_document(claim=claim, by=user, uploaded=upload(), evidence_kind="Payslips")
    documents.mark_document_seen(document=letter, by=caseworker)
    documents.decide_document(
        document=photo, by=caseworker, accepted=False,
        reason="The photo is blank: please take it again in good light.",
    )  # fmt: skip
    documents.decide_document(document=scan, by=caseworker, accepted=True)
    lifecycle.transition(claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker)
    claim_decisions.award_claim(
        claim=claim, by=caseworker, amount=Decimal("90.10"),
        adjustment_reason="Checked with the caring records of Cyngor Gwynedd",
    )  # fmt: skip
    _age(claim, 90)
    assert {p.status for p in claim.payments.all()} >= {PaymentStatus.PAID, PaymentStatus.SCHEDULED}

    page = sign_in(web, user.email)
    page.set_viewport_size({"width": 320, "height": 800})
    web.visit(f"/claims/{claim.pk}/")
    expect(page.get_by_role("link", name=long_name)).to_be_visible()
    expect(page.get_by_role("table", name="Payments into your bank account")).to_be_visible()
    assert sideways_scroll(page) == (0, [])

    web.visit(f"/claims/{claim.pk}/statements/1/")
    expect(page.get_by_role("table", name=re.compile("Award statement 1"))).to_be_visible()
    assert sideways_scroll(page) == (0, [])
