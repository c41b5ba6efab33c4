"""Journeys: each life event's plan for a worked household, the one to-do list, and who may
see what. Plans are worked out by the real rules on facts recorded through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Fact, FactKind
from benefits.assessment import assess_household, household_for_customer
from benefits.models import Benefit
from benefits.rules.base import Verdict
from journeys import services
from journeys.models import Activity, GoalStep, Journey, JourneyStatus, LifeEvent, Task
from tests.claim_factory import claim_with_request
from tests.helpers import error_summary

pytestmark = pytest.mark.django_db

# A single renter earning £600 a month, fit for work, not caring, with a little saved.
SINGLE_RENTER = {
    FactKind.RELATIONSHIP_STATUS: "single", FactKind.MONTHLY_EARNINGS: 600, FactKind.CAPITAL: 300,
    FactKind.HOUSING: "rent_private", FactKind.LIMITED_CAPABILITY_FOR_WORK: False,
    FactKind.CARING_HOURS: 0,
}  # fmt: skip
SINCE = date(2024, 1, 1)


def worked_household(user, *, born: date, facts: dict, partner_born: date | None = None):
    customer = user.customer
    accounts_services.update_personal_details(
        customer=customer, by=user, legal_given_names="Ffion", legal_family_name="Hughes",
        preferred_name="", date_of_birth=born, ni_number="",
    )  # fmt: skip
    for kind, value in facts.items():
        accounts_services.record_fact(
            customer=customer, kind=kind, value=value, effective_from=SINCE, by=user
        )
    if partner_born:
        accounts_services.add_household_member(
            customer=customer, by=user, relationship="partner", name="Sam Hughes",
            date_of_birth=partner_born, joined_on=SINCE,
        )  # fmt: skip
    return customer


def start(user, code: str, on: date, answers: dict | None = None) -> Journey:
    return services.start_journey(
        customer=user.customer, event=LifeEvent.objects.get(code=code), event_date=on,
        answers=answers or {}, by=user,
    )  # fmt: skip


def today_without_event(customer, code: str):
    """The same household's result today, without the event."""
    household = household_for_customer(customer=customer, on=timezone.localdate())
    return {
        r.benefit: r for r in assess_household(household=household, on=timezone.localdate()).results
    }[code]


def benefits_of(plan) -> dict:
    return {b["benefit"].code: b for b in plan.benefits}


def assert_plan_follows_the_content(plan, journey: Journey) -> None:
    """Every task of the event with its due date from the event's date; the benefits it
    lists, with apply links for online benefits; its partner services."""
    event = journey.life_event
    due = {t.key: (t.title, t.due_on) for t in plan.tasks}
    assert due == {
        t["key"]: (t["title"], journey.event_date + timedelta(days=t["due_days"]))
        for t in event.tasks
    }
    assert [b["benefit"].code for b in plan.benefits] == event.benefits_to_check
    for b in plan.benefits:
        online = b["benefit"].open_for_online_claims
        assert b["apply"] == (
            reverse("claims:apply_start", args=[b["benefit"].code]) if online else ""
        )
    assert plan.partner_services == event.partner_services
    assert plan.done == 0
    assert plan.progress == 0


# --- Each life event, for a household it fits ----------------------------------------------


def test_losing_a_job_plans_universal_credit_on_no_earnings(citizen):
    customer = worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    ended = timezone.localdate() - timedelta(days=3)

    journey = start(citizen, "losing-job", ended, {"capital": 300.0})
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    titles = {t.title: t.due_on for t in plan.tasks}
    assert titles["Claim Universal Credit"] == ended
    assert titles["Get your P45 from your employer"] == ended + timedelta(days=14)
    uc = benefits_of(plan)["universal_credit"]
    working = today_without_event(customer, "universal_credit")
    assert uc["result"].verdict == Verdict.ELIGIBLE
    assert uc["could_get"]
    assert uc["result"].amount > working.amount  # no earnings taken off any more
    assert uc["apply"] == "/claims/apply/universal_credit/"
    assert "Acas" in [p["organisation"] for p in plan.partner_services]


