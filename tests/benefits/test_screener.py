"""Check what you could get: the screener's pages, answered as a person would.

Each test drives the public pages with the test client, one question per page, exactly as
a browser without JavaScript does: follow /next/ to the question it picks, post the
answer, and so on to check your answers and the results. Amounts are worked out from the
published rates in force today (the site assesses on today's date).
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import timezone

from accounts.models import Customer, Fact, HouseholdMember
from benefits.rules.base import gbp
from tests.benefits.conftest import rates_on
from tests.conftest import PASSWORD, make_person
from tests.helpers import attr, error_summary, one, select, text_of, texts

pytestmark = pytest.mark.django_db

START = "/check-what-you-could-get/"
NEXT = START + "next/"
ANSWERS = START + "check-your-answers/"
RESULTS = START + "results/"
SAVE = START + "save/"
START_AGAIN = START + "start-again/"
LOGIN = "/account/login/"
HOME = "/your-services/"
MAX_QUESTIONS = 60  # far more than any household needs: more means the screener loops


def question_url(fact: str, *, change: bool = False) -> str:
    return f"{START}question/{fact}/" + ("?change=1" if change else "")


def fact_in(url: str) -> str:
    assert url.startswith(START + "question/"), f"not a question page: {url}"
    return url.removeprefix(START + "question/").rstrip("/")


def text(response) -> str:
    return response.content.decode()


def back_link(page: str) -> str:
    links = select(page, "a.govuk-back-link")
    assert len(links) == 1, "a question page has one back link"
    return links[0].get("href")


def submit(client, url: str, fields: dict[str, str], page: str | None = None):
    """Post a question's form as a browser does: the hidden CSRF token and what was typed."""
    page = page if page is not None else text(client.get(url))
    tokens = select(page, 'input[name="csrfmiddlewaretoken"]')
    assert tokens, f"no form on {url}"
    return client.post(url, {"csrfmiddlewaretoken": tokens[0].get("value"), **fields})


def form_data(fact: str, page: str, household: dict[str, object]) -> dict[str, str]:
    """What a person types on this question page: the household's answer or a default.

    The kind of question is read from the page itself, as a person would see it: three
    date boxes, yes/no radios, other radios, or a text box for an amount or a count.
    """
    if select(page, 'input[name="answer_day"]'):
        born = household.get(fact)
        assert born is not None, f"the test household has no date for {fact}"
        born = date.fromisoformat(born) if isinstance(born, str) else born
        return {
            "answer_day": str(born.day),
            "answer_month": str(born.month),
            "answer_year": str(born.year),
        }
    options = [r.get("value") for r in select(page, 'input[name="answer"][type="radio"]')]
    if options:
        default = "no" if options == ["yes", "no"] else "none"
        answer = str(household.get(fact, default))
        assert answer in options, f"{answer!r} is not one of the options for {fact}: {options}"
        return {"answer": answer}
    return {"answer": str(household.get(fact, "0"))}


def answer_screener(client, household: dict[str, object], *, from_start: bool = True) -> list[str]:
    """Answer every question the screener asks until it sends you to check your answers.

    ``household`` maps a fact (``claimant.date_of_birth``, ``children``…) to the answer:
    "yes" or "no", a choice's value, an amount or a count as text, or a date. Unlisted
    questions get "no", "none" or "0"; dates must be listed. Every question page must show
    one heading and a back link to the question answered before it, no question may come
    twice, and the journey must end. Returns the facts asked, in order.
    """
    asked: list[str] = []
    previous = START
    for _step in range(MAX_QUESTIONS):
        response = client.get(NEXT)
        assert response.status_code == 302
        if response.url == ANSWERS:
            return asked
        fact = fact_in(response.url)
        assert fact not in asked, f"{fact} was asked again after {asked}"
        page = client.get(response.url)
        assert page.status_code == 200, fact
        body = text(page)
        assert len(select(body, "h1")) == 1, f"{fact}: a question page has exactly one <h1>"
        if from_start or asked:
            assert back_link(body) == previous, f"{fact}: back should go to {previous}"
        posted = submit(client, response.url, form_data(fact, body, household), body)
        assert posted.status_code == 302, f"{fact} was refused: {error_messages(posted)}"
        asked.append(fact)
        previous = response.url
    pytest.fail(f"still asking after {MAX_QUESTIONS} questions: {asked}")


