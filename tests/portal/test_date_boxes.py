"""Every date box in the portal: nonsense is a form error, never a server error, and each
question accepts the dates its range declares and not one day more.

The boxes are posted to through the pages people use (the public screener, application
questions, journeys, the profile and household, and the caseworker's request for
information). The screener's and the application's date questions are read from their
question tables, so a new date question is covered without being listed here.
"""

from __future__ import annotations

import html as htmllib
import time
from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

import lib.forms
from accounts import forms as account_forms
from accounts import services as account_services
from benefits.casework import forms as casework_forms
from benefits.casework.forms import REPLY_BY
from benefits.claims.apply.questions import BENEFIT_SECTIONS, sections_for
from benefits.models import InformationRequest
from benefits.screener import questions as screener_questions
from journeys import forms as journey_forms
from journeys.forms import CHANGE_DATES, GOAL_DATES
from journeys.models import Journey
from lib.forms import (
    BIRTH,
    CHANGE,
    DUE_DATE,
    LIFE_EVENT,
    RECENT_PAST,
    DateField,
    DateRange,
    add_months,
)
from tests.benefits.test_apply import answer
from tests.claim_factory import draft_claim, sent_claim
from tests.conftest import PASSWORD, sign_in_with_mfa
from tests.helpers import error_summary, select

pytestmark = pytest.mark.django_db


# What people type (day, month, year), the words of the error, and the box it is about.
NONSENSE = {
    "year-2147483648": (("1", "1", "2147483648"), "must be a real date", 2),
    "year-of-30-nines": (("1", "1", "9" * 30), "must be a real date", 2),
    "negative-year": (("1", "1", "-1"), "must be a real date", 2),
    "year-0000": (("1", "1", "0000"), "must be a real date", 2),
    "underscored-year": (("1", "1", "1_99"), "must be a real date", 2),
    "negative-day": (("-1", "1", "2026"), "must be a real date", 0),
    "huge-day": (("9" * 20, "1", "2026"), "must be a real date", 0),
    "day-0": (("0", "6", "2026"), "must be a real date", 0),
    "31-february": (("31", "2", "2026"), "must be a real date", 0),
    "month-13": (("1", "13", "2026"), "must be a real date", 1),
    "letters": (("ab", "cd", "efgh"), "must be a real date", 0),
    "arabic-indic-digits": (("١", "١", "١٩٩٠"), "must be a real date", 0),
    "no-month": (("1", "", "2026"), "must include a month", 1),
}


def typed(name: str, parts: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), parts, strict=True))


def dated(name: str, day: date) -> dict[str, str]:
    return typed(name, (str(day.day), str(day.month), str(day.year)))


def summary(response) -> list[tuple[str, str]]:
    """The error summary's links: (the id linked to, message)."""
    assert select(response, ".govuk-error-summary"), "no error summary"
    return [
        (href.removeprefix("#"), message)
        for href, message in error_summary(response)
        if href.startswith("#")
    ]


def assert_date_error(response, *, field_id: str, words: str, box: int) -> None:
    """A 200 page whose error summary links the date's error to the box at fault."""
    assert response.status_code == 200
    links = summary(response)
    assert len(links) == 1, links
    anchor, message = links[0]
    assert words in message
    assert anchor == f"{field_id}_{box}"
    assert f'id="{anchor}"' in response.content.decode()


# --- The boxes ------------------------------------------------------------------------------

SCREENER = "/check-what-you-could-get/"


def screener_date_facts() -> list[str]:
    """Every date the screener can ask about, as the fact its question page is named by."""
    facts = [
        f"{role}.{name}"
        for (role, name), q in screener_questions.ADULT_QUESTIONS.items()
        if q.kind == "date"
    ]
    facts += [
        fact for fact, q in screener_questions.HOUSEHOLD_QUESTIONS.items() if q.kind == "date"
    ]
    facts += [
        f"children.0.{name}"
        for name, q in screener_questions.CHILD_QUESTIONS.items()
        if q.kind == "date"
    ]
    return facts  # fmt: skip


def application_date_questions() -> list[tuple[str, str, str]]:
    """(benefit, section, question) for every date an application asks; "About you" once."""
    found = {}
    for code in BENEFIT_SECTIONS:
        for section in sections_for(code):
            for q in section.questions:
                if q.kind == "date":
                    found.setdefault((section.slug, q.slug), code)
    return [(code, section, slug) for (section, slug), code in found.items()]


def test_the_screener_and_applications_have_date_questions_to_try():
    assert {
        "claimant.date_of_birth",
        "children.0.date_of_birth",
        "bereavement.partner_died_on",
    } <= set(screener_date_facts())
    assert ("about-you", "date_of_birth") in {(s, q) for _c, s, q in application_date_questions()}


