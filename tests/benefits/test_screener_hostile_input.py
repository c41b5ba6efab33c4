"""The screener under attack: whatever a person (or a script) posts, types into the address
bar or left in their session, they get a question page with an error, or a page that says
what is wrong, never a 500.

The screener keeps its answers as the household JSON and reads them with the same
``household_from_json`` as `manage.py assess`, so a value the format refuses never reaches
the rules; what the forms let through, the format accepts.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Customer, Fact
from benefits.rules.household_json import household_from_json
from tests.conftest import PASSWORD, make_person
from tests.helpers import error_summary, text_of, texts

pytestmark = pytest.mark.django_db

START = "/check-what-you-could-get/"
NEXT = START + "next/"
ANSWERS = START + "check-your-answers/"
RESULTS = START + "results/"
GROWN_UP = {"claimant": {"date_of_birth": "1990-01-01"}, "has_partner": False}


def question_url(fact: str) -> str:
    return f"{START}question/{fact}/"


def with_answers(client, answers: dict, history: list[str] | None = None) -> None:
    client.get(START)
    session = client.session
    session["screener"] = {
        "answers": answers, "history": history or list(answers), "pending": None,
        "updated": time.time(),
    }  # fmt: skip
    session.save()


def answers_in_session(client) -> dict:
    return client.session["screener"]["answers"]


HOSTILE_NUMBERS = [
    "NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e309", "-1e309", "1e-400", "-5",
    "1.005", "0x10", "true", "", "   ", "\x00", "1\x00", "\u202e100", "1" * 5000,
    "9" * 30 + ".99", "<script>alert(1)</script>",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
@pytest.mark.parametrize("fact", ["capital", "claimant.monthly_earnings", "children", "bedrooms"])
def test_a_hostile_amount_or_count_is_a_form_error(client, fact, value):
    with_answers(client, dict(GROWN_UP))

    response = client.post(question_url(fact), {"answer": value})

    assert response.status_code == 200, value
    assert error_summary(response), value
    assert answers_in_session(client) == GROWN_UP


@pytest.mark.parametrize(
    "body", ["answer=%ED%A0%80", "answer=%FF%FE1", "answer=%C0%80", "answer=1%00"]
)
def test_bytes_that_are_not_utf8_are_a_form_error(client, body):
    """What the test client cannot send as text: a lone surrogate encoded, invalid UTF-8."""
    with_answers(client, dict(GROWN_UP))

    response = client.post(
        question_url("capital"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert error_summary(response)
    assert answers_in_session(client) == GROWN_UP


HOSTILE_DATES = [
    ("30", "2", "2020"), ("0", "1", "1990"), ("1", "0", "1990"), ("1", "1", "0"),
    ("1", "1", "10000"), ("31", "12", "9999"), ("1", "1", "9990"), ("1", "1", "99999999999999999999"),
    ("1", "1", "-1990"), ("1\x00", "1", "1990"), ("\u202e1", "1", "1990"), ("١", "١", "١٩٩٠"),
    ("1", "1", "1890"), ("NaN", "1", "1990"), ("1e3", "1", "1990"), ("1" * 5000, "1", "1990"),
]  # fmt: skip


@pytest.mark.parametrize(("day", "month", "year"), HOSTILE_DATES)
def test_a_hostile_date_of_birth_is_a_form_error(client, day, month, year):
    with_answers(client, {"has_partner": False, "children": [{}]})

    for fact in ("claimant.date_of_birth", "children.0.date_of_birth"):
        response = client.post(
            question_url(fact), {"answer_day": day, "answer_month": month, "answer_year": year}
        )

        assert response.status_code == 200, (fact, day, month, year)
        assert error_summary(response), (fact, day, month, year)
    assert answers_in_session(client) == {"has_partner": False, "children": [{}]}


def test_a_child_born_tomorrow_is_a_form_error(client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with_answers(client, {**GROWN_UP, "children": [{}]})

    response = client.post(
        question_url("children.0.date_of_birth"),
        {"answer_day": tomorrow.day, "answer_month": tomorrow.month, "answer_year": tomorrow.year},
    )

    assert response.status_code == 200
    assert error_summary(response)


@pytest.mark.parametrize("value", ["high", "", "\x00", "none\u202e", "rent_social" * 1000])
def test_a_hostile_choice_is_a_form_error(client, value):
    with_answers(client, dict(GROWN_UP))

    response = client.post(question_url("housing"), {"answer": value})

    assert response.status_code == 200
    assert error_summary(response)


@pytest.mark.parametrize(
    "fact",
    [
        "children.99999999999999999999999.sex", "children.0.date_of_birth\x00", "capital.x",
        "claimant.__class__", "\u202ecapital", "children.-1.sex", "claimant", "x" * 5000,
        "children.٠.sex", "../../admin", "capital%0A", "children.0.sex%0A",
    ],
)  # fmt: skip
def test_a_question_that_does_not_exist_is_not_found(client, fact):
    with_answers(client, {**GROWN_UP, "children": [{}]})

    assert client.get(question_url(fact)).status_code == 404
    assert client.post(question_url(fact), {"answer": "1"}).status_code == 404


# --- Answers the household format refuses -----------------------------------------------


@pytest.mark.parametrize(
    ("answers", "fact"),
    [
        ({**GROWN_UP, "capital": "lots"}, "capital"),
        ({**GROWN_UP, "capital": float("nan")}, "capital"),
        ({**GROWN_UP, "capital": 10.005}, "capital"),
        ({**GROWN_UP, "children": [{"date_of_birth": "2099-01-01"}]}, "children.0.date_of_birth"),
        ({**GROWN_UP, "children": [{"date_of_birth": "2020-02-30"}]}, "children.0.date_of_birth"),
        ({"claimant": {"date_of_birth": "1870-01-01"}, "has_partner": False}, "claimant.date_of_birth"),
        ({**GROWN_UP, "housing": "castle"}, "housing"),
        ({**GROWN_UP, "pets": 2}, None),
    ],
)  # fmt: skip
def test_an_answer_the_format_refuses_is_asked_again_with_a_message(client, answers, fact):
    """Left in a session by an older version of the questions: the person is told and asked
    again, rather than the screener going round in circles or failing."""
    with_answers(client, answers)

    response = client.get(NEXT, follow=True)

    assert response.status_code == 200
    assert "We could not use one of your answers" in text_of(response.content.decode())
    assert household_from_json(answers_in_session(client), on=timezone.localdate())
    if fact is not None:
        assert response.redirect_chain[-1][0] == question_url(fact)
    for page in (ANSWERS, RESULTS, NEXT):
        assert client.get(page).status_code in (200, 302)


STALE = {"claimant": {"date_of_birth": "1990-02-30"}, "has_partner": False, "capital": "lots"}


@pytest.mark.parametrize(
    "page", [question_url("claimant.date_of_birth"), question_url("capital"), ANSWERS, RESULTS]
)
def test_a_page_reached_directly_with_a_refused_answer_does_not_fail(client, page):
    """A bookmark, the back button or a "Change" link, straight to a page that shows the
    answers: it shows them without the refused ones."""
    with_answers(client, STALE, history=["claimant.date_of_birth", "has_partner", "capital"])

    response = client.get(page)

    assert response.status_code in (200, 302)
    assert answers_in_session(client) == {"claimant": {}, "has_partner": False}


def test_refused_answers_are_never_saved_to_the_record(client):
    person = make_person("stale@example.org")
    client.post("/account/login/", {"login": person.email, "password": PASSWORD})
    with_answers(client, STALE, history=["claimant.date_of_birth", "has_partner", "capital"])

    response = client.post(START + "save/", {"save": "yes"})

    assert response.status_code == 302
    saved = set(Fact.objects.filter(customer__user=person).values_list("kind", flat=True))
    assert "capital" not in saved


# --- A day with no rates ------------------------------------------------------------------


def test_a_day_after_the_last_year_with_rates_shows_a_clear_page(client, monkeypatch):
    after = timezone.make_aware(datetime(2027, 5, 1, 12))
    monkeypatch.setattr(timezone, "now", lambda: after)
    with_answers(client, dict(GROWN_UP))

    for page in (NEXT, RESULTS, ANSWERS):
        response = client.get(page)

        assert response.status_code == 503, page
        assert texts(response, "h1") == ["Estimates are not available at the moment"]
        assert "1 May 2027" in text_of(response.content.decode())
    assert client.get(START).status_code == 200


def test_the_last_day_of_the_last_year_with_rates_still_gives_estimates(client, monkeypatch):
    last_day = timezone.make_aware(datetime(2027, 4, 5, 12))
    monkeypatch.setattr(timezone, "now", lambda: last_day)
    with_answers(client, dict(GROWN_UP))

    assert client.get(NEXT).status_code == 302


# --- Starting from the record -------------------------------------------------------------


def test_a_record_the_format_cannot_read_asks_afresh(client):
    """A person whose record holds something the screener's format refuses (here a date
    of birth before 1800) starts from the first question, and no page fails."""
    person = make_person("odd@example.org")
    Customer.objects.filter(user=person).update(date_of_birth=date(1799, 12, 31))
    client.post("/account/login/", {"login": person.email, "password": PASSWORD})

    response = client.get(NEXT)

    assert response.status_code == 302
    assert response.url == question_url("claimant.date_of_birth")