def sign_in(client, user):
    return client.post(LOGIN, {"login": user.email, "password": PASSWORD})


def error_messages(response) -> list[tuple[str, str]]:
    """The error summary's links: (href, message)."""
    return [(href, message) for href, message in error_summary(response) if href]


def summary_rows(client) -> list[tuple[str, str, str]]:
    """Check your answers: (question, answer, change link) for each row."""
    response = client.get(ANSWERS)
    assert response.status_code == 200
    return [
        (
            text_of(one(row, "dt.govuk-summary-list__key")),
            text_of(one(row, "dd.govuk-summary-list__value")),
            row.xpath("string(.//dd[contains(@class, 'govuk-summary-list__actions')]/a/@href)"),
        )
        for row in select(response, ".govuk-summary-list__row")
        if select(row, "dd.govuk-summary-list__actions > a.govuk-link")
    ]


def card_element(page: str, code: str):
    """One benefit's summary card on the results page."""
    found = select(page, f'section[aria-labelledby="benefit-{code}"]')
    assert found, f"no result for {code}"
    return found[0]


def card(page: str, code: str) -> str:
    """The text of one benefit's summary card on the results page."""
    return text_of(card_element(page, code))


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, 1)


def today_rate(name: str) -> Decimal:
    """A published rate in force today, from the data the rates migration loads."""
    return rates_on(timezone.localdate())[name]


def in_2026_27() -> bool:
    return date(2026, 4, 6) <= timezone.localdate() < date(2027, 4, 6)


SINGLE_30_RENTING = {
    "claimant.date_of_birth": years_ago(30),
    "has_partner": "no",
    "children": "0",
    "housing": "rent_private",
    "capital": "0",
    "claimant.monthly_earnings": "0",
}
LONE_PARENT = {
    "claimant.date_of_birth": "1990-05-14",
    "has_partner": "no",
    "children": "2",
    "children.0.date_of_birth": "2016-02-10",
    "children.1.date_of_birth": "2019-07-22",
    "housing": "rent_social",
    "capital": "1200",
}


# --- Answering to the end --------------------------------------------------------------


@pytest.mark.parametrize(
    "household",
    [
        pytest.param(SINGLE_30_RENTING, id="single"),
        pytest.param(LONE_PARENT, id="lone-parent"),
        pytest.param(
            {
                "claimant.date_of_birth": "1988-03-01",
                "has_partner": "yes",
                "partner.date_of_birth": "1991-09-30",
                "children": "1",
                "children.0.date_of_birth": "2023-01-15",
                "housing": "mortgage",
                "capital": "8000",
                "claimant.monthly_earnings": "1500",
                "partner.monthly_earnings": "400.50",
            },
            id="working-couple",
        ),
        pytest.param(
            {
                "claimant.date_of_birth": "1975-06-20",
                "has_partner": "no",
                "claimant.caring_hours": "40",
                "claimant.cared_for_gets_qualifying_benefit": "yes",
            },
            id="carer",
        ),
        pytest.param(
            {
                "claimant.date_of_birth": "1950-02-02",
                "has_partner": "no",
                "claimant.care_need": "day_and_night",
                "claimant.weekly_pension_income": "55",
                "claimant.ni_qualifying_years": "35",
            },
            id="pensioner",
        ),
        pytest.param(
            {
                "claimant.date_of_birth": "1985-11-11",
                "has_partner": "no",
                "bereavement": "yes",
                "bereavement.partner_died_on": years_ago(0),
                "bereavement.was_married_or_civil_partners": "yes",
                "bereavement.partner_paid_ni_or_industrial_cause": "yes",
            },
            id="bereaved",
        ),
    ],
)
def test_every_household_can_answer_one_question_a_page_to_the_end_and_see_results(
    client, household
):
    asked = answer_screener(client, household)

    assert asked[0] == "claimant.date_of_birth"
    assert client.get(ANSWERS).status_code == 200
    results = client.get(RESULTS)
    assert results.status_code == 200
    assert len(select(results, "h1")) == 1
    assert "What you could get" in text(results)