@pytest.mark.parametrize("fact", screener_date_facts())
def test_the_public_screeners_date_boxes_refuse_nonsense_with_a_linked_error(client, fact):
    client.get(SCREENER)
    session = client.session
    session["screener"] = {
        "answers": {"claimant": {"date_of_birth": "1990-01-01"}, "has_partner": True, "children": [{}]},
        "history": ["claimant.date_of_birth", "has_partner", "children"], "pending": None,
        "updated": time.time(),
    }  # fmt: skip
    session.save()
    url = f"{SCREENER}question/{fact}/"
    assert client.get(url).status_code == 200

    for case, (parts, words, box) in NONSENSE.items():
        response = client.post(url, typed("answer", parts))
        try:
            assert_date_error(response, field_id="id_answer", words=words, box=box)
        except AssertionError as error:
            raise AssertionError(f"{fact}, {case}: {error}") from error
    assert client.session["screener"]["answers"]["claimant"] == {"date_of_birth": "1990-01-01"}


@pytest.mark.parametrize(("code", "section", "slug"), application_date_questions())
def test_application_date_questions_refuse_nonsense_with_a_linked_error(
    citizen_client, citizen, code, section, slug
):
    claim = draft_claim(citizen, code)

    for case, (parts, words, box) in NONSENSE.items():
        response = answer(citizen_client, claim, section, slug, typed("answer", parts))
        try:
            assert_date_error(response, field_id="id_answer", words=words, box=box)
        except AssertionError as error:
            raise AssertionError(f"{slug}, {case}: {error}") from error
    claim.refresh_from_db()
    assert claim.answers == {}


def _personal(client, customer) -> tuple[str, dict]:
    return "/account/profile/about-you/", {
        "legal_given_names": "Ffion",
        "legal_family_name": "Hughes",
    }


def _contact(client, customer) -> tuple[str, dict]:
    # The page asks for the password again first.
    client.post(client.get("/account/profile/contact/")["Location"], {"password": PASSWORD})
    return "/account/profile/contact/", {
        "address_line_1": "1 High Street", "town": "York", "postcode": "YO1 7HH",
    }  # fmt: skip


def _household(client, customer) -> tuple[str, dict]:
    today = timezone.localdate()
    return "/account/household/add/", {
        "relationship": "child", "name": "Ana",
        **dated("date_of_birth", today - timedelta(days=400)), **dated("joined_on", today - timedelta(days=400)),
    }  # fmt: skip


def _member_left(client, customer) -> tuple[str, dict]:
    joined = timezone.localdate() - timedelta(days=400)
    member = account_services.add_household_member(
        customer=customer, by=None, relationship="other", name="Gwen",
        date_of_birth=date(1970, 1, 1), joined_on=joined,
    )  # fmt: skip
    return f"/account/household/{member.pk}/left/", {}


def _life_event(client, customer) -> tuple[str, dict]:
    return "/journeys/start/moving-home/", {}


def _change(client, customer) -> tuple[str, dict]:
    return "/journeys/report-a-change/earnings/", {"monthly_earnings": "900"}


def _partner_moved_in(client, customer) -> tuple[str, dict]:
    return "/journeys/report-a-change/partner_in/", {
        "name": "Sam Hughes", "partner_monthly_earnings": "0", **dated("happened_on", timezone.localdate()),
    }  # fmt: skip


def _goal(client, customer) -> tuple[str, dict]:
    return "/journeys/goals/", {"title": "Back to work", "steps": ""}


CITIZEN_BOXES = {
    "date-of-birth-in-the-profile": (_personal, "date_of_birth"),
    "date-of-a-change-of-address": (_contact, "effective_from"),
    "household-members-date-of-birth": (_household, "date_of_birth"),
    "date-a-household-member-moved-in": (_household, "joined_on"),
    "date-a-household-member-moved-out": (_member_left, "left_on"),
    "date-of-a-life-event": (_life_event, "event_date"),
    "date-of-a-reported-change": (_change, "happened_on"),
    "partners-date-of-birth-in-a-change": (_partner_moved_in, "date_of_birth"),
    "date-of-a-goal": (_goal, "target_date"),
}


@pytest.mark.parametrize("box", CITIZEN_BOXES)
def test_every_citizen_date_box_refuses_nonsense_with_a_linked_error(citizen_client, citizen, box):
    setup, name = CITIZEN_BOXES[box]
    url, other_fields = setup(citizen_client, citizen.customer)
    journeys = Journey.objects.count()

    for case, (parts, words, part) in NONSENSE.items():
        response = citizen_client.post(url, {**other_fields, **typed(name, parts)})
        try:
            assert_date_error(response, field_id=f"id_{name}", words=words, box=part)
        except AssertionError as error:
            raise AssertionError(f"{box}, {case}: {error}") from error
    assert Journey.objects.count() == journeys


def test_the_caseworkers_reply_by_date_refuses_nonsense_and_asks_nothing(
    client, caseworker, citizen
):
    sign_in_with_mfa(client, caseworker)
    claim = sent_claim(citizen)
    url = f"/admin/benefits/claim/{claim.pk}/act/request-information/"

    for case, (parts, words, _box) in NONSENSE.items():
        response = client.post(
            url, {"request-information-what": "Your payslips", **typed("request-information-due_on", parts)},
            follow=True,
        )  # fmt: skip
        assert response.status_code == 200, case
        assert f"Reply by: The reply-by date {words}" in htmllib.unescape(
            response.content.decode()
        ), case
    assert not InformationRequest.objects.filter(claim=claim).exists()


