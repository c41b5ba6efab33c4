"""Check what you could get, in Chromium, for two very different households; axe on every page."""

from __future__ import annotations

from playwright.sync_api import expect

START = "/check-what-you-could-get/"


def answer_everything(web, answers: dict[str, object], *, max_steps: int = 60):
    """Answer each question page until check-your-answers, using labels as a person would."""
    page = web.page
    for _ in range(max_steps):
        if page.url.endswith("/check-your-answers/"):
            return page
        heading = page.locator("h1").inner_text()
        value = next((v for key, v in answers.items() if key in heading), None)
        radios = page.get_by_role("radio")
        if page.get_by_role("group").get_by_label("Day", exact=True).count():
            day, month, year = value or ("1", "1", "1990")
            page.get_by_label("Day", exact=True).fill(day)
            page.get_by_label("Month", exact=True).fill(month)
            page.get_by_label("Year", exact=True).fill(year)
        elif radios.count():
            page.get_by_label(str(value or "No"), exact=True).check()
        else:
            page.get_by_role("textbox").fill(str(value if value is not None else "0"))
        page.get_by_role("button", name="Continue").click()
        web.check()
    raise AssertionError(f"Still asking questions after {max_steps} pages: {page.url}")


def test_a_young_single_renter(web):
    page = web.visit(START)
    page.get_by_role("button", name="Start now").click()
    web.check()

    answer_everything(web, {
        "your date of birth": ("12", "5", "1998"),
        "live with a partner": "No",
        "How much do you have in savings": "500",
        "How many children": "0",
        "rent or a mortgage": "I rent from a private landlord",
        "earn a month": "600",
    })  # fmt: skip
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    page.get_by_role("button", name="See what you could get").click()
    web.check()

    uc = page.get_by_role("region", name="Universal Credit")
    expect(uc).to_contain_text("You could get this")
    # 2026/27: £424.90 − 55% × £600 = £94.90 a month (no work allowance without children).
    expect(uc).to_contain_text("About £94.90 a month")
    expect(uc).to_contain_text("Standard allowance, single, 25 or over: £424.90 a month")
    expect(page.get_by_role("region", name="Pension Credit")).to_contain_text("You cannot get this")


def test_a_pensioner_couple_without_javascript(web_nojs):
    web = web_nojs
    page = web.visit(START)
    page.get_by_role("button", name="Start now").click()
    web.check()

    answer_everything(web, {
        "your date of birth": ("2", "4", "1950"),
        "live with a partner": "Yes",
        "partner's date of birth": ("19", "12", "1948"),
        "How much do you have in savings": "12750",
        "How many children": "0",
        "qualifying years": "30",
        "weekly": "0",
        "personal care": "Yes, during the day and at night",
        "lasted": "Yes",
        "terminally ill": "No",
    })  # fmt: skip
    page.get_by_role("button", name="See what you could get").click()
    web.check()

    expect(page.get_by_role("region", name="Universal Credit")).to_contain_text(
        "You cannot get this"
    )
    expect(page.get_by_role("region", name="Attendance Allowance")).to_contain_text(
        "About £114.60 a week"
    )
    expect(page.get_by_role("region", name="New State Pension")).to_contain_text(
        "You could get this"
    )