# --- Amounts ---------------------------------------------------------------------------


def test_a_single_30_year_old_renting_privately_with_no_income_is_shown_universal_credit_at_todays_rate(
    client,
):
    standard = today_rate("uc.standard_allowance.single_25_plus")
    if in_2026_27():
        assert standard == Decimal("424.90")
    answer_screener(client, SINGLE_30_RENTING)

    page = text(client.get(RESULTS))

    uc = card(page, "universal_credit")
    assert "You could get this" in uc
    assert f"About £{standard} a month" in uc
    assert f"Standard allowance, single, 25 or over: {gbp(standard)} a month" in texts(
        card_element(page, "universal_credit"), "li"
    )
    today = timezone.localdate()
    assert f"Estimates use the rates in force on {today.day} {today:%B %Y}" in page


def test_a_lone_parent_is_asked_each_childs_date_of_birth_in_turn_and_shown_child_benefit_for_both(
    client,
):
    eldest, additional = today_rate("cb.eldest"), today_rate("cb.additional")
    if in_2026_27():
        assert eldest + additional == Decimal("44.95")  # £27.05 + £17.90

    asked = answer_screener(client, LONE_PARENT)

    births = [fact for fact in asked if fact.endswith(".date_of_birth")]
    assert births == [
        "claimant.date_of_birth",
        "children.0.date_of_birth",
        "children.1.date_of_birth",
    ]
    assert asked.index("children") < asked.index("children.0.date_of_birth")
    child_benefit = card(text(client.get(RESULTS)), "child_benefit")
    assert "You could get this" in child_benefit
    assert f"About £{eldest + additional} a week" in child_benefit
    assert f"Eldest or only child: {gbp(eldest)} a week" in child_benefit


def test_child_benefit_for_a_second_child_is_explained_in_the_singular(client):
    additional = today_rate("cb.additional")
    answer_screener(client, LONE_PARENT)

    child_benefit = card(text(client.get(RESULTS)), "child_benefit")

    assert f"1 more child at {gbp(additional)}: {gbp(additional)} a week" in child_benefit


def test_the_question_for_each_child_names_which_child_it_is_about(client):
    answer_screener(client, LONE_PARENT)

    first = text(client.get(question_url("children.0.date_of_birth")))
    second = text(client.get(question_url("children.1.date_of_birth")))

    assert "What is your first child&#x27;s date of birth?" in first
    assert "What is your second child&#x27;s date of birth?" in second


# --- Only the questions that matter ----------------------------------------------------


def test_a_single_person_is_never_asked_about_a_partner(client):
    asked = answer_screener(client, SINGLE_30_RENTING)

    assert "has_partner" in asked
    assert [fact for fact in asked if fact.startswith("partner.")] == []


def test_someone_who_lives_with_a_partner_is_asked_the_partners_date_of_birth_next(client):
    asked = answer_screener(
        client, {**SINGLE_30_RENTING, "has_partner": "yes", "partner.date_of_birth": "1993-04-04"}
    )

    assert asked[asked.index("has_partner") + 1] == "partner.date_of_birth"
    assert "partner.monthly_earnings" in asked


def test_someone_with_no_children_is_never_asked_about_children(client):
    asked = answer_screener(client, SINGLE_30_RENTING)

    assert "children" in asked
    assert [fact for fact in asked if fact.startswith("children.")] == []


def test_someone_caring_0_hours_is_never_asked_whether_the_person_they_care_for_gets_a_disability_benefit(
    client,
):
    asked = answer_screener(client, {**SINGLE_30_RENTING, "claimant.caring_hours": "0"})

    assert "claimant.caring_hours" in asked
    assert "claimant.cared_for_gets_qualifying_benefit" not in asked


def test_someone_caring_40_hours_is_asked_whether_the_person_they_care_for_gets_a_disability_benefit(
    client,
):
    asked = answer_screener(client, {**SINGLE_30_RENTING, "claimant.caring_hours": "40"})

    assert "claimant.cared_for_gets_qualifying_benefit" in asked


