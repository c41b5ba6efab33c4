"""Whole journey (b): a pensioner couple with Attendance Allowance and Pension Credit
awarded report that one of them moved into a care home for good, and the preview shows
every affected award: what each pays now, to the penny, and what the rules give after.

Figures from benefit-rates.md (the published rates, in the project's shared notes), by the tax year of the day the test runs:
§5 Pension Credit standard minimum guarantee, §7 Attendance Allowance.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import FactKind, FactSource, HouseholdMember
from benefits.claims import applications
from benefits.claims import decisions as claim_decisions
from benefits.claims.apply import engine
from benefits.demo import _age
from benefits.models import Benefit, Claim
from benefits.rules.base import gbp
from journeys.models import ChangeReport
from tests.claim_factory import complete_answers
from tests.journeys.test_changes import post_change, preview_then_confirm
from tests.journeys.test_journeys import worked_household

pytestmark = pytest.mark.django_db

# benefit-rates.md: (PC guarantee single, PC guarantee couple, AA lower rate), £ a week.
RATES = {
    "2025/26": (Decimal("227.10"), Decimal("346.60"), Decimal("73.90")),
    "2026/27": (Decimal("238.00"), Decimal("363.25"), Decimal("76.70")),
}
HER_STATE_PENSION = Decimal("160.00")
HIS_STATE_PENSION = Decimal("169.50")


def tax_year(day: date) -> str:
    return "2026/27" if day >= date(2026, 4, 6) else "2025/26"


def apply(user, code: str, answers: dict) -> Claim:
    """Apply as the person does: what the record holds is filled in, the rest answered."""
    claim = applications.start_or_resume_draft(
        customer=user.customer, benefit=Benefit.objects.get(code=code), by=user
    )
    known = engine.known_answers(customer=user.customer, benefit_code=code)
    claim = applications.save_draft_answers(
        claim=claim, answers={**complete_answers(code), **answers, **known},
        version=claim.version, by=user,
    )  # fmt: skip
    return applications.submit_claim(claim=claim, by=user)


@pytest.fixture
def couple(citizen):
    """Margaret (born 1955) and George (born 1952), both over State Pension age, retired,
    £9,500 saved (under Pension Credit's £10,000 disregard), no housing costs."""
    return worked_household(
        citizen, born=date(1955, 4, 2), partner_born=date(1952, 12, 19),
        facts={FactKind.MONTHLY_EARNINGS: 0, FactKind.CAPITAL: 9500, FactKind.HOUSING: "none",
               FactKind.CARING_HOURS: 0},
    )  # fmt: skip


def test_a_pensioner_couple_report_a_move_into_a_care_home_and_see_every_award_change(
    citizen, citizen_client, couple, team_leader
):
    # Attendance Allowance: she needs help by day, so the lower rate; awarded.
    aa = apply(citizen, "attendance_allowance",
               {"care_need": "day_or_night", "long_term": True, "terminally_ill": False})  # fmt: skip
    claim_decisions.award_claim(claim=aa, by=team_leader)
    # The award is on her record, from the statement's date, by the system.
    awarded = account_selectors.facts_in_force(customer=couple, on=timezone.localdate())
    assert awarded["claimant.attendance_allowance"].value == "lower"
    assert awarded["claimant.attendance_allowance"].source == FactSource.SYSTEM

    # Pension Credit: the couple's income is their two State Pensions.
    pc = apply(citizen, "pension_credit", {
        "weekly_state_pension": str(HER_STATE_PENSION), "weekly_pension_income": "0.00",
        "partner_weekly_state_pension": str(HIS_STATE_PENSION),
        "partner_weekly_pension_income": "0.00", "partner_monthly_earnings": "0.00",
        "partner_carers_allowance": False,
    })  # fmt: skip
    assert pc.answers["has_partner"] is True  # from the record, not asked again
    claim_decisions.award_claim(claim=pc, by=team_leader)
    for claim in (aa, pc):
        _age(claim, 30)  # a month of the awards being paid

    today = timezone.localdate()
    happened_on = today - timedelta(days=7)
    single, couple_rate, aa_lower = RATES[tax_year(happened_on)]
    paid_aa = aa.statements.get().amount
    paid_pc = pc.statements.get().amount
    # Paid now: AA at the lower rate (2026/27: £76.70); Pension Credit is the couple's
    # guarantee less both State Pensions (2026/27: £363.25 − (£160.00 + £169.50) = £33.75).
    assert paid_aa == aa_lower
    assert paid_pc == couple_rate - HER_STATE_PENSION - HIS_STATE_PENSION

    # George moved into a care home for good a week ago: they are no longer one household.
    preview = post_change(citizen_client, "care_home", happened_on, who="partner", permanent="yes")
    assert preview.status_code == 200
    rows = {row.code: row for row in preview.context["effects"]}
    assert {"attendance_allowance", "pension_credit"} <= set(rows)

    # Attendance Allowance is hers and not means-tested: the same before and after.
    assert (
        rows["attendance_allowance"].before.state,
        rows["attendance_allowance"].before.amount,
    ) == ("paid", paid_aa)
    assert (
        rows["attendance_allowance"].after.state,
        rows["attendance_allowance"].after.amount,
    ) == ("amount", aa_lower)
    # Pension Credit: she is assessed as a single person on her own State Pension:
    # 2026/27: £238.00 − £160.00 = £78.00 a week (2025/26: £227.10 − £160.00 = £67.10).
    pension_credit = rows["pension_credit"]
    assert (pension_credit.before.state, pension_credit.before.amount) == ("paid", paid_pc)
    assert pension_credit.after.state == "amount"
    assert pension_credit.after.amount == single - HER_STATE_PENSION
    assert pension_credit.after.period == "week"
    page = preview.content.decode()
    for amount in (paid_aa, paid_pc, single - HER_STATE_PENSION):
        assert gbp(amount) in page  # £33.75, £76.70, £78

    # Confirmed: recorded once, the couple live apart from that day (still partners, not
    # "single"), and the changed award waits for a caseworker's decision.
    *_, done = preview_then_confirm(
        citizen_client, "care_home", happened_on, who="partner", permanent="yes"
    )
    assert done.status_code == 302
    assert ChangeReport.objects.filter(customer=couple, kind="care_home").count() == 1
    after = account_selectors.facts_in_force(customer=couple, on=happened_on)
    assert after[FactKind.RELATIONSHIP_STATUS].value == "living_apart"
    assert after["care_home"].value == {"who": "partner", "permanent": True}
    assert (
        HouseholdMember.objects.get(customer=couple, relationship="partner").left_on == happened_on
    )
    pc.refresh_from_db()
    aa.refresh_from_db()
    assert pc.change_to_review_from == happened_on
    assert aa.change_to_review_from is None  # nothing changes for it
    # Nothing suggests the separating journey: they have not separated.
    assert citizen_client.session.get("journeys_offer") is None


def test_a_short_stay_in_a_care_home_changes_no_award(citizen, citizen_client, couple, team_leader):
    pc = apply(citizen, "pension_credit", {
        "weekly_state_pension": str(HER_STATE_PENSION), "weekly_pension_income": "0.00",
        "partner_weekly_state_pension": str(HIS_STATE_PENSION),
        "partner_weekly_pension_income": "0.00", "partner_monthly_earnings": "0.00",
        "partner_carers_allowance": False,
    })  # fmt: skip
    claim_decisions.award_claim(claim=pc, by=team_leader)
    preview = post_change(
        citizen_client, "care_home", timezone.localdate(), who="partner", permanent="no"
    )
    row = next(r for r in preview.context["effects"] if r.code == "pension_credit")
    paid = pc.statements.get().amount
    assert (row.before.state, row.before.amount) == ("paid", paid)
    assert (row.after.state, row.after.amount) == ("amount", paid)
    assert not row.changed


def test_the_care_home_change_asks_who_moved_and_whether_for_good(citizen_client, couple):
    response = post_change(citizen_client, "care_home", timezone.localdate())
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["who"] == ["Select who moved into a care home"]
    assert errors["permanent"] == ["Select yes if the move is expected to be permanent"]
    assert "effects" not in response.context
