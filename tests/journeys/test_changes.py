"""Reporting a change once: the effect shown first with the rules for the date it happened,
recorded once on confirm (facts from that date, every live claim told), bad input refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Fact, FactKind, HouseholdMember
from benefits.catalogue.selectors import rates_on
from benefits.models import ClaimEvent, EventKind
from benefits.rules.base import Verdict
from journeys import services
from journeys.models import ChangeReport
from notifications.models import Notification
from tests.claim_factory import sent_claim
from tests.journeys.test_journeys import SINGLE_RENTER, worked_household

pytestmark = pytest.mark.django_db


def dated(field: str, day: date) -> dict:
    return {f"{field}_day": day.day, f"{field}_month": day.month, f"{field}_year": day.year}


def post_change(client, kind: str, happened_on: date, **fields):
    return client.post(
        f"/journeys/report-a-change/{kind}/", {**dated("happened_on", happened_on), **fields}
    )


def preview_then_confirm(client, kind: str, happened_on: date, **fields):
    preview = post_change(client, kind, happened_on, **fields)
    token = preview.context["form"].data["token"]
    return (
        preview,
        token,
        post_change(client, kind, happened_on, token=token, confirm="yes", **fields),
    )


def traces(customer) -> tuple[int, int, int, int]:
    return (
        ChangeReport.objects.filter(customer=customer).count(),
        Fact.objects.filter(customer=customer).count(),
        ClaimEvent.objects.filter(claim__customer=customer).count(),
        Notification.objects.filter(customer=customer).count(),
    )


@pytest.fixture
def earner(citizen):
    """Alice, single, renting, earning £1,500 a month."""
    worked_household(
        citizen, born=date(1990, 1, 1), facts={**SINGLE_RENTER, FactKind.MONTHLY_EARNINGS: 1500}
    )
    return citizen


@pytest.fixture
def carer(citizen):
    """Alice, caring 40 hours a week for someone on a disability benefit, earning £600."""
    worked_household(
        citizen, born=date(1990, 1, 1),
        facts={**SINGLE_RENTER, FactKind.CARING_HOURS: 40,
               FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT: True},
    )  # fmt: skip
    return citizen


# --- Past dates are reassessed from that date --------------------------------------------------


def test_an_earnings_drop_two_months_ago_is_previewed_for_that_date(citizen_client, earner):
    happened_on = timezone.localdate() - timedelta(days=61)

    response = post_change(citizen_client, "earnings", happened_on, monthly_earnings="0")

    effects = {e.code: e for e in response.context["effects"]}
    uc = effects["universal_credit"]
    assert uc.before_result.verdict == Verdict.NOT_ELIGIBLE  # £1,500 earned: nothing
    assert uc.after_result.verdict == Verdict.ELIGIBLE
    assert uc.after_result.amount > 0
    assert uc.claim_id is None
    assert uc.changed
    html = response.content.decode()
    assert happened_on.strftime("%-d %B %Y") in html
    assert "Nothing" in html
    assert ChangeReport.objects.count() == 0


def test_a_change_before_april_uses_that_years_rates(earner):
    happened_on = date(2026, 3, 1)  # 2025 to 2026 rates; today's are 2026 to 2027

    effects = services.preview_change(
        customer=earner.customer, kind="earnings", details={"monthly_earnings": "0"},
        happened_on=happened_on,
    )  # fmt: skip

    uc = next(e for e in effects if e.code == "universal_credit")
    then = rates_on(happened_on)["uc.standard_allowance.single_25_plus"]
    now = rates_on(timezone.localdate())["uc.standard_allowance.single_25_plus"]
    assert then != now
    assert uc.after_result.amount == then


# --- One change, every live claim ---------------------------------------------------------------


def test_a_change_affecting_two_live_claims_is_told_to_both(citizen_client, carer):
    uc, ca = sent_claim(carer, "universal_credit"), sent_claim(carer, "carers_allowance")
    happened_on = timezone.localdate() - timedelta(days=10)

    preview, _token, done = preview_then_confirm(
        citizen_client, "caring", happened_on, caring_hours="10"
    )

    assert done.status_code == 302
    effects = {e.code: e for e in preview.context["effects"]}
    assert effects["universal_credit"].claim_id == uc.pk
    assert effects["universal_credit"].changed
    assert effects["carers_allowance"].claim_id == ca.pk
    assert effects["carers_allowance"].changed
    for claim in (uc, ca):
        told = claim.events.filter(
            kind=EventKind.INFORMATION, reason__contains="You told us about a change"
        )
        notes = claim.events.filter(kind=EventKind.NOTE, visible_to_customer=False)
        assert told.count() == 1
        assert notes.count() == 1
        assert "A decision is needed" in notes.get().reason
        claim.refresh_from_db()
        assert claim.change_to_review_from == happened_on
    report = ChangeReport.objects.get()
    assert {e["code"] for e in report.effects} >= {"universal_credit", "carers_allowance"}


def test_a_change_that_leaves_a_claims_amount_alone_adds_no_caseworker_note(citizen_client, carer):
    claim = sent_claim(carer, "universal_credit")

    preview_then_confirm(citizen_client, "savings", timezone.localdate(), capital="400")

    assert claim.events.filter(kind=EventKind.INFORMATION, reason__contains="change").count() == 1
    assert not claim.events.filter(kind=EventKind.NOTE).exists()


def test_confirming_the_same_change_twice_records_it_once(citizen_client, carer):
    uc, ca = sent_claim(carer, "universal_credit"), sent_claim(carer, "carers_allowance")
    happened_on = timezone.localdate() - timedelta(days=3)
    fields = {"caring_hours": "10"}
    _preview, token, first = preview_then_confirm(citizen_client, "caring", happened_on, **fields)
    counts = traces(carer.customer)

    second = post_change(
        citizen_client, "caring", happened_on, token=token, confirm="yes", **fields
    )
    again = services.confirm_change(
        customer=carer.customer, by=carer, token=token, kind="caring",
        details={"caring_hours": 10}, happened_on=happened_on,
    )  # fmt: skip

    assert second.url == first.url
    assert again.pk == ChangeReport.objects.get().pk
    assert traces(carer.customer) == counts
    assert (
        Fact.objects.filter(customer=carer.customer, kind=FactKind.CARING_HOURS, value=10).count()
        == 1
    )
    for claim in (uc, ca):
        assert claim.events.filter(reason__contains="You told us about a change").count() == 1


def test_the_facts_run_from_the_date_the_change_happened(citizen_client, earner):
    happened_on = timezone.localdate() - timedelta(days=40)

    preview_then_confirm(citizen_client, "earnings", happened_on, monthly_earnings="250.50")

    new = Fact.objects.get(customer=earner.customer, kind=FactKind.MONTHLY_EARNINGS, value="250.50")
    assert (new.effective_from, new.effective_to, new.source) == (happened_on, None, "citizen")
    in_force = account_selectors.fact_values_in_force
    day_before = happened_on - timedelta(days=1)
    assert in_force(customer=earner.customer, on=day_before)[FactKind.MONTHLY_EARNINGS] == 1500
    assert in_force(customer=earner.customer, on=happened_on)[FactKind.MONTHLY_EARNINGS] == "250.50"


def test_a_baby_is_added_to_the_household_and_the_baby_journey_offered(citizen_client, earner):
    born = timezone.localdate() - timedelta(days=2)

    _preview, _token, done = preview_then_confirm(citizen_client, "baby", born, name="Nia")
    page = citizen_client.get(done.url).content.decode()

    child = HouseholdMember.objects.get(customer=earner.customer, relationship="child")
    assert (child.name, child.date_of_birth, child.joined_on) == ("Nia", born, born)
    assert 'href="/journeys/start/having-a-baby/"' in page


def test_a_baby_change_previews_the_child_in_universal_credit(earner):
    effects = services.preview_change(
        customer=earner.customer, kind="baby", details={}, happened_on=timezone.localdate()
    )

    uc = next(e for e in effects if e.code == "universal_credit")
    assert uc.after_result.verdict == Verdict.ELIGIBLE
    assert any(e.code.startswith("uc.child_element") for e in uc.after_result.elements)


def test_a_partner_moving_out_ends_their_membership(citizen_client, citizen):
    worked_household(
        citizen, born=date(1990, 1, 1), facts={**SINGLE_RENTER, FactKind.RELATIONSHIP_STATUS: "couple"},
        partner_born=date(1988, 2, 2),
    )  # fmt: skip
    left = timezone.localdate() - timedelta(days=5)

    preview_then_confirm(citizen_client, "partner_out", left)

    partner = HouseholdMember.objects.get(customer=citizen.customer, relationship="partner")
    assert partner.left_on == left
    status = Fact.objects.filter(
        customer=citizen.customer, kind=FactKind.RELATIONSHIP_STATUS
    ).latest("recorded_at")
    assert (status.value, status.effective_from) == ("single", left)


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda today: dated("happened_on", today + timedelta(days=120)), "within the next 3 months"),
        (lambda today: dated("happened_on", today - timedelta(days=400)), "within the last 12 months"),
        (lambda today: {"happened_on_day": "31", "happened_on_month": "2", "happened_on_year": "2026"},
         "must be a real date"),
        (lambda today: {"happened_on_day": "ab", "happened_on_month": "cd", "happened_on_year": "efgh"},
         "must be a real date"),
    ],
    ids=["too-far-ahead", "more-than-a-year-ago", "31-february", "letters"],
)  # fmt: skip
def test_a_bad_date_is_refused_with_a_linked_error_and_nothing_saved(
    citizen_client, earner, when, message
):
    sent_claim(earner, "universal_credit")
    before = traces(earner.customer)

    response = citizen_client.post(
        "/journeys/report-a-change/earnings/",
        {
            **when(timezone.localdate()),
            "monthly_earnings": "0",
            "confirm": "yes",
            "token": "t" * 32,
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_happened_on' in html
    assert message in html
    assert traces(earner.customer) == before


def test_abandoning_after_the_preview_leaves_no_trace(citizen_client, carer):
    sent_claim(carer, "universal_credit")
    before = traces(carer.customer)

    preview = post_change(citizen_client, "caring", timezone.localdate(), caring_hours="5")
    citizen_client.get("/your-services/")

    assert preview.context["effects"]
    assert traces(carer.customer) == before


def test_confirming_sends_a_notification(citizen_client, earner):
    preview_then_confirm(citizen_client, "savings", timezone.localdate(), capital="2000")

    notification = Notification.objects.get(customer=earner.customer)
    assert notification.title == "We have your change of circumstances"
    assert notification.link == "/journeys/changes/"


def test_the_change_form_needs_a_csrf_token(earner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(earner)
    today = timezone.localdate()

    response = client.post(
        "/journeys/report-a-change/savings/",
        {**dated("happened_on", today), "capital": "10", "confirm": "yes", "token": "x" * 32},
    )

    assert response.status_code == 403
    assert ChangeReport.objects.count() == 0


def test_another_customers_change_is_not_found(citizen_client, other_citizen):
    worked_household(other_citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    report = services.confirm_change(
        customer=other_citizen.customer, by=other_citizen, token="bob-token", kind="savings",
        details={"capital": 10}, happened_on=timezone.localdate(),
    )  # fmt: skip

    assert citizen_client.get(f"/journeys/changes/{report.pk}/").status_code == 404


# --- The plan a change suggests follows the change's direction ----------------------------------

LOSING_JOB = 'href="/journeys/start/losing-job/"'


@pytest.mark.parametrize(
    ("earnings", "offered"), [("0", True), ("900", True), ("1500", False), ("2100", False)]
)
def test_only_earnings_going_down_or_stopping_suggest_the_losing_your_job_plan(
    citizen_client, earner, earnings, offered
):
    happened_on = timezone.localdate() - timedelta(days=3)

    _preview, _token, done = preview_then_confirm(
        citizen_client, "earnings", happened_on, monthly_earnings=earnings
    )
    page = citizen_client.get(done.url).content.decode()

    assert done.status_code == 302
    assert (LOSING_JOB in page) is offered


def test_caring_more_suggests_the_carer_plan_and_caring_less_does_not(citizen_client, carer):
    happened_on = timezone.localdate() - timedelta(days=3)

    _p, _t, more = preview_then_confirm(citizen_client, "caring", happened_on, caring_hours="50")
    more_page = citizen_client.get(more.url).content.decode()
    _p, _t, less = preview_then_confirm(
        citizen_client, "caring", happened_on + timedelta(days=1), caring_hours="10"
    )
    less_page = citizen_client.get(less.url).content.decode()

    assert 'href="/journeys/start/becoming-a-carer/"' in more_page
    assert 'href="/journeys/start/becoming-a-carer/"' not in less_page