# --- Back links ------------------------------------------------------------------------


def test_the_first_questions_back_link_goes_to_the_start_page(client):
    first = client.get(NEXT).url

    assert back_link(text(client.get(first))) == START


def test_going_back_to_an_earlier_question_its_back_link_goes_to_the_one_before_it(client):
    asked = answer_screener(client, LONE_PARENT)

    for before, fact in pairwise(asked):
        page = client.get(question_url(fact))
        assert back_link(text(page)) == question_url(before), fact
    assert back_link(text(client.get(question_url(asked[0])))) == START


def test_an_earlier_answer_is_shown_again_when_going_back_to_its_question(client):
    answer_screener(client, LONE_PARENT)

    born = text(client.get(question_url("children.1.date_of_birth")))
    housing = text(client.get(question_url("housing")))

    assert 'name="answer_day" type="text" inputmode="numeric" value="22"' in born
    assert 'name="answer_year" type="text" inputmode="numeric" value="2019"' in born
    assert 'value="rent_social" checked' in housing


def test_going_back_to_how_many_children_shows_the_number_given(client):
    answer_screener(client, LONE_PARENT)

    page = text(client.get(question_url("children", change=True)))

    assert attr(page, 'input[type="text"][name="answer"]', "value") == "2"


def test_when_changing_an_answer_the_back_link_goes_to_check_your_answers(client):
    answer_screener(client, SINGLE_30_RENTING)

    page = client.get(question_url("capital", change=True))

    assert back_link(text(page)) == ANSWERS


# --- Check your answers and changing an answer -----------------------------------------


def test_check_your_answers_lists_every_answer_with_a_link_to_change_it(client):
    asked = answer_screener(client, LONE_PARENT)

    rows = summary_rows(client)

    assert [link for _q, _a, link in rows] == [question_url(f, change=True) for f in asked]
    answers = {q: a for q, a, _link in rows}
    assert answers["What is your date of birth?"] == "14 May 1990"
    assert answers["Do you live with a partner?"] == "No"
    assert answers["What is your second child's date of birth?"] == "22 July 2019"
    assert (
        answers["Do you pay rent or a mortgage?"] == "I rent from a council or housing association"
    )
    assert answers["How much do you have in savings, investments and property?"] == "£1,200"
    assert 'href="/check-what-you-could-get/results/"' in text(client.get(ANSWERS))
    assert answers["How many children are you responsible for?"] == "2"


def test_changing_savings_to_17000_returns_to_check_your_answers_and_universal_credit_is_then_not_available(
    client,
):
    answer_screener(client, SINGLE_30_RENTING)
    assert "You could get this" in card(text(client.get(RESULTS)), "universal_credit")

    changed = submit(client, question_url("capital", change=True), {"answer": "17000"})

    assert changed.status_code == 302
    assert changed.url == ANSWERS
    answers = {q: a for q, a, _link in summary_rows(client)}
    assert answers["How much do you have in savings, investments and property?"] == "£17,000"
    uc = card(text(client.get(RESULTS)), "universal_credit")
    assert "You cannot get this" in uc
    assert "Savings and capital of £17,000 are over the £16,000 limit." in uc
    assert "About £" not in uc


COUPLE = {
    **SINGLE_30_RENTING,
    "has_partner": "yes",
    "partner.date_of_birth": "1993-04-04",
    "partner.monthly_earnings": "800",
}


def test_after_changing_to_not_living_with_a_partner_check_your_answers_shows_no_partner_answers(
    client,
):
    answer_screener(client, COUPLE)

    changed = submit(client, question_url("has_partner", change=True), {"answer": "no"})

    assert changed.url == ANSWERS
    rows = summary_rows(client)
    assert ("Do you live with a partner?", "No") in [(q, a) for q, a, _link in rows]
    assert [q for q, _a, _link in rows if "your partner" in q] == []
    assert [link for _q, _a, link in rows if "/question/partner." in link] == []