def test_having_a_baby_adds_a_child_element_and_child_benefit(citizen):
    customer = worked_household(citizen, born=date(1995, 3, 2), facts=SINGLE_RENTER)
    born = timezone.localdate() - timedelta(days=3)

    journey = start(citizen, "having-a-baby", born)
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    register = next(t for t in plan.tasks if t.title == "Register the birth")
    assert register.due_on == born + timedelta(days=42)
    claim_cb = next(t for t in plan.tasks if t.title == "Claim Child Benefit")
    assert claim_cb.due_on == born + timedelta(days=89)
    found = benefits_of(plan)
    uc = found["universal_credit"]["result"]
    assert uc.verdict == Verdict.ELIGIBLE
    assert uc.amount > today_without_event(customer, "universal_credit").amount
    assert any(e.code.startswith("uc.child_element") and e.amount > 0 for e in uc.elements)
    assert found["child_benefit"]["result"].verdict == Verdict.ELIGIBLE
    assert found["child_benefit"]["result"].amount > 0
    assert found["child_benefit"]["apply"] == ""  # not claimed online here
    assert "Maternity Action" in [p["organisation"] for p in plan.partner_services]


def test_a_baby_already_recorded_is_not_counted_twice(citizen):
    customer = worked_household(citizen, born=date(1995, 3, 2), facts=SINGLE_RENTER)
    born = timezone.localdate() - timedelta(days=3)
    accounts_services.add_household_member(
        customer=customer, by=citizen, relationship="child", name="Nia", date_of_birth=born,
        joined_on=born,
    )  # fmt: skip
    recorded = today_without_event(customer, "child_benefit")

    plan = services.plan_for(start(citizen, "having-a-baby", born))

    assert benefits_of(plan)["child_benefit"]["result"].amount == recorded.amount


def test_becoming_a_carer_for_40_hours_on_low_earnings_plans_carers_allowance(citizen):
    worked_household(
        citizen, born=date(1990, 1, 1),
        facts={**SINGLE_RENTER, FactKind.MONTHLY_EARNINGS: 200,
               FactKind.CARED_FOR_GETS_DISABILITY_BENEFIT: True},
    )  # fmt: skip
    started = timezone.localdate() - timedelta(days=10)

    # The rules' own household paths, as the service takes them: the journey's questions
    # cannot ask for weekly earnings or full-time education (see the report).
    journey = start(citizen, "becoming-a-carer", started, {
        "claimant.caring_hours": 40, "claimant.weekly_earnings_for_carers": 46,
        "claimant.in_full_time_education": False,
    })  # fmt: skip
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    task = next(t for t in plan.tasks if t.key == "claim-carers-allowance")
    assert task.due_on == started + timedelta(days=89)
    ca = benefits_of(plan)["carers_allowance"]
    assert ca["result"].verdict == Verdict.ELIGIBLE
    assert ca["result"].amount > 0
    assert ca["apply"] == "/claims/apply/carers_allowance/"
    # The caring hours answered are now a fact, from the day caring started.
    fact = Fact.objects.get(customer=citizen.customer, kind=FactKind.CARING_HOURS, value=40)
    assert fact.effective_from == started


def test_illness_that_stops_work_adds_the_lcwra_element(citizen):
    customer = worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    fit_for_work = today_without_event(customer, "universal_credit")
    since = timezone.localdate() - timedelta(days=20)

    # The question is "does it stop you working"; whether a claim was made before April 2026
    # is a household path the journey cannot ask (see the report), so it is given here.
    journey = start(citizen, "illness-or-disability", since, {
        "claimant.lcwra": True, "claimant.lcwra_claim_before_2026": True,
    })  # fmt: skip
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    uc = benefits_of(plan)["universal_credit"]["result"]
    assert uc.verdict == Verdict.ELIGIBLE
    assert uc.amount > fit_for_work.amount
    assert any(e.code == "uc.lcwra_element" and e.amount > 0 for e in uc.elements)


