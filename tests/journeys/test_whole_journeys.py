"""Whole journeys across the apps: the record told once, the application, the caseworker's
award, a change reported from an earlier date, its preview, the caseworker applying it, and
the payments that follow. Amounts are checked to the penny against what the published
rules say the change must do (the UC taper takes 55p of each extra pound earned)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import holidays
import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import Customer, Fact, FactKind
from benefits.casework import changes as casework_changes
from benefits.claims import applications
from benefits.claims import decisions as claim_decisions
from benefits.claims.apply import engine
from benefits.demo import _age
from benefits.models import Benefit, Claim, ClaimStatus, Payment, PaymentStatus
from tests.claim_factory import complete_answers
from tests.conftest import sign_in_with_mfa
from tests.journeys.test_changes import post_change, preview_then_confirm
from tests.journeys.test_journeys import worked_household

pytestmark = pytest.mark.django_db

LONE_PARENT = {
    FactKind.RELATIONSHIP_STATUS: "single", FactKind.MONTHLY_EARNINGS: 600, FactKind.CAPITAL: 300,
    FactKind.HOUSING: "rent_social", FactKind.LIMITED_CAPABILITY_FOR_WORK: False,
    FactKind.CARING_HOURS: 0, FactKind.MONTHLY_RENT: 520, "bedrooms": 2, "non_dependants": [],
}  # fmt: skip


def apply_without_being_asked_twice(user, code: str) -> Claim:
    """Start an application: everything the record holds is filled in; only what it does
    not hold is answered, then the application is sent."""
    claim = applications.start_or_resume_draft(
        customer=user.customer, benefit=Benefit.objects.get(code=code), by=user
    )
    known = engine.known_answers(customer=user.customer, benefit_code=code)
    answers = {**complete_answers(code), **known}
    claim = applications.save_draft_answers(
        claim=claim, answers=answers, version=claim.version, by=user
    )
    return applications.submit_claim(claim=claim, by=user), known


def working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays.country_holidays(
        "GB", subdiv="ENG", years=day.year
    )


def test_a_lone_parent_applies_is_awarded_reports_new_earnings_and_is_paid_the_new_amount(
    citizen, citizen_client, caseworker, team_leader
):
    customer = worked_household(citizen, born=date(1990, 1, 1), facts=LONE_PARENT)
    # What the screener asked about each child, held by date of birth.
    account_services.record_fact(
        customer=customer, kind="children", by=citizen, effective_from=date(2024, 1, 1),
        value=[{"date_of_birth": "2016-02-10", "disability": "none", "sex": "female"},
               {"date_of_birth": "2019-07-22", "disability": "none", "sex": "male"}],
    )  # fmt: skip
    for born in (date(2016, 2, 10), date(2019, 7, 22)):
        account_services.add_household_member(
            customer=customer, by=citizen, relationship="child", name="Child",
            date_of_birth=born, joined_on=born,
        )  # fmt: skip

    # Told once: the application is filled in from the record.
    uc, known = apply_without_being_asked_twice(citizen, "universal_credit")
    for slug in ("monthly_earnings", "housing", "capital", "has_partner", "monthly_rent"):
        assert slug in known, f"{slug} was asked again"
    assert Decimal(known["monthly_earnings"]) == Decimal("600.00")

    # The caseworker awards at the rules' itemised proposal.
    proposal = claim_decisions.assess_claim(claim=uc)
    assert proposal.amount is not None, proposal.missing
    claim_decisions.award_claim(claim=Claim.objects.get(pk=uc.pk), by=team_leader)
    first = uc.statements.get()
    assert first.amount == proposal.amount
    assert sum(Decimal(e["amount"]) for e in first.elements) == first.amount
    _age(uc, 60)
    first.refresh_from_db()

    # She reports earnings of £900 from 20 days ago.
    happened_on = timezone.localdate() - timedelta(days=20)
    preview = post_change(citizen_client, "earnings", happened_on, monthly_earnings="900")
    row = next(r for r in preview.context["effects"] if r.code == "universal_credit")
    assert (row.before.state, row.before.amount) == ("paid", first.amount)
    # £300 more earned, all above the work allowance: 55% of it comes off.
    expected_after = first.amount - Decimal("165.00")
    assert (row.after.state, row.after.amount) == ("amount", expected_after)
    page = preview.content.decode()
    assert 'govuk-summary-list__value">Nothing' not in page
    assert f"£{first.amount:,.2f}" in page
    assert f"£{expected_after:,.2f}" in page
    assert "£165 less a month" in page

    *_, done = preview_then_confirm(citizen_client, "earnings", happened_on, monthly_earnings="900")
    assert done.status_code == 302
    uc.refresh_from_db()
    assert uc.change_to_review_from == happened_on

    # The caseworker reviewing it sees the same before and after, in a bounded number of
    # queries however long the record.
    staff = Client()
    sign_in_with_mfa(staff, team_leader)
    admin_url = f"/admin/benefits/claim/{uc.pk}/change/"
    staff.get(admin_url)  # the session's first request
    with CaptureQueriesContext(connection) as short_record:
        review = staff.get(admin_url).content.decode()
    assert "Worked out again from" in review
    assert f"£{first.amount:,.2f}" in review
    assert f"£{expected_after:,.2f}" in review
    assert "difference: £165 taken off" in review
    for month in range(1, 13):
        account_services.record_fact(
            customer=customer, kind=FactKind.CAPITAL, value=300 + month, by=citizen,
            effective_from=date(2025, month, 1),
        )  # fmt: skip
    apply_without_being_asked_twice(citizen, "pip")
    with CaptureQueriesContext(connection) as long_record:
        staff.get(admin_url)
    assert len(long_record) == len(short_record)

    # The caseworker applies it in one action: statement 2 from the change's date.
    casework_changes.review_change(claim=uc, by=team_leader, apply=True)
    second = uc.statements.get(version=2)
    assert (second.effective_from, second.amount) == (happened_on, expected_after)

    # Payments follow on working days and their periods never overlap.
    payments = list(
        Payment.objects.filter(claim=uc)
        .exclude(status=PaymentStatus.CANCELLED)
        .order_by("period_start")
    )
    assert payments
    assert all(working_day(p.due_on) for p in payments)
    regular = [p for p in payments if p.kind == "regular"]
    for earlier, later in itertools.pairwise(regular):
        assert earlier.period_end < later.period_start
    assert Claim.objects.get(pk=uc.pk).status == ClaimStatus.AWARDED


def test_a_carer_whose_hours_drop_below_35_sees_carers_allowance_would_stop(
    citizen, citizen_client, team_leader
):
    worked_household(
        citizen, born=date(1990, 1, 1),
        facts={FactKind.RELATIONSHIP_STATUS: "single", FactKind.MONTHLY_EARNINGS: 0,
               FactKind.CAPITAL: 300, FactKind.HOUSING: "none", FactKind.CARING_HOURS: 40,
               FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT: True},
    )  # fmt: skip
    ca, _known = apply_without_being_asked_twice(citizen, "carers_allowance")
    claim_decisions.award_claim(claim=Claim.objects.get(pk=ca.pk), by=team_leader)
    statement = ca.statements.get()

    preview = post_change(citizen_client, "caring", timezone.localdate(), caring_hours="20")
    row = next(r for r in preview.context["effects"] if r.code == "carers_allowance")
    assert (row.before.state, row.before.amount) == ("paid", statement.amount)
    assert row.after.state == "stops"
    assert any("35 hours" in reason for reason in row.after.reasons)
    page = preview.content.decode()
    assert "Would stop" in page
    assert "35 hours" in page


def test_the_preview_takes_the_same_number_of_queries_however_long_the_record(citizen, team_leader):
    from journeys.services import preview_change

    customer = worked_household(citizen, born=date(1990, 1, 1), facts=LONE_PARENT)
    apply_without_being_asked_twice(citizen, "carers_allowance")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            preview_change(
                customer=customer, kind="earnings", details={"monthly_earnings": "900"},
                happened_on=timezone.localdate(),
            )  # fmt: skip
        return len(queries)

    count()  # the rates in force are cached after the first call
    few = count()
    for month in range(1, 13):
        account_services.record_fact(
            customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=600 + month, by=citizen,
            effective_from=date(2025, month, 1),
        )  # fmt: skip
    apply_without_being_asked_twice(citizen, "pip")
    apply_without_being_asked_twice(citizen, "jsa")
    assert count() == few


def test_an_application_asks_what_the_rules_still_need_and_then_they_work_out_the_amount(
    citizen, citizen_client
):
    """A lone parent renting privately with a boy of 10 and a girl of 7: the bedrooms the
    rent is capped to depend on their sexes, which the sections do not ask. The
    application asks them (and whether each gets a disability benefit), once, before it is
    sent; then the rules give an amount."""
    customer = worked_household(
        citizen, born=date(1990, 1, 1),
        facts={**LONE_PARENT, FactKind.HOUSING: "rent_private", "bedrooms": None},
    )  # fmt: skip
    today = timezone.localdate()
    for years in (10, 7):
        born = today.replace(year=today.year - years) - timedelta(days=30)
        account_services.add_household_member(
            customer=customer, by=citizen, relationship="child", name="Child",
            date_of_birth=born, joined_on=born,
        )  # fmt: skip
    claim = applications.start_or_resume_draft(
        customer=customer, benefit=Benefit.objects.get(code="universal_credit"), by=citizen
    )
    known = engine.known_answers(customer=customer, benefit_code="universal_credit")
    claim = applications.save_draft_answers(
        claim=claim, answers={**complete_answers("universal_credit"), **known},
        version=claim.version, by=citizen,
    )  # fmt: skip
    check = f"/claims/{claim.pk}/apply/check/"

    asked = []
    answers = {"children.0.sex": "male", "children.1.sex": "female",
               "children.0.disability": "none", "children.1.disability": "none"}  # fmt: skip
    for _step in range(8):
        response = citizen_client.get(check)
        if response.status_code == 200:
            break
        assert response.status_code == 302
        page = citizen_client.get(response.url)
        assert page.status_code == 200
        fact = response.url.rstrip("/").rsplit("/", 1)[-1]
        asked.append(fact)
        claim.refresh_from_db()
        posted = citizen_client.post(
            response.url, {"answer": answers[fact], "version": claim.version}
        )
        assert posted.status_code == 302
    # Each asked once; nothing the record or the sections hold.
    assert sorted(asked) == sorted(answers)

    claim.refresh_from_db()
    assert citizen_client.post(check, {"declaration": "on"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    result = claim_decisions.assess_claim(claim=claim)
    assert result.verdict == "eligible", result.missing
    assert any(e.code.startswith("uc.housing") for e in result.elements)
    # Told once: the record now holds each child's sex, by date of birth.
    children = account_selectors.fact_values_in_force(customer=customer, on=today)["children"]
    assert sorted(c["sex"] for c in children) == ["female", "male"]


def follow_what_the_rules_need(client, claim, answers: dict[str, str]) -> list[str]:
    """On "check your answers", answer each question the application adds, as asked."""
    check = f"/claims/{claim.pk}/apply/check/"
    asked = []
    for _step in range(10):
        response = client.get(check)
        if response.status_code == 200:
            return asked
        fact = response.url.rstrip("/").rsplit("/", 1)[-1]
        asked.append(fact)
        claim.refresh_from_db()
        posted = client.post(response.url, {"answer": answers[fact], "version": claim.version})
        assert posted.status_code == 302, fact
    pytest.fail(f"still asking: {asked}")


def test_from_the_screener_to_payments_a_lone_parent_is_asked_nothing_twice(client, team_leader):
    """She checks what she could get, saves it, applies for Universal Credit without being
    asked again what she told the screener, is awarded at the rules' proposal, and reports
    earnings of £900 (from £300) from an earlier date. With help for housing costs her
    work allowance is the lower one, £427 a month in 2026/27 (benefit-rates.md), so the
    change takes 55% of (£900 − £427) = £260.15 off, to the penny."""
    from tests.benefits.test_screener import LONE_PARENT as SCREENER_LONE_PARENT
    from tests.benefits.test_screener import SAVE, answer_screener, sign_in
    from tests.conftest import make_person

    person = make_person("seren@example.org")
    sign_in(client, person)
    answer_screener(client, {**SCREENER_LONE_PARENT, "claimant.monthly_earnings": "300"})
    assert client.post(SAVE, {"save": "yes"}).status_code == 302
    customer = Customer.objects.get(user=person)

    claim = applications.start_or_resume_draft(
        customer=customer, benefit=Benefit.objects.get(code="universal_credit"), by=person
    )
    known = engine.known_answers(customer=customer, benefit_code="universal_credit")
    for slug in ("date_of_birth", "has_partner", "housing", "capital", "monthly_earnings"):
        assert slug in known, f"{slug} told to the screener was asked again"
    assert Decimal(known["monthly_earnings"]) == Decimal("300.00")
    answers = {**complete_answers("universal_credit"), **known,
               "monthly_rent": "520.00", "others_18_or_over": False, "caring_hours": 0}  # fmt: skip
    claim = applications.save_draft_answers(
        claim=claim, answers=answers, version=claim.version, by=person
    )
    asked = follow_what_the_rules_need(client, claim, {
        "bedrooms": "2", "children.0.sex": "female", "children.1.sex": "male",
        "children.0.disability": "none", "children.1.disability": "none",
    })  # fmt: skip
    assert "claimant.monthly_earnings" not in asked
    assert client.post(f"/claims/{claim.pk}/apply/check/", {"declaration": "on"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED

    proposal = claim_decisions.assess_claim(claim=claim)
    assert proposal.amount is not None, proposal.missing
    claim_decisions.award_claim(claim=Claim.objects.get(pk=claim.pk), by=team_leader)
    paid = claim.statements.get().amount
    assert paid == proposal.amount
    # As if all this had happened 60 days ago: the screener's facts and the claim.
    Fact.objects.filter(customer=customer).exclude(source="application").update(
        effective_from=F("effective_from") - timedelta(days=60),
        recorded_at=F("recorded_at") - timedelta(days=60),
    )
    _age(claim, 60)

    happened_on = timezone.localdate() - timedelta(days=20)
    preview = post_change(client, "earnings", happened_on, monthly_earnings="900")
    row = next(r for r in preview.context["effects"] if r.code == "universal_credit")
    assert (row.before.state, row.before.amount) == ("paid", paid)
    assert (row.after.state, row.after.amount) == ("amount", paid - Decimal("260.15"))
    *_, done = preview_then_confirm(client, "earnings", happened_on, monthly_earnings="900")
    assert done.status_code == 302
    casework_changes.review_change(claim=Claim.objects.get(pk=claim.pk), by=team_leader, apply=True)
    second = claim.statements.get(version=2)
    assert (second.effective_from, second.amount) == (happened_on, paid - Decimal("260.15"))