def test_after_changing_to_not_living_with_a_partner_saving_records_no_partner_earnings(client):
    person = make_person("sam@example.org")
    answer_screener(client, COUPLE)
    submit(client, question_url("has_partner", change=True), {"answer": "no"})
    sign_in(client, person)

    client.post(SAVE, {"save": "yes"})

    customer = Customer.objects.get(user=person)
    status = Fact.objects.get(customer=customer, kind="relationship_status")
    assert status.value == "single"
    assert not Fact.objects.filter(customer=customer, kind="partner_monthly_earnings").exists()
    assert not HouseholdMember.objects.filter(customer=customer, relationship="partner").exists()


def test_a_change_that_needs_more_answers_asks_them_before_check_your_answers(client):
    answer_screener(client, SINGLE_30_RENTING)

    changed = submit(client, question_url("children", change=True), {"answer": "1"})

    assert changed.url == NEXT
    assert client.get(NEXT).url == question_url("children.0.date_of_birth")


# --- Bad input -------------------------------------------------------------------------


def tomorrow() -> dict[str, str]:
    day = date.fromordinal(timezone.localdate().toordinal() + 1)
    return {
        "answer_day": str(day.day),
        "answer_month": str(day.month),
        "answer_year": str(day.year),
    }


@pytest.mark.parametrize(
    ("fact", "typed", "message", "anchor"),
    [
        (
            "claimant.monthly_earnings",
            {"answer": "lots"},
            "Enter an amount in pounds, like 150 or 150.50",
            "id_answer",
        ),
        ("capital", {"answer": ""}, "Enter an amount in pounds, like 150 or 150.50", "id_answer"),
        ("children", {"answer": "300"}, "The number must be 20 or fewer", "id_answer"),
        ("capital", {"answer": "1e12"}, "The amount must be £10,000,000 or less", "id_answer"),
        (
            "capital",
            {"answer": "1000000000000"},
            "The amount must be £10,000,000 or less",
            "id_answer",
        ),
        (
            "claimant.date_of_birth",
            tomorrow(),
            "Your date of birth must be today or in the past",
            "id_answer_0",
        ),
        (
            "claimant.date_of_birth",
            {"answer_day": "31", "answer_month": "2", "answer_year": "1990"},
            "Your date of birth must be a real date",
            "id_answer_0",
        ),
        ("has_partner", {}, "Select yes or no", "id_answer_0"),
        ("housing", {}, "Select an answer", "id_answer_0"),
    ],
    ids=[
        "money-in-words",
        "money-left-empty",
        "300-children",
        "capital-1e12",
        "capital-a-trillion",
        "born-tomorrow",
        "31-february",
        "yes-no-not-chosen",
        "choice-not-chosen",
    ],
)
def test_a_bad_answer_is_shown_with_one_clear_error_linked_to_the_field_and_nothing_is_lost(
    client, fact, typed, message, anchor
):
    answer_screener(client, LONE_PARENT)
    before = summary_rows(client)

    response = submit(client, question_url(fact), typed)

    assert response.status_code == 200
    page = text(response)
    assert select(page, ".govuk-error-summary")
    assert error_messages(response) == [(f"#{anchor}", message)]
    assert select(page, f'[id="{anchor}"]'), "the error summary links to a box on the page"
    assert text_of(one(page, "title")).startswith("Error:")
    assert f"Error: {message}" in texts(page, ".govuk-error-message")
    assert select(page, ".govuk-error-message > span.govuk-visually-hidden")
    assert len(select(page, "h1")) == 1
    for value in filter(None, typed.values()):
        assert select(page, f'input[value="{value}"]'), "what was typed is shown again to correct"
    assert summary_rows(client) == before


def test_after_a_bad_answer_the_corrected_answer_is_taken(client):
    answer_screener(client, SINGLE_30_RENTING)
    submit(client, question_url("capital"), {"answer": "lots"})

    corrected = submit(client, question_url("capital"), {"answer": "150.50"})

    assert corrected.status_code == 302
    answers = {q: a for q, a, _link in summary_rows(client)}
    assert answers["How much do you have in savings, investments and property?"] == "£150.50"


# --- Addresses that do not lead anywhere ------------------------------------------------