def test_retiring_at_state_pension_age_plans_the_state_pension(citizen):
    worked_household(
        citizen, born=date(1958, 1, 1),
        facts={**SINGLE_RENTER, FactKind.NI_QUALIFYING_YEARS: 35},
    )  # fmt: skip
    stopped = timezone.localdate() - timedelta(days=3)

    journey = start(citizen, "retiring", stopped)
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    pension = benefits_of(plan)["state_pension"]
    assert pension["result"].verdict == Verdict.ELIGIBLE
    assert pension["result"].amount > 0
    assert "Age UK" in [p["organisation"] for p in plan.partner_services]


def test_retiring_before_state_pension_age_gets_no_state_pension_yet(citizen):
    worked_household(
        citizen, born=date(1980, 1, 1), facts={**SINGLE_RENTER, FactKind.NI_QUALIFYING_YEARS: 35}
    )

    plan = services.plan_for(start(citizen, "retiring", timezone.localdate()))

    assert benefits_of(plan)["state_pension"]["result"].verdict == Verdict.NOT_ELIGIBLE


def test_bereavement_of_a_married_partner_plans_bereavement_support_payment(citizen):
    worked_household(
        citizen, born=date(1980, 1, 1),
        facts={**SINGLE_RENTER, FactKind.RELATIONSHIP_STATUS: "couple"}, partner_born=date(1979, 5, 5),
    )  # fmt: skip
    died = timezone.localdate() - timedelta(days=4)

    journey = start(
        citizen, "bereavement", died,
        {"bereavement.was_married_or_civil_partners": True,
         "bereavement.partner_paid_ni_or_industrial_cause": True},
    )  # fmt: skip
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    register = next(t for t in plan.tasks if t.key == "register-death")
    assert register.due_on == died + timedelta(days=5)
    bsp = benefits_of(plan)["bereavement_support"]
    assert bsp["result"].verdict == Verdict.ELIGIBLE
    assert bsp["result"].amount > 0
    assert bsp["apply"] == "/claims/apply/bereavement_support/"
    assert "Cruse Bereavement Support" in [p["organisation"] for p in plan.partner_services]
    fact = Fact.objects.get(customer=citizen.customer, kind=FactKind.BEREAVEMENT_DATE)
    assert (fact.value, fact.effective_from) == (died.isoformat(), died)


def test_moving_home_plans_who_to_tell(citizen):
    customer = worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    moving = timezone.localdate() + timedelta(days=20)

    journey = start(citizen, "moving-home", moving)
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    assert plan.on == moving  # worked out for the day of the move
    assert next(t for t in plan.tasks if t.key == "driving-licence").due_on == moving + timedelta(
        days=7
    )
    uc = benefits_of(plan)["universal_credit"]["result"]
    assert uc.amount == today_without_event(customer, "universal_credit").amount
    assert "Shelter" in [p["organisation"] for p in plan.partner_services]


def test_separating_from_a_working_partner_plans_universal_credit_alone(citizen):
    customer = worked_household(
        citizen, born=date(1990, 1, 1),
        facts={**SINGLE_RENTER, FactKind.RELATIONSHIP_STATUS: "couple",
               FactKind.PARTNER_MONTHLY_EARNINGS: 2500},
        partner_born=date(1989, 1, 1),
    )  # fmt: skip
    as_a_couple = today_without_event(customer, "universal_credit")
    separated = timezone.localdate() - timedelta(days=7)

    journey = start(citizen, "separating", separated)
    plan = services.plan_for(journey)

    assert_plan_follows_the_content(plan, journey)
    # As a couple the rules cannot say without the partner's health and caring.
    assert as_a_couple.verdict != Verdict.ELIGIBLE
    uc = benefits_of(plan)["universal_credit"]
    assert uc["result"].verdict == Verdict.ELIGIBLE
    assert uc["could_get"]
    assert "Gingerbread" in [p["organisation"] for p in plan.partner_services]


