"""Having a baby: a plan, a change reported once with its effect shown first; axe on every page."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accounts import sign_in
from tests.conftest import make_person


def _parent():
    from accounts import services

    user = make_person("ffion.browser@example.org")
    customer = user.customer
    customer.legal_given_names, customer.legal_family_name = "Ffion", "Hughes"
    customer.date_of_birth = date(1995, 3, 2)
    customer.save()
    for kind, value in (("relationship_status", "single"), ("monthly_earnings", 600), ("capital", 300),
                        ("housing", "rent_private")):  # fmt: skip
        services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=date(2024, 1, 1), by=user
        )
    return user


def test_having_a_baby_plan_then_report_the_birth(web):
    from journeys.models import ChangeReport, Journey
    from tests.claim_factory import sent_claim

    user = _parent()
    claim = sent_claim(user, "universal_credit")
    due = timezone.localdate() + timedelta(days=30)
    page = sign_in(web, user.email)

    web.visit("/your-services/")
    page.get_by_role("link", name="Something has happened in your life").click()
    web.check()
    page.get_by_role("link", name="Having a baby").click()
    web.check()
    page.get_by_label("Day", exact=True).fill(str(due.day))
    page.get_by_label("Month", exact=True).fill(str(due.month))
    page.get_by_label("Year", exact=True).fill(str(due.year))
    for radio in page.get_by_role("radio", name="No").all():
        radio.check()
    page.get_by_role("button", name="See your plan").click()
    web.check()
    expect(page.get_by_role("heading", name="What you could get")).to_be_visible()
    expect(page.get_by_text("Register the birth", exact=False).first).to_be_visible()
    journey = Journey.objects.get(customer=user.customer)
    assert journey.tasks.count() >= 5

    # The baby arrives: report it once, see the effect first.
    born = timezone.localdate() - timedelta(days=2)
    web.visit("/journeys/report-a-change/")
    page.get_by_label("A baby was born").check()
    page.get_by_role("button", name="Continue").click()
    web.check()
    page.get_by_label("Day", exact=True).fill(str(born.day))
    page.get_by_label("Month", exact=True).fill(str(born.month))
    page.get_by_label("Year", exact=True).fill(str(born.year))
    page.get_by_role("button", name="See what it changes").click()
    web.check()
    table = page.get_by_role("region", name="Universal Credit")
    expect(table).to_contain_text("Universal Credit")
    expect(table).to_contain_text("your claim")
    assert ChangeReport.objects.count() == 0  # nothing saved before confirming
    page.get_by_role("button", name="Confirm the change").click()
    web.check()
    expect(page.get_by_role("heading", name="Change recorded")).to_be_visible()
    assert ChangeReport.objects.filter(customer=user.customer, kind="baby").count() == 1
    assert user.customer.household.filter(relationship="child", date_of_birth=born).exists()
    assert claim.events.filter(reason__contains="You told us about a change").exists()

    web.visit(f"/claims/{claim.pk}/")
    expect(page.locator("#claim-live")).to_contain_text("You told us about a change")
    web.visit("/journeys/to-do/")
    expect(page.get_by_role("main")).to_contain_text("Register the birth")


def test_an_award_in_payment_and_new_earnings_from_an_earlier_date_on_a_small_screen(web):
    """The lone parent's change, in Chromium at 320 px: what she is paid now, what it would
    be, how much less; the caseworker's note never shows; axe on every page."""
    from benefits.claims import decisions as claim_decisions
    from benefits.demo import _age
    from benefits.models import Claim
    from journeys.models import ChangeReport
    from tests.conftest import make_staff
    from tests.journeys.test_journeys import worked_household
    from tests.journeys.test_whole_journeys import (
        LONE_PARENT,
        apply_without_being_asked_twice,
    )

    user = make_person("lowri.browser@example.org")
    worked_household(user, born=date(1990, 1, 1), facts={**LONE_PARENT, "children": []})
    uc, _known = apply_without_being_asked_twice(user, "universal_credit")
    leader = make_staff("leader.browser@example.org", group="team leader")
    claim_decisions.award_claim(claim=Claim.objects.get(pk=uc.pk), by=leader)
    _age(uc, 60)
    paid = uc.statements.get().amount
    happened_on = timezone.localdate() - timedelta(days=20)

    page = sign_in(web, user.email)
    page.set_viewport_size({"width": 320, "height": 800})
    web.visit("/journeys/report-a-change/")
    page.get_by_label("Work and earnings").check()
    page.get_by_role("button", name="Continue").click()
    web.check()
    page.get_by_label("Day", exact=True).fill(str(happened_on.day))
    page.get_by_label("Month", exact=True).fill(str(happened_on.month))
    page.get_by_label("Year", exact=True).fill(str(happened_on.year))
    page.get_by_label("How much do you earn a month", exact=False).fill("900")
    page.get_by_role("button", name="See what it changes").click()
    web.check()
    row = page.get_by_role("region", name="Universal Credit")
    expect(row).to_contain_text(f"£{paid:,.2f} a month")
    expect(row).to_contain_text("paid now")
    expect(row).to_contain_text(f"£{paid - 165:,.2f} a month")
    expect(row).to_contain_text("£165 less a month")
    assert ChangeReport.objects.count() == 0
    page.get_by_role("button", name="Confirm the change").click()
    web.check()
    assert ChangeReport.objects.filter(customer=user.customer, kind="earnings").count() == 1
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