@pytest.mark.parametrize(
    "fact",
    ["favourite_colour", "claimant.shoe_size", "partner.capital", "children.0.name", "a.b.c"],
)
def test_a_question_the_screener_does_not_have_is_not_found(client, fact):
    assert client.get(question_url(fact)).status_code == 404
    assert client.post(question_url(fact), {"answer": "yes"}).status_code == 404


def test_a_question_about_a_child_the_household_does_not_have_is_not_found_and_breaks_nothing(
    client,
):
    answer_screener(client, LONE_PARENT)  # two children
    before = summary_rows(client)
    client.raise_request_exception = False

    shown = client.get(question_url("children.5.date_of_birth"))
    posted = client.post(
        question_url("children.5.date_of_birth"),
        {"answer_day": "1", "answer_month": "1", "answer_year": "2020"},
    )

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert summary_rows(client) == before
    assert client.get(RESULTS).status_code == 200


def test_an_old_childs_page_submitted_after_starting_again_does_not_break_the_new_answers(
    client,
):
    # Answer about a child, start again, then press the browser's Back button to that
    # child's page and submit it: the new answers must still lead through the questions.
    answer_screener(client, LONE_PARENT)
    old_page = text(client.get(question_url("children.0.date_of_birth")))
    client.post(START_AGAIN)
    client.raise_request_exception = False

    resubmitted = submit(
        client,
        question_url("children.0.date_of_birth"),
        {"answer_day": "10", "answer_month": "2", "answer_year": "2016"},
        old_page,
    )

    assert resubmitted.status_code < 500
    submit(
        client,
        question_url("claimant.date_of_birth"),
        {"answer_day": "1", "answer_month": "1", "answer_year": "1996"},
    )
    submit(client, question_url("has_partner"), {"answer": "no"})
    assert client.get(NEXT).url == question_url("children")
    assert submit(client, question_url("children"), {"answer": "0"}).status_code == 302
    assert client.get(NEXT).url != question_url("children")


def test_results_before_the_last_question_send_you_to_the_next_question(client):
    first = client.get(RESULTS, follow=True)
    assert first.redirect_chain[-1][0] == question_url("claimant.date_of_birth")

    submit(
        client,
        question_url("claimant.date_of_birth"),
        {"answer_day": "1", "answer_month": "2", "answer_year": "1990"},
    )
    submit(client, question_url("has_partner"), {"answer": "no"})
    later = client.get(RESULTS, follow=True)

    assert later.redirect_chain[-1][0] == question_url("children")
    assert later.status_code == 200


# --- Database queries ------------------------------------------------------------------

# Measured: the session, the rates version (2: latest id and count, then cached), the
# rates in force, the benefit catalogue. 2 when the rates are already cached. The same
# for any number of children.
RESULTS_QUERIES = 5


def five_children() -> dict[str, object]:
    births = ["2010-01-05", "2012-06-15", "2015-03-03", "2018-09-09", "2022-12-12"]
    return {
        **LONE_PARENT,
        "children": "5",
        **{f"children.{i}.date_of_birth": born for i, born in enumerate(births)},
    }


@pytest.mark.parametrize(
    "household", [SINGLE_30_RENTING, five_children()], ids=["no-children", "5-children"]
)
def test_the_results_page_runs_a_small_fixed_number_of_database_queries(
    client, household, django_assert_max_num_queries
):
    from benefits.catalogue.selectors import invalidate_rates

    answer_screener(client, household)
    invalidate_rates()  # the worst case: rates not yet cached in this process

    with django_assert_max_num_queries(RESULTS_QUERIES):
        assert client.get(RESULTS).status_code == 200
    with django_assert_max_num_queries(RESULTS_QUERIES):
        assert client.get(RESULTS).status_code == 200  # rates now cached in the process


# --- Saving answers to an account ------------------------------------------------------


def test_signing_in_after_the_screener_offers_to_save_the_answers(client):
    person = make_person("sam@example.org")
    answer_screener(client, LONE_PARENT)

    signed_in = sign_in(client, person)

    assert signed_in.status_code == 302
    assert signed_in.url == SAVE
    offer = client.get(SAVE)
    assert offer.status_code == 200
    assert "Save these answers to your account?" in text(offer)