def test_the_plan_page_shows_benefits_tasks_and_apply_links(citizen_client, citizen):
    worked_household(citizen, born=date(1995, 3, 2), facts=SINGLE_RENTER)
    journey = start(citizen, "having-a-baby", timezone.localdate() - timedelta(days=3))

    html = citizen_client.get(f"/journeys/{journey.pk}/").content.decode()

    assert "Register the birth" in html
    assert 'href="/claims/apply/universal_credit/"' in html
    assert "Maternity Action" in html


# --- The plan follows the circumstances ------------------------------------------------------


def test_the_plan_recalculates_when_circumstances_change(citizen):
    customer = worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())
    before = benefits_of(services.plan_for(journey))["universal_credit"]["result"].amount

    accounts_services.record_fact(
        customer=customer, kind=FactKind.MONTHLY_EARNINGS, value=300,
        effective_from=timezone.localdate(), by=citizen,
    )  # fmt: skip
    after = benefits_of(services.plan_for(journey))["universal_credit"]["result"].amount

    assert after > before
    assert after - before == Decimal("165.00")  # 55% of the £300 less earned


# --- One open journey per person and event ------------------------------------------------------


def test_starting_the_same_event_again_goes_to_the_open_plan(citizen_client, citizen):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())

    with pytest.raises(services.JourneyExists) as exc:
        start(citizen, "moving-home", timezone.localdate() + timedelta(days=3))
    again = citizen_client.get("/journeys/start/moving-home/")

    assert exc.value.journey == journey
    assert again.status_code == 302
    assert again.url == f"/journeys/{journey.pk}/"
    assert Journey.objects.filter(customer=citizen.customer).count() == 1
    assert Task.objects.filter(customer=citizen.customer).count() == len(journey.life_event.tasks)


def test_a_finished_plan_allows_a_new_one(citizen_client, citizen):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())
    citizen_client.post(f"/journeys/{journey.pk}/", {"status": "finished"})
    today = timezone.localdate()

    response = citizen_client.post("/journeys/start/moving-home/", {
        "event_date_day": today.day, "event_date_month": today.month, "event_date_year": today.year,
    })  # fmt: skip

    new = Journey.objects.exclude(pk=journey.pk).get(customer=citizen.customer)
    assert response.status_code == 302
    assert response.url == f"/journeys/{new.pk}/"
    assert new.status == JourneyStatus.ACTIVE


def test_pause_resume_and_finish_a_plan(citizen_client, citizen):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())
    url = f"/journeys/{journey.pk}/"

    seen = []
    for status in ("paused", "active", "finished"):
        response = citizen_client.post(url, {"status": status})
        assert response.status_code == 302
        assert response.url == url
        journey.refresh_from_db()
        seen.append(journey.status)
    citizen_client.post(url, {"status": "nonsense"})
    journey.refresh_from_db()

    assert seen == ["paused", "active", "finished"]
    assert journey.status == "finished"


# --- The to-do list ---------------------------------------------------------------------------


def test_the_to_do_list_merges_plans_goals_and_claims_by_due_date(
    citizen_client, citizen, caseworker
):
    worked_household(citizen, born=date(1995, 3, 2), facts=SINGLE_RENTER)
    today = timezone.localdate()
    start(citizen, "having-a-baby", today - timedelta(days=50))  # some tasks overdue
    services.create_goal(
        customer=citizen.customer, title="Back to work", target_date=today + timedelta(days=20),
        steps=["Update my CV", ""], by=citizen,
    )  # fmt: skip
    claim, info = claim_with_request(citizen, caseworker)

    items = services.todo_for(citizen.customer)
    html = citizen_client.get("/journeys/to-do/").content.decode()

    dues = [i.due_on for i in items]
    assert dues == sorted(dues)
    sources = {i.source for i in items}
    assert {"Your plan", "Your goal", "Your claim"} <= sources
    register = next(i for i in items if i.title == "Register the birth")
    assert register.overdue is True  # 42 days after a birth 50 days ago
    assert all(i.overdue == (i.due_on < today) for i in items)
    reply = next(i for i in items if i.source == "Your claim")
    assert reply.due_on == info.due_on
    assert not reply.overdue
    assert reply.action == reverse("claims:answer_request", args=[claim.pk, info.pk])
    assert [i.title for i in items if i.source == "Your goal"] == ["Update my CV"]
    assert "Overdue" in html
    assert "Update my CV" in html
    assert reply.action in html