FORM_MODULES = (account_forms, journey_forms, casework_forms, lib.forms)
COVERED = {
    ("PersonalDetailsForm", "date_of_birth"), ("ContactDetailsForm", "effective_from"),
    ("HouseholdMemberForm", "date_of_birth"), ("HouseholdMemberForm", "joined_on"),
    ("MemberLeftForm", "left_on"), ("ChangeForm", "happened_on"), ("GoalForm", "target_date"),
    ("RequestInformationForm", "due_on"),
}  # fmt: skip


def test_every_declared_date_field_is_the_portals_and_is_tried_above():
    declared = set()
    for module in FORM_MODULES:
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                for name, field in getattr(form, "base_fields", {}).items():
                    assert not isinstance(field, forms.DateField), f"{form.__name__}.{name}"
                    if isinstance(field, DateField):
                        declared.add((form.__name__, name))
    assert declared == COVERED


# --- Ranges, at their edges, on a fixed today --------------------------------------------------

TODAY = date(2026, 5, 31)  # a month's last day: three months back is 28 February


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(lib.forms, "today", lambda: TODAY)
    return TODAY


def a_date(dates: DateRange, day: date):
    form = forms.Form(data=dated("when", day))
    form.fields["when"] = DateField(label="The date", dates=dates)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("dates", "earliest", "latest"),
    [
        (BIRTH, date(1896, 5, 31), TODAY),
        (LIFE_EVENT, date(2026, 2, 28), date(2027, 2, 28)),
        (CHANGE, date(2025, 5, 31), TODAY),
        (CHANGE_DATES, date(2025, 5, 31), date(2026, 8, 31)),
        (DUE_DATE, date(2025, 5, 31), date(2027, 3, 31)),
        (RECENT_PAST, date(2016, 5, 31), TODAY),
        (screener_questions.UNDER_20, date(2006, 6, 1), TODAY),
        (REPLY_BY, TODAY, date(2026, 8, 31)),
        (GOAL_DATES, TODAY, date(2036, 5, 31)),
    ],
    ids=["birth-130-years", "life-event-3-and-9-months", "change-12-months", "reported-change",
         "due-date", "recent-past-10-years", "child-under-20", "reply-by-3-months", "goal-10-years"],
)  # fmt: skip
def test_a_range_accepts_its_first_and_last_day_and_refuses_the_days_beyond(
    fixed_today, dates, earliest, latest
):
    assert a_date(dates, earliest).is_valid()
    assert a_date(dates, latest).is_valid()
    assert (
        a_date(dates, earliest - timedelta(days=1)).errors.as_data()["when"][0].code == "too_early"
    )
    assert a_date(dates, latest + timedelta(days=1)).errors.as_data()["when"][0].code == "too_late"


def test_130_years_back_from_29_february_is_28_february(monkeypatch):
    monkeypatch.setattr(lib.forms, "today", lambda: date(2028, 2, 29))

    assert add_months(date(2028, 2, 29), -130 * 12) == date(1898, 2, 28)
    assert a_date(BIRTH, date(1898, 2, 28)).is_valid()
    assert not a_date(BIRTH, date(1898, 2, 27)).is_valid()


@pytest.mark.parametrize(
    ("born", "ok", "message"),
    [
        (date(1896, 5, 31), True, ""),
        (date(1896, 5, 30), False, "Date of birth must be after 30 May 1896"),
        (TODAY, True, ""),
        (TODAY + timedelta(days=1), False, "Date of birth must be today or in the past"),
    ],
    ids=["130-years-ago", "a-day-more", "today", "tomorrow"],
)
def test_a_date_of_birth_is_within_130_years_and_not_in_the_future(
    citizen_client, fixed_today, born, ok, message
):
    response = citizen_client.post(
        "/account/profile/about-you/",
        {
            "legal_given_names": "Ffion",
            "legal_family_name": "Hughes",
            **dated("date_of_birth", born),
        },
    )

    if ok:
        assert response.status_code == 302
    else:
        assert summary(response) == [("id_date_of_birth_0", message)]


@pytest.mark.parametrize(
    ("when", "ok", "message"),
    [
        (date(2026, 2, 28), True, ""),
        (date(2026, 2, 27), False, "The date must be after 27 February 2026"),
        (date(2027, 2, 28), True, ""),
        (date(2027, 3, 1), False, "The date must be before 1 March 2027"),
        (date(1990, 1, 1), False, "The date must be after 27 February 2026"),
    ],
    ids=["3-months-ago", "a-day-more", "9-months-ahead", "a-day-more-ahead", "1-january-1990"],
)
def test_a_life_event_is_within_the_last_3_months_or_the_next_9(
    citizen_client, citizen, fixed_today, when, ok, message
):
    response = citizen_client.post("/journeys/start/moving-home/", dated("event_date", when))

    if ok:
        journey = Journey.objects.get(customer=citizen.customer)
        assert response.status_code == 302
        assert journey.event_date == when
    else:
        assert summary(response) == [("id_event_date_0", message)]
        assert not Journey.objects.exists()