def test_answers_left_for_the_15_minute_idle_timeout_are_not_offered_after_signing_in(
    client, settings, monkeypatch
):
    assert settings.SESSION_IDLE_TIMEOUT == 15 * 60  # production's value
    person = make_person("sam@example.org")
    answer_screener(client, LONE_PARENT)
    answered = time.time()

    monkeypatch.setattr(time, "time", lambda: answered + 15 * 60 + 1)
    signed_in = sign_in(client, person)

    assert signed_in.url == HOME


def test_signing_in_without_screener_answers_goes_to_your_services_as_usual(client):
    person = make_person("sam@example.org")

    signed_in = sign_in(client, person)

    assert signed_in.url == HOME


def test_saving_the_answers_records_them_as_facts_from_today_and_adds_the_children(client):
    person = make_person("sam@example.org")
    answer_screener(client, LONE_PARENT)
    sign_in(client, person)

    saved = client.post(SAVE, {"save": "yes"})

    assert saved.status_code == 302
    assert saved.url == HOME
    customer = Customer.objects.get(user=person)
    capital = Fact.objects.get(customer=customer, kind="capital")
    assert Decimal(str(capital.value)) == Decimal("1200")
    assert capital.effective_from == timezone.localdate()
    assert capital.effective_to is None
    housing = Fact.objects.get(customer=customer, kind="housing")
    assert housing.value == "rent_social"
    children = HouseholdMember.objects.filter(customer=customer, relationship="child")
    assert sorted(child.date_of_birth for child in children) == [
        date(2016, 2, 10),
        date(2019, 7, 22),
    ]
    customer.refresh_from_db()
    assert customer.date_of_birth == date(1990, 5, 14)
    assert "Your answers have been saved to your account" in text(client.get(HOME))


def test_saving_the_same_answers_twice_does_not_add_the_children_twice(client):
    person = make_person("sam@example.org")
    answer_screener(client, LONE_PARENT)
    sign_in(client, person)
    client.post(SAVE, {"save": "yes"})

    client.post(SAVE, {"save": "yes"})

    customer = Customer.objects.get(user=person)
    assert HouseholdMember.objects.filter(customer=customer, relationship="child").count() == 2
    assert Fact.objects.filter(customer=customer, kind="capital").count() == 1


def test_choosing_not_to_save_records_nothing(client):
    person = make_person("sam@example.org")
    customer = Customer.objects.get(user=person)
    facts_before = Fact.objects.filter(customer=customer).count()
    answer_screener(client, LONE_PARENT)
    sign_in(client, person)

    declined = client.post(SAVE, {"save": "no"})

    assert declined.status_code == 302
    assert declined.url == HOME
    assert Fact.objects.filter(customer=customer).count() == facts_before
    assert not HouseholdMember.objects.filter(customer=customer).exists()
    customer.refresh_from_db()
    assert customer.date_of_birth is None


def test_saving_answers_needs_signing_in(client):
    answer_screener(client, LONE_PARENT)

    response = client.post(SAVE, {"save": "yes"})

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert not Fact.objects.filter(kind="capital").exists()


# --- Starting again --------------------------------------------------------------------


def test_start_again_clears_every_answer(client):
    answer_screener(client, LONE_PARENT)
    assert "Continue" in text(client.get(START))

    cleared = client.post(START_AGAIN)

    assert cleared.status_code == 302
    assert cleared.url == START
    assert "screener" not in client.session
    assert client.get(ANSWERS).url == START
    assert client.get(NEXT).url == question_url("claimant.date_of_birth")
    assert "Start now" in text(client.get(START))


def test_start_again_only_happens_when_the_button_is_pressed(client):
    answer_screener(client, LONE_PARENT)

    assert client.get(START_AGAIN).status_code == 405
    assert client.get(RESULTS).status_code == 200