def test_marking_a_task_done_takes_it_off_the_list(citizen_client, citizen):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())
    task = journey.tasks.get(key="register-to-vote")

    response = citizen_client.post(f"/journeys/tasks/{task.pk}/done/")

    assert response.status_code == 302
    assert response.url == "/journeys/to-do/"
    assert task.title not in [i.title for i in services.todo_for(citizen.customer)]
    assert services.plan_for(journey).done == 1


def test_marking_a_goal_step_done_marks_the_step_done(citizen_client, citizen):
    goal = services.create_goal(
        customer=citizen.customer,
        title="Save",
        target_date=None,
        steps=["Open an account"],
        by=citizen,
    )
    step = goal.steps.get()

    citizen_client.post(f"/journeys/tasks/{step.task.pk}/done/", {"next": "/journeys/goals/"})

    assert GoalStep.objects.get(pk=step.pk).done_at is not None
    assert services.todo_for(citizen.customer) == []


def test_a_goal_step_longer_than_a_step_can_be_is_refused_with_an_error(citizen_client, citizen):
    """Each line becomes a step on the to-do list: one over 200 characters was a server
    error (the step's column), found by the hostile-input fuzzing."""
    response = citizen_client.post(
        "/journeys/goals/", {"title": "Back to work", "steps": "Update my CV\n" + "y" * 201}
    )

    assert response.status_code == 200
    assert error_summary(response) == [
        ("#id_steps", "Each step must be 200 characters or fewer: step 2 is longer")
    ]
    assert not GoalStep.objects.exists()


# --- Another customer's ids -------------------------------------------------------------------


