"""The life events the data migration loads, and the staff admin for journeys."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from accounts.models import FactKind
from benefits.models import Benefit
from journeys.admin import QUESTION_KINDS, QUESTION_PATHS, LifeEventForm
from journeys.models import ChangeReport, LifeEvent

pytestmark = pytest.mark.django_db

MIGRATION = import_module("journeys.migrations.0002_life_events")
CODES = [
    "losing-job", "having-a-baby", "becoming-a-carer", "illness-or-disability", "retiring",
    "bereavement", "moving-home", "separating",
]  # fmt: skip
# The fact each household path records, so a journey's answer reaches the person's facts.
PATH_FACTS = {
    "claimant.monthly_earnings": FactKind.MONTHLY_EARNINGS,
    "partner.monthly_earnings": FactKind.PARTNER_MONTHLY_EARNINGS,
    "claimant.caring_hours": FactKind.CARING_HOURS,
    "claimant.lcwra": FactKind.LIMITED_CAPABILITY_FOR_WORK,
    "capital": FactKind.CAPITAL,
    "has_partner": FactKind.RELATIONSHIP_STATUS,
}


@pytest.fixture
def events():
    # Run the migration's own function: a transactional test elsewhere may have emptied
    # the table, and running it again must be harmless anyway.
    MIGRATION.forwards(apps, None)
    return list(LifeEvent.objects.all())


def test_the_migration_loads_eight_active_events_in_display_order(events):
    assert [e.code for e in events] == CODES
    assert all(e.active for e in events)
    assert LifeEvent.objects.filter(code__in=CODES).count() == 8


def test_running_the_migration_twice_leaves_eight_events(events):
    MIGRATION.forwards(apps, None)

    assert LifeEvent.objects.count() == 8


def test_reversing_the_migration_removes_its_events(events):
    MIGRATION.backwards(apps, None)

    assert not LifeEvent.objects.filter(code__in=CODES).exists()


def test_every_benefit_to_check_is_in_the_catalogue(events):
    catalogue = set(Benefit.objects.values_list("code", flat=True))
    for event in events:
        assert event.benefits_to_check, event.code
        assert set(event.benefits_to_check) <= catalogue, event.code


def test_every_task_has_a_unique_key_a_title_help_and_whole_days(events):
    for event in events:
        keys = [t["key"] for t in event.tasks]
        assert event.tasks, event.code
        assert len(keys) == len(set(keys)), event.code
        for task in event.tasks:
            assert task["title"], task
            assert task["help"].endswith("."), task
            assert type(task["due_days"]) is int, task


def test_every_task_link_is_https(events):
    for event in events:
        for task in event.tasks:
            assert task["link"] == "" or task["link"].startswith("https://"), task


def test_questions_are_few_known_kinds_on_known_paths(events):
    for event in events:
        assert 1 <= len(event.questions) <= 3, event.code
        slugs = [q["slug"] for q in event.questions]
        assert len(slugs) == len(set(slugs)), event.code
        for q in event.questions:
            assert q["kind"] in QUESTION_KINDS, q
            assert q["path"] in QUESTION_PATHS, q
            assert q["text"].endswith("?"), q
            assert q["hint"].endswith("."), q


def test_every_fact_updated_is_a_fact_kind(events):
    for event in events:
        assert set(event.updates_facts) <= set(FactKind.values), event.code


def test_an_answer_on_a_household_path_updates_its_fact(events):
    for event in events:
        for q in event.questions:
            if q["path"] in PATH_FACTS:
                assert PATH_FACTS[q["path"]] in event.updates_facts, (event.code, q["path"])


def test_every_partner_service_names_what_it_helps_with_and_how_to_reach_it(events):
    for event in events:
        assert event.partner_services, event.code
        for service in event.partner_services:
            assert service["organisation"], service
            assert service["contact"], service
            assert service["helps_with"].endswith("."), service


def test_the_date_questions_and_summaries_are_whole_sentences(events):
    for event in events:
        assert event.date_question.endswith("?"), event.code
        assert event.summary.endswith("."), event.code


def test_the_deadlines_follow_the_published_rules(events):
    due = {e.code: {t["key"]: t["due_days"] for t in e.tasks} for e in events}

    assert due["having-a-baby"]["register-birth"] == 42
    assert due["having-a-baby"]["claim-child-benefit"] <= 89  # backdated up to 3 months
    assert -98 <= due["having-a-baby"]["claim-maternity-allowance"] < -77  # 26 weeks pregnant
    assert due["bereavement"]["register-death"] == 5
    assert due["bereavement"]["claim-bereavement-support"] <= 89
    assert due["becoming-a-carer"]["claim-carers-allowance"] <= 89
    assert -122 <= due["retiring"]["claim-state-pension"] < 0  # up to 4 months before
    assert due["losing-job"]["claim-universal-credit"] == 0  # not usually backdated


# The admin form: staff edit the JSON, the form keeps it in the shapes the pages read.


def _form_data(event: LifeEvent, **changes) -> dict:
    import json

    data = {
        field: getattr(event, field)
        for field in ("code", "name", "summary", "date_question", "display_order", "active")
    }
    for field in ("questions", "benefits_to_check", "tasks", "partner_services", "updates_facts"):
        data[field] = json.dumps(changes.get(field, getattr(event, field)))
    return data


def test_the_admin_form_accepts_the_migrations_content(events):
    for event in events:
        form = LifeEventForm(_form_data(event), instance=event)
        assert form.is_valid(), (event.code, form.errors)


@pytest.mark.parametrize(
    ("field", "change", "code"),
    [
        ("tasks", lambda tasks: [*tasks, dict(tasks[0])], "duplicate_key"),
        ("tasks", lambda tasks: [{**tasks[0], "link": "http://www.gov.uk"}], "link_not_https"),
        ("tasks", lambda tasks: [{**tasks[0], "due_days": "soon"}], "due_days_not_a_number"),
        ("questions", lambda qs: [{**qs[0], "kind": "text"}], "unknown_kind"),
        ("questions", lambda qs: [{**qs[0], "path": "claimant.shoe_size"}], "unknown_path"),
        ("updates_facts", lambda facts: ["shoe_size"], "unknown_fact"),
        ("benefits_to_check", lambda codes: ["winter_fuel"], "unknown_benefit"),
        ("partner_services", lambda services: [{"organisation": "Shelter"}], None),
    ],
)
def test_the_admin_form_refuses_content_the_pages_cannot_use(events, field, change, code):
    event = LifeEvent.objects.get(code="having-a-baby")
    valid = LifeEventForm(_form_data(event), instance=event)
    form = LifeEventForm(
        _form_data(event, **{field: change(getattr(event, field))}), instance=event
    )

    assert valid.is_valid()
    assert not form.is_valid()
    assert code is None or form.has_error(field, code)


# The admin pages.


def test_operator_sees_and_searches_the_life_events(operator_client, events):
    listing = operator_client.get("/admin/journeys/lifeevent/", {"q": "carer"})
    page = operator_client.get(f"/admin/journeys/lifeevent/{events[0].pk}/change/")

    assert listing.status_code == 200
    assert "Becoming a carer" in listing.content.decode()
    assert page.status_code == 200


@pytest.mark.parametrize("model", ["journey", "task", "goal", "changereport"])
def test_customers_records_cannot_be_added_in_the_admin(operator_client, model):
    assert operator_client.get(f"/admin/journeys/{model}/").status_code == 200
    assert operator_client.get(f"/admin/journeys/{model}/add/").status_code == 403


def test_a_confirmed_change_cannot_be_edited_or_deleted(operator_client, citizen):
    # A stored record is all this needs; confirming one is tested with the services.
    report = ChangeReport.objects.create(
        customer=citizen.customer, token="t-1", kind="address", happened_on=date(2026, 5, 1),
        details={}, effects=[],
    )  # fmt: skip
    url = f"/admin/journeys/changereport/{report.pk}/"

    page = operator_client.get(url + "change/")
    deleting = operator_client.post(url + "delete/", {"post": "yes"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert deleting.status_code == 403
    assert ChangeReport.objects.filter(pk=report.pk).exists()