def test_answers_left_alone_past_the_idle_timeout_are_forgotten(client):
    import time

    client.get("/check-what-you-could-get/")
    session = client.session
    session["screener"] = {
        "answers": {"capital": 500.0}, "history": ["capital"], "pending": None,
        "updated": time.time() - 16 * 60,
    }  # fmt: skip
    session.save()

    page = client.get("/check-what-you-could-get/").content.decode()

    assert "Start now" in page
    assert client.get("/check-what-you-could-get/check-your-answers/").status_code == 302


def test_screener_pages_are_never_stored_by_the_browser(client):
    response = client.get("/check-what-you-could-get/")

    assert "no-store" in response["Cache-Control"]


def test_a_childs_date_of_birth_must_make_them_a_child(client):
    client.get("/check-what-you-could-get/")
    session = client.session
    import time

    session["screener"] = {
        "answers": {"claimant": {"date_of_birth": "1990-01-01"}, "has_partner": False, "children": [{}]},
        "history": ["claimant.date_of_birth", "has_partner", "children"], "pending": None,
        "updated": time.time(),
    }  # fmt: skip
    session.save()

    response = client.post(
        "/check-what-you-could-get/question/children.0.date_of_birth/",
        {"answer_day": "10", "answer_month": "3", "answer_year": "1991"},
    )

    assert response.status_code == 200
    assert "Children must be under 20" in response.content.decode()
    assert client.session["screener"]["answers"]["children"] == [{}]


def test_a_signed_in_person_starts_from_their_record_and_is_asked_only_what_it_lacks(client):
    """Tell us once: what a first screener saved is not asked by the next one, which shows
    it on "check your answers" where it can be changed."""
    person = make_person("rhian@example.org")
    sign_in(client, person)
    first = answer_screener(client, LONE_PARENT)
    assert client.post(SAVE, {"save": "yes"}).status_code == 302
    client.post(START_AGAIN)

    # The first question asked goes back to the last answer the record gave.
    second = answer_screener(client, LONE_PARENT, from_start=False)

    assert "housing" in first
    assert "capital" in first
    for fact in ("claimant.date_of_birth", "has_partner", "housing", "capital", "children"):
        assert fact not in second, f"{fact} was asked again"
    rows = {question: answer for question, answer, _link in summary_rows(client)}
    assert "£1,200" in rows.values()
    assert any("council or housing association" in a for a in rows.values())


def test_a_parent_is_asked_their_income_for_the_year_and_shown_the_high_income_charge(client):
    """£70,000 is halfway from £60,000 to £80,000: the charge is 50% of the year's (52
    weeks') Child Benefit, rounded down to whole pounds, shown as its own line; the weekly
    Child Benefit stays as it is."""
    asked = answer_screener(client, {**LONE_PARENT, "claimant.adjusted_net_income": "70000"})

    assert "claimant.adjusted_net_income" in asked
    assert asked.count("claimant.adjusted_net_income") == 1
    child_benefit = card(text(client.get(RESULTS)), "child_benefit")
    assert "High Income Child Benefit Charge" in child_benefit
    weekly = today_rate("cb.eldest") + today_rate("cb.additional")
    yearly = (weekly * 52).quantize(Decimal("0.01"))
    assert gbp(weekly) in child_benefit
    charge = (yearly / 2).to_integral_value(rounding="ROUND_FLOOR")
    assert f"50% of {gbp(yearly)} = {gbp(charge)}" in child_benefit


def test_a_parent_on_a_modest_income_pays_no_high_income_charge(client):
    answer_screener(client, {**LONE_PARENT, "claimant.adjusted_net_income": "30000"})

    child_benefit = card(text(client.get(RESULTS)), "child_benefit")
    assert "No High Income Child Benefit Charge" in child_benefit


def test_a_tampered_save_answer_is_a_bad_request_and_saves_nothing(client):
    person = make_person("sam@example.org")
    answer_screener(client, COUPLE)
    sign_in(client, person)
    facts = Fact.objects.filter(customer__user=person).count()

    for tampered in ({"save": "maybe"}, {}):
        assert client.post(SAVE, tampered).status_code == 400

    assert Fact.objects.filter(customer__user=person).count() == facts
    assert client.post(SAVE, {"save": "no"}).status_code == 302
    assert Fact.objects.filter(customer__user=person).count() == facts