def test_another_customers_journey_and_task_are_not_found(citizen_client, citizen, other_citizen):
    worked_household(other_citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    theirs = start(other_citizen, "moving-home", timezone.localdate())
    task = theirs.tasks.first()

    responses = [
        citizen_client.get(f"/journeys/{theirs.pk}/"),
        citizen_client.post(f"/journeys/{theirs.pk}/", {"status": "finished"}),
        citizen_client.get(f"/journeys/tasks/{task.pk}/done/"),
        citizen_client.post(f"/journeys/tasks/{task.pk}/done/"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 405, 404]
    theirs.refresh_from_db()
    task.refresh_from_db()
    assert theirs.status == JourneyStatus.ACTIVE
    assert task.done_at is None


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session, the rates and the catalogue
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_plan_page_takes_the_same_queries_for_1_or_30_tasks(
    citizen_client, citizen, django_assert_max_num_queries
):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    base = LifeEvent.objects.get(code="moving-home")

    def event_with(count: int) -> LifeEvent:
        # Content staff could write in the admin: the same event with more tasks.
        return LifeEvent.objects.create(
            code=f"moving-{count}", name=base.name, summary=base.summary,
            date_question=base.date_question, benefits_to_check=base.benefits_to_check,
            partner_services=base.partner_services,
            tasks=[{"key": f"t{i}", "title": f"Task {i}", "help": "Do it.", "due_days": i}
                   for i in range(count)],
        )  # fmt: skip

    counts = []
    for count in (1, 30):
        journey = services.start_journey(
            customer=citizen.customer, event=event_with(count), event_date=timezone.localdate(),
            answers={}, by=citizen,
        )  # fmt: skip
        counts.append(_queries(citizen_client, f"/journeys/{journey.pk}/"))
    with django_assert_max_num_queries(20):
        citizen_client.get(f"/journeys/{journey.pk}/")

    assert counts[0] == counts[1]


def test_the_to_do_list_takes_the_same_queries_for_1_or_5_journeys(
    citizen_client, citizen, django_assert_max_num_queries
):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    today = timezone.localdate()
    start(citizen, "moving-home", today)
    one = _queries(citizen_client, "/journeys/to-do/")
    for code in ("losing-job", "becoming-a-carer", "illness-or-disability", "separating"):
        start(citizen, code, today)
    services.create_goal(
        customer=citizen.customer, title="Goal", target_date=None, steps=["A", "B"], by=citizen
    )
    assert Task.objects.filter(customer=citizen.customer, done_at__isnull=True).count() >= 30

    five = _queries(citizen_client, "/journeys/to-do/")
    with django_assert_max_num_queries(12):
        citizen_client.get("/journeys/to-do/")

    assert one == five


def test_the_benefits_each_event_lists_are_in_the_catalogue():
    codes = {c for e in LifeEvent.objects.all() for c in e.benefits_to_check}

    assert codes <= set(Benefit.objects.values_list("code", flat=True))


# --- Who changed what ---------------------------------------------------------------------------


def test_every_change_to_plans_tasks_goals_and_circumstances_records_who_made_it(
    citizen_client, citizen
):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())
    task = journey.tasks.get(key="register-to-vote")

    citizen_client.post(f"/journeys/{journey.pk}/", {"status": "paused"})
    citizen_client.post(f"/journeys/tasks/{task.pk}/done/")
    citizen_client.post(f"/journeys/tasks/{task.pk}/done/", {"done": "0"})
    goal = services.create_goal(
        customer=citizen.customer, title="Save", target_date=None, steps=[], by=None
    )
    report = services.confirm_change(
        customer=citizen.customer, by=citizen, token="t-1", kind="savings",
        details={"capital": "1200.50"}, happened_on=timezone.localdate(),
    )  # fmt: skip

    rows = Activity.objects.filter(customer=citizen.customer).order_by("pk")
    K = Activity.Kind
    assert [(r.kind, r.by, r.journey_id, r.task_id, r.goal_id, r.change_report_id) for r in rows] == [
        (K.JOURNEY_STARTED, citizen, journey.pk, None, None, None),
        (K.JOURNEY_STATUS, citizen, journey.pk, None, None, None),
        (K.TASK_DONE, citizen, None, task.pk, None, None),
        (K.TASK_NOT_DONE, citizen, None, task.pk, None, None),
        (K.GOAL_SET, None, None, None, goal.pk, None),  # None: the system
        (K.CHANGE_REPORTED, citizen, None, None, None, report.pk),
    ]  # fmt: skip
    assert rows[1].detail == "paused"


def test_a_tampered_plan_status_or_task_form_is_a_bad_request_and_changes_nothing(
    citizen_client, citizen
):
    worked_household(citizen, born=date(1990, 1, 1), facts=SINGLE_RENTER)
    journey = start(citizen, "moving-home", timezone.localdate())
    task = journey.tasks.get(key="register-to-vote")

    plan = f"/journeys/{journey.pk}/"
    assert citizen_client.post(plan, {"status": "nonsense"}).status_code == 400
    assert citizen_client.post(plan, {}).status_code == 400
    done = f"/journeys/tasks/{task.pk}/done/"
    assert citizen_client.post(done, {"done": "yes please"}).status_code == 400

    journey.refresh_from_db()
    task.refresh_from_db()
    assert journey.status == JourneyStatus.ACTIVE
    assert task.done_at is None
    assert not Activity.objects.exclude(kind=Activity.Kind.JOURNEY_STARTED).exists()
    # A "next" page outside the journeys goes back to the to-do list instead.
    response = citizen_client.post(done, {"next": "https://example.com/journeys/"})
    assert response.status_code == 302
    assert response.url == "/journeys/to-do/"
