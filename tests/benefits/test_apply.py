"""Applying online, through the pages a citizen uses: start, task list, one question per
page, evidence while the application is a draft, check your answers, send, and the receipt.

State is set up through the services (profile, facts, drafts) and the screener's session
state, as the person's earlier visits would have left it; everything else goes through the
test client, as a browser without JavaScript would.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.middleware import LAST_ACTIVITY
from accounts.models import FactKind
from benefits.claims import applications
from benefits.claims import documents as claim_documents
from benefits.claims.apply import engine
from benefits.claims.apply.questions import sections_for
from benefits.claims.selectors import expected_decision
from benefits.evidence.checks import MAX_UPLOAD_BYTES
from benefits.models import Claim, ClaimEvent, ClaimStatus, Document, DocumentState
from benefits.screener import state as screener_state
from notifications.models import Notification
from tests.claim_factory import (
    answer_what_the_rules_need,
    complete_answers,
    draft_claim,
    pdf_bytes,
    png_bytes,
)
from tests.conftest import PASSWORD
from tests.helpers import error_summary, input_value, one, reload, select, text_of

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"

NUMBERED = re.compile(r"\d+\. (.*)")
REFERENCE = re.compile(r"\bCL-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
TAGS = re.compile(r"<[^>]+>")


# --- Helpers -----------------------------------------------------------------------------------


def text(response) -> str:
    return response.content.decode()


def plain(fragment: str) -> str:
    return " ".join(htmllib.unescape(TAGS.sub(" ", fragment)).split())


def start_url(code: str) -> str:
    return reverse("claims:apply_start", args=[code])


def task_url(claim: Claim) -> str:
    return reverse("claims:apply", args=[claim.pk])


def question_url(claim: Claim, section: str, slug: str) -> str:
    return reverse("claims:apply_question", args=[claim.pk, section, slug])


def section_url(claim: Claim, section: str) -> str:
    return reverse("claims:apply_section", args=[claim.pk, section])


def evidence_url(claim: Claim) -> str:
    return reverse("claims:apply_evidence", args=[claim.pk])


def check_url(claim: Claim) -> str:
    return reverse("claims:apply_check", args=[claim.pk])


def sent_url(claim: Claim) -> str:
    return reverse("claims:sent", args=[claim.pk])


def field_error(response) -> str:
    """The first message by a field, without its visually hidden "Error:"."""
    found = select(response, 'p.govuk-error-message[id*="-error"]')
    return text_of(found[0]).removeprefix("Error:").strip() if found else ""


def assert_linked_error(response, message: str) -> None:
    """One error, in the summary, linked to an element on the page, and by the field."""
    assert response.status_code == 200
    summary = error_summary(response)
    assert [m for _href, m in summary] == [message], summary
    href = summary[0][0]
    assert href.startswith("#")
    assert select(response, f'[id="{href[1:]}"]'), f"{href} links to nothing on the page"
    assert field_error(response) == message


def page_version(page: str) -> str:
    return input_value(page, "version")


def answer(client, claim: Claim, section: str, slug: str, data: dict, **query):
    """Answer a question as a browser does: open the page, post the form with its version."""
    url = question_url(claim, section, slug)
    page = client.get(url, query)
    assert page.status_code == 200, f"{slug} is not asked"
    return client.post(url, {"version": page_version(text(page)), **query, **data})


def mark_completed(client, claim: Claim, section: str):
    page = client.get(section_url(claim, section))
    return client.post(section_url(claim, section), {"version": page_version(text(page))})


def task_rows(client, claim: Claim) -> dict[str, tuple[str, str]]:
    """The task list's sections: title -> (link, status)."""
    response = client.get(task_url(claim))
    assert response.status_code == 200
    rows = {}
    for item in select(response, "li.govuk-task-list__item"):
        link = select(item, "a.govuk-task-list__link")
        numbered = link and NUMBERED.fullmatch(text_of(link[0]))
        if numbered:  # the application's sections, not documents or sending
            status = one(item, ".govuk-task-list__status")
            rows[numbered[1]] = (link[0].get("href"), text_of(status))
    return rows


def summary_rows(response) -> list[tuple[str, str, str, str]]:
    """(question, answer, link, link text) for each summary list row that has a link."""
    rows = []
    for row in select(response, ".govuk-summary-list__row"):
        links = select(row, "dd.govuk-summary-list__actions > a.govuk-link")
        if links:  # the link's own words, not its visually hidden question
            rows.append(
                (
                    text_of(one(row, "dt.govuk-summary-list__key")),
                    text_of(one(row, "dd.govuk-summary-list__value")),
                    links[0].get("href"),
                    text_of(links[0].text or ""),
                )
            )
    return rows


def csrf_token(client) -> str:
    return client.cookies["csrftoken"].value


def set_session(client, **values) -> None:
    session = client.session
    session.update(values)
    session.save()


def files_under(root) -> set[Path]:
    root = Path(root)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def completed_draft(user, code: str = "carers_allowance") -> Claim:
    return draft_claim(user, code, complete=True)


# --- 1. Starting ----------------------------------------------------------------------------------


def test_the_start_page_says_what_you_need_and_how_long_a_decision_takes(citizen_client):
    response = citizen_client.get(start_url("carers_allowance"))

    page = plain(text(response))
    assert response.status_code == 200
    assert "Apply for Carer's Allowance" in page
    assert "Details of the person you care for and their disability benefit" in page
    assert "Payslips if you work" in page
    assert "We aim to decide within 20 working days of getting your application." in page
    assert "Start now" in page
    assert not Claim.objects.exists()  # looking is not starting


def test_starting_creates_one_draft_and_starting_again_resumes_it(citizen_client, citizen):
    first = citizen_client.post(start_url("carers_allowance"))
    claim = Claim.objects.get()

    assert first.status_code == 302
    assert first["Location"] == task_url(claim)
    assert claim.status == ClaimStatus.DRAFT
    assert claim.customer == citizen.customer
    assert "Continue your application" in text(citizen_client.get(start_url("carers_allowance")))

    second = citizen_client.post(start_url("carers_allowance"))

    assert second["Location"] == task_url(claim)
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "route"),
    [
        ("child_benefit", "claim through HMRC's online service or app"),
        ("state_pension", "invited to claim about 2 months before you reach State Pension age"),
    ],
)
def test_a_benefit_not_open_online_says_how_to_claim_and_creates_nothing(
    citizen_client, code, route
):
    shown = citizen_client.get(start_url(code))
    posted = citizen_client.post(start_url(code))

    for response in (shown, posted):
        page = plain(text(response))
        assert response.status_code == 200
        assert "You cannot apply for this benefit here yet." in page
        assert route in page
        assert "Start now" not in page
    assert not Claim.objects.exists()


# --- 2. What we already know --------------------------------------------------------------------


@pytest.fixture
def known_citizen(citizen, citizen_client):
    """Alice has a profile, a recorded caring-hours fact and unsaved screener answers."""
    customer = citizen.customer
    account_services.update_personal_details(
        customer=customer, by=citizen, legal_given_names="Alice", legal_family_name="Jones",
        preferred_name="", date_of_birth=date(1980, 4, 12), ni_number="QQ 12 34 56 C",
    )  # fmt: skip
    account_services.update_contact_details(
        customer=customer, by=citizen, phone="07700 900123", address_line_1="1 High Street",
        address_line_2="", town="Cardiff", postcode="cf10 1aa",
    )  # fmt: skip
    account_services.record_fact(
        customer=customer, kind=FactKind.CARING_HOURS, value=40,
        effective_from=date(2024, 1, 1), by=citizen,
    )  # fmt: skip
    session = citizen_client.session
    screener_state.save(
        session,
        {
            "answers": {
                # The recorded fact (40) wins over what the screener was told (20).
                "claimant": {
                    "caring_hours": 20, "weekly_earnings_for_carers": 95.5,
                    "in_full_time_education": False,
                },
            },
            "history": [],
            "pending": None,
        },
    )  # fmt: skip
    session.save()
    return citizen


PREFILLED = {
    "full_name": "Alice Jones",
    "date_of_birth": "1980-04-12",
    "ni_number": "QQ123456C",
    "address": "1 High Street\nCardiff\nCF10 1AA",
    "phone": "07700 900123",
    "caring_hours": 40,
    "weekly_earnings": "95.50",
    "full_time_education": False,
}


def test_a_new_draft_is_filled_in_from_the_profile_facts_and_screener(
    citizen_client, known_citizen
):
    citizen_client.post(start_url("carers_allowance"))

    claim = Claim.objects.get()
    # Each prefilled answer is noted as one we already have.
    assert claim.answers == {**PREFILLED, "_known": sorted(PREFILLED)}


@pytest.mark.parametrize(
    ("section", "slug", "shown"),
    [
        ("about-you", "full_name", ['name="answer" value="Alice Jones"']),
        ("about-you", "date_of_birth", ['name="answer_day" type="text" inputmode="numeric" value="12"',
                                        'name="answer_month" type="text" inputmode="numeric" value="4"',
                                        'name="answer_year" type="text" inputmode="numeric" value="1980"']),
        ("about-you", "address", ['id="id_answer">\n1 High Street\nCardiff\nCF10 1AA</textarea>']),
        ("cared-for", "caring_hours", ['value="40"']),
        ("work-and-study", "weekly_earnings", ['value="95.50"']),
        ("work-and-study", "full_time_education", ['value="no" checked']),
    ],
)  # fmt: skip
def test_question_pages_show_the_prefilled_answer(
    citizen_client, known_citizen, section, slug, shown
):
    citizen_client.post(start_url("carers_allowance"))
    claim = Claim.objects.get()

    page = text(citizen_client.get(question_url(claim, section, slug)))

    for fragment in shown:
        assert fragment in page


def test_nothing_already_known_is_asked_again(citizen_client, known_citizen):
    citizen_client.post(start_url("carers_allowance"))
    claim = Claim.objects.get()

    rows = task_rows(citizen_client, claim)

    assert rows["About you"] == (section_url(claim, "about-you"), "In progress")
    assert rows["Your work and study"] == (section_url(claim, "work-and-study"), "In progress")
    assert rows["Bank account"] == (
        question_url(claim, "bank-account", "account_name"),
        "Not yet started",
    )
    # Answering the section's questions in order skips the hours we already know.
    asked = []
    url = question_url(claim, "cared-for", "cared_for_name")
    for data in ({"answer": "Bob Jones"}, {"answer": "Father"}, {"answer": "attendance_allowance"}):
        asked.append(url.rstrip("/").rsplit("/", 1)[-1])
        page = text(citizen_client.get(url))
        url = citizen_client.post(url, {"version": page_version(page), **data})["Location"]
    assert asked == ["cared_for_name", "cared_for_relationship", "cared_for_benefit"]
    assert url == section_url(claim, "cared-for")


def test_a_couples_screener_answers_and_facts_fill_in_universal_credit(citizen_client, citizen):
    account_services.record_fact(
        customer=citizen.customer, kind=FactKind.RELATIONSHIP_STATUS, value="couple",
        effective_from=date(2024, 1, 1), by=citizen,
    )  # fmt: skip
    session = citizen_client.session
    screener_state.save(session, {
        "answers": {
            "claimant": {"date_of_birth": "1990-05-14", "monthly_earnings": "1500", "lcwra": False},
            "partner": {"monthly_earnings": 400},
            "housing": "rent_private", "capital": 1200,
        },
        "history": [], "pending": None,
    })  # fmt: skip
    session.save()

    citizen_client.post(start_url("universal_credit"))

    claim = Claim.objects.get()
    known = {
        "date_of_birth": "1990-05-14", "has_partner": True, "housing": "rent_private",
        "monthly_earnings": "1500.00", "partner_monthly_earnings": "400.00", "capital": "1200.00",
        "health_stops_work": False,
    }  # fmt: skip
    assert claim.answers == {**known, "_known": sorted(known)}
    # Asked next: only what we do not know.
    assert task_rows(citizen_client, claim)["Your household"][0] in (
        section_url(claim, "household"), question_url(claim, "household", "partner_name"),
    )  # fmt: skip
    assert 'value="yes" checked' in text(
        citizen_client.get(question_url(claim, "household", "has_partner"))
    )


def test_the_person_can_change_a_prefilled_answer(citizen_client, known_citizen):
    citizen_client.post(start_url("carers_allowance"))
    claim = Claim.objects.get()

    response = answer(
        citizen_client,
        claim,
        "cared-for",
        "caring_hours",
        {"answer": "36"},
        **{"return": "section"},
    )

    assert response["Location"] == section_url(claim, "cared-for")
    assert reload(claim).answers["caring_hours"] == 36
    rows = summary_rows(citizen_client.get(section_url(claim, "cared-for")))
    assert ("How many hours a week do you spend caring for them?", "36") in [r[:2] for r in rows]


# --- 3. The task list ------------------------------------------------------------------------------


def test_the_task_list_shows_each_sections_state_and_that_nothing_is_sent(citizen_client, citizen):
    claim = draft_claim(citizen)
    rows = task_rows(citizen_client, claim)
    assert {status for _href, status in rows.values()} == {"Not yet started"}

    answer(citizen_client, claim, "cared-for", "cared_for_name", {"answer": "Bob Jones"})
    for slug, value in (
        ("account_name", "Alice Jones"),
        ("sort_code", "30-94-98"),
        ("account_number", "00733445"),
    ):
        answer(citizen_client, claim, "bank-account", slug, {"answer": value})
    in_progress_bank = task_rows(citizen_client, claim)["Bank account"]
    mark_completed(citizen_client, claim, "bank-account")

    rows = task_rows(citizen_client, claim)
    page = plain(text(citizen_client.get(task_url(claim))))
    assert rows["About you"][1] == "Not yet started"
    # Carrying on never starts again at the question already answered.
    assert rows["The person you care for"][1] == "In progress"
    assert rows["The person you care for"][0] in (
        section_url(claim, "cared-for"), question_url(claim, "cared-for", "cared_for_relationship"),
    )  # fmt: skip
    # Answered by the person but not yet looked over on the summary: still in progress.
    assert in_progress_bank[1] == "In progress"
    assert rows["Bank account"] == (section_url(claim, "bank-account"), "Completed")
    assert "Your application has not been sent yet." in page
    assert "You have completed 1 of 4 sections." in page


def test_a_prefilled_section_is_in_progress_until_the_person_marks_it_completed(
    citizen_client, known_citizen
):
    citizen_client.post(start_url("carers_allowance"))
    claim = Claim.objects.get()
    summary = citizen_client.get(section_url(claim, "about-you"))
    # Every answer came from the record: shown as such, confirmed in one step.
    assert "Confirm these details" in text(summary)
    assert [(q, a) for q, a, _href, _action in summary_rows(summary)] == [
        ("What is your full name?", "We already have this Alice Jones"),
        ("What is your date of birth?", "We already have this 12 April 1980"),
        ("What is your National Insurance number?", "We already have this Ending 56 C"),
        ("What is your address?", "We already have this 1 High Street Cardiff CF10 1AA"),
        ("What phone number can we call you on?", "We already have this 07700 900123"),
    ]
    assert task_rows(citizen_client, claim)["About you"][1] == "In progress"

    response = mark_completed(citizen_client, claim, "about-you")

    assert response["Location"] == task_url(claim)
    assert task_rows(citizen_client, claim)["About you"][1] == "Completed"


def test_marking_a_section_with_a_question_left_goes_to_that_question(citizen_client, citizen):
    claim = draft_claim(citizen)
    answer(citizen_client, claim, "bank-account", "account_name", {"answer": "Alice Jones"})

    response = mark_completed(citizen_client, claim, "bank-account")

    assert response["Location"] == question_url(claim, "bank-account", "sort_code")
    assert "_checked" not in reload(claim).answers


def test_check_and_send_cannot_start_until_every_section_is_completed(citizen_client, citizen):
    claim = draft_claim(citizen)
    answers = complete_answers("carers_allowance")
    answers["_checked"] = [s for s in answers["_checked"] if s != "bank-account"]
    claim = applications.save_draft_answers(
        claim=claim, answers=answers, version=claim.version, by=citizen
    )

    waiting = text(citizen_client.get(task_url(claim)))
    assert "Cannot start yet" in waiting
    assert f'href="{check_url(claim)}"' not in waiting
    refused = citizen_client.get(check_url(claim))
    assert refused.status_code == 302
    assert refused["Location"] == task_url(claim)

    mark_completed(citizen_client, claim, "bank-account")

    ready = text(citizen_client.get(task_url(claim)))
    assert "Cannot start yet" not in ready
    assert f'href="{check_url(claim)}"' in ready
    assert citizen_client.get(check_url(claim)).status_code == 200


# --- 4. Question pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "section", "slug", "data", "message"),
    [
        ("carers_allowance", "about-you", "date_of_birth",
         {"answer_day": "31", "answer_month": "2", "answer_year": "2020"}, "Your date of birth must be a real date"),
        ("carers_allowance", "about-you", "date_of_birth",
         {"answer_day": "1", "answer_month": "1", "answer_year": "2999"}, "Your date of birth must be today or in the past"),
        ("carers_allowance", "work-and-study", "weekly_earnings", {"answer": "abc"},
         "Enter an amount in pounds, like 150 or 150.50"),
        ("carers_allowance", "cared-for", "caring_hours", {"answer": "-1"}, "The number must be 0 or more"),
        ("carers_allowance", "cared-for", "caring_hours", {"answer": "999"}, "The number must be 168 or fewer"),
        ("universal_credit", "household", "children_count", {"answer": "999"}, "The number must be 20 or fewer"),
        ("carers_allowance", "about-you", "ni_number", {"answer": "123"},
         "Enter a National Insurance number in the correct format, like AB 12 34 56 C"),
        ("carers_allowance", "bank-account", "sort_code", {"answer": "12"}, "Enter a valid sort code like 30 94 98"),
        ("carers_allowance", "bank-account", "sort_code", {"answer": "12-34-56-78-90-12"},
         "Enter a valid sort code like 30 94 98"),
        ("carers_allowance", "bank-account", "account_number", {"answer": "abc"},
         "Enter a valid account number like 00733445"),
        ("carers_allowance", "about-you", "full_name", {"answer": ""}, "Enter your answer"),
        ("carers_allowance", "about-you", "full_name", {"answer": "   "}, "Enter your answer"),
        ("carers_allowance", "about-you", "address", {"answer": ""}, "Enter the address"),
        ("carers_allowance", "work-and-study", "full_time_education", {}, "Select yes or no"),
        ("carers_allowance", "cared-for", "cared_for_benefit", {"answer": "made-up"},
         "Select a valid choice. made-up is not one of the available choices."),
        # Was free text: copied into the profile when the person accepts the offer.
        ("carers_allowance", "about-you", "phone", {"answer": "<script>alert(1)</script>"},
         "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
        ("carers_allowance", "about-you", "phone", {"answer": "call me at work"},
         "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " not in v else None,
)  # fmt: skip
def test_nonsense_is_refused_with_a_linked_error_and_saves_nothing(
    citizen_client, citizen, code, section, slug, data, message
):
    claim = draft_claim(citizen, code)

    response = answer(citizen_client, claim, section, slug, data)

    assert_linked_error(response, message)
    assert response.context["form"].errors  # the page is the question again, not a redirect
    assert reload(claim).version == claim.version
    assert reload(claim).answers == {}


@pytest.mark.parametrize(
    ("section", "slug", "data", "stored"),
    [
        ("about-you", "date_of_birth", {"answer_day": "12", "answer_month": "4", "answer_year": "1980"}, "1980-04-12"),
        ("about-you", "ni_number", {"answer": "ab 12 34 56 c"}, "AB123456C"),
        ("about-you", "full_name", {"answer": "  Siân Ŵyn  "}, "Siân Ŵyn"),
        ("bank-account", "sort_code", {"answer": "30 94 98"}, "309498"),
        ("bank-account", "account_number", {"answer": "0073-3445"}, "00733445"),
        ("work-and-study", "weekly_earnings", {"answer": "150.5"}, "150.50"),
        ("cared-for", "caring_hours", {"answer": "0"}, 0),
        ("work-and-study", "full_time_education", {"answer": "yes"}, True),
        ("about-you", "phone", {"answer": " +44 (0)29 2018 0000 "}, "+44 (0)29 2018 0000"),
    ],
)  # fmt: skip
def test_a_valid_answer_is_saved_in_a_plain_form(
    citizen_client, citizen, section, slug, data, stored
):
    claim = draft_claim(citizen)

    response = answer(citizen_client, claim, section, slug, data)

    assert response.status_code == 302
    assert reload(claim).answers == {slug: stored}
    assert reload(claim).version == claim.version + 1


def test_valid_answers_go_to_the_next_question_then_the_section_summary(citizen_client, citizen):
    claim = draft_claim(citizen)
    steps = [
        ("cared_for_name", {"answer": "Bob Jones"}),
        ("cared_for_relationship", {"answer": "Father"}),
        ("cared_for_benefit", {"answer": "attendance_allowance"}),
        ("caring_hours", {"answer": "40"}),
    ]
    visited = []
    url = question_url(claim, "cared-for", "cared_for_name")
    for slug, data in steps:
        assert url == question_url(claim, "cared-for", slug)
        page = text(citizen_client.get(url))
        url = citizen_client.post(url, {"version": page_version(page), **data})["Location"]
        visited.append(slug)

    assert url == section_url(claim, "cared-for")
    assert reload(claim).answers == {
        "cared_for_name": "Bob Jones", "cared_for_relationship": "Father",
        "cared_for_benefit": "attendance_allowance", "caring_hours": 40,
    }  # fmt: skip


def test_a_partners_name_is_asked_only_after_saying_there_is_a_partner(citizen_client, citizen):
    claim = draft_claim(citizen, "universal_credit")
    partner_name = question_url(claim, "household", "partner_name")
    assert citizen_client.get(partner_name).status_code == 404
    single = answer(citizen_client, claim, "household", "has_partner", {"answer": "no"})
    assert single["Location"] == question_url(claim, "household", "children_count")
    assert citizen_client.get(partner_name).status_code == 404

    couple = answer(citizen_client, claim, "household", "has_partner", {"answer": "yes"})

    assert couple["Location"] == partner_name
    named = answer(citizen_client, claim, "household", "partner_name", {"answer": "Sam Jones"})
    assert named["Location"] == question_url(claim, "household", "children_count")


def test_partner_answers_are_left_out_when_there_is_no_longer_a_partner(citizen_client, citizen):
    claim = draft_claim(citizen, "universal_credit")
    answers = complete_answers("universal_credit")  # single
    answers.update(has_partner=True, partner_name="Sam Jones", partner_monthly_earnings="400.00")
    claim = applications.save_draft_answers(
        claim=claim, answers=answers, version=claim.version, by=citizen
    )
    claim = answer_what_the_rules_need(claim, citizen)
    check = text(citizen_client.get(check_url(claim)))
    assert "Sam Jones" in check

    changed = answer(
        citizen_client, claim, "household", "has_partner", {"answer": "no"}, **{"return": "check"}
    )
    assert changed["Location"] == check_url(claim)
    assert "Sam Jones" not in text(citizen_client.get(check_url(claim)))
    citizen_client.post(check_url(claim), {"declaration": "on"})

    sent = reload(claim)
    assert sent.status == ClaimStatus.SUBMITTED
    assert sent.answers["has_partner"] is False
    assert "partner_name" not in sent.answers
    assert "partner_monthly_earnings" not in sent.answers
    assert "_checked" not in sent.answers
    assert not any(f.startswith("partner.") for f in sent.answers.get("_more", {}))


def test_saying_there_is_a_partner_from_check_answers_asks_about_them_first(
    citizen_client, citizen
):
    claim = completed_draft(citizen, "universal_credit")

    response = answer(
        citizen_client, claim, "household", "has_partner", {"answer": "yes"}, **{"return": "check"}
    )

    assert (
        response["Location"] == question_url(claim, "household", "partner_name") + "?return=check"
    )
    named = answer(
        citizen_client,
        claim,
        "household",
        "partner_name",
        {"answer": "Sam Jones"},
        **{"return": "check"},
    )
    assert (
        named["Location"]
        == question_url(claim, "money", "partner_monthly_earnings") + "?return=check"
    )
    earned = answer(
        citizen_client,
        claim,
        "money",
        "partner_monthly_earnings",
        {"answer": "400"},
        **{"return": "check"},
    )
    assert earned["Location"] == check_url(claim)
    # The rules need the partner's date of birth, which no section asks: asked next.
    assert (
        citizen_client.get(check_url(claim))["Location"]
        == f"/claims/{claim.pk}/apply/more/partner.date_of_birth/"
    )
    answer_what_the_rules_need(reload(claim), citizen)
    assert citizen_client.get(check_url(claim)).status_code == 200


def test_a_question_that_does_not_exist_is_not_found(citizen_client, citizen):
    claim = draft_claim(citizen)

    assert (
        citizen_client.get(question_url(claim, "about-you", "no_such_question")).status_code == 404
    )
    assert (
        citizen_client.get(question_url(claim, "no-such-section", "full_name")).status_code == 404
    )
    assert citizen_client.get(section_url(claim, "no-such-section")).status_code == 404


def test_another_persons_draft_is_not_found(client, citizen, other_citizen):
    claim = draft_claim(citizen)
    client.force_login(other_citizen)

    for url in (
        task_url(claim), question_url(claim, "about-you", "full_name"),
        section_url(claim, "about-you"), evidence_url(claim), check_url(claim), sent_url(claim),
    ):  # fmt: skip
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"answer": "Mallory", "version": "1"}).status_code == 404, url
    assert reload(claim).answers == {}


# --- 5. Two tabs -----------------------------------------------------------------------------------


def test_a_save_from_an_older_tab_is_refused_clearly_and_keeps_what_was_typed(
    citizen_client, citizen
):
    claim = draft_claim(citizen)
    url = question_url(claim, "about-you", "full_name")
    old_tab = text(citizen_client.get(url))
    answer(citizen_client, claim, "about-you", "phone", {"answer": "07700 900123"})  # the other tab

    response = citizen_client.post(url, {"version": page_version(old_tab), "answer": "Alice Jones"})

    assert response.status_code == 200
    assert [m for _href, m in error_summary(response)] == [
        "These answers were changed in another window. Check them before you continue."
    ]
    assert 'name="answer" value="Alice Jones"' in text(response)
    assert page_version(text(response)) == str(reload(claim).version)
    assert reload(claim).answers == {"phone": "07700 900123"}
    # Sending it again from the refreshed page saves it, keeping the other tab's answer.
    again = citizen_client.post(
        url, {"version": page_version(text(response)), "answer": "Alice Jones"}
    )
    assert again.status_code == 302
    assert reload(claim).answers == {"phone": "07700 900123", "full_name": "Alice Jones"}


def test_marking_a_section_completed_from_an_older_tab_is_refused_clearly(citizen_client, citizen):
    claim = completed_draft(citizen)
    claim = applications.save_draft_answers(
        claim=claim, answers={"_checked": []}, version=claim.version, by=citizen
    )
    old_tab = text(citizen_client.get(section_url(claim, "about-you")))
    answer(
        citizen_client,
        claim,
        "about-you",
        "phone",
        {"answer": "07700 900999"},
        **{"return": "section"},
    )

    response = citizen_client.post(
        section_url(claim, "about-you"), {"version": page_version(old_tab)}, follow=True
    )

    assert "These answers were changed in another window" in text(response)
    assert reload(claim).answers["_checked"] == []


# --- 6. The session ends while typing ----------------------------------------------------------


def sign_in(client, user):
    client.get(LOGIN)
    return client.post(
        LOGIN,
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(client)},
    )


@pytest.fixture
def csrf_client(citizen):
    """Alice in a browser that sends CSRF tokens as real ones do, signed in by password."""
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, citizen).status_code == 302
    return client


def expire(client) -> None:
    set_session(client, **{LAST_ACTIVITY: time.time() - settings.SESSION_IDLE_TIMEOUT - 60})


def test_an_answer_posted_after_the_session_ended_is_kept_for_after_signing_in(
    csrf_client, citizen
):
    claim = draft_claim(citizen)
    url = question_url(claim, "about-you", "full_name")
    page = text(csrf_client.get(url))
    expire(csrf_client)

    response = csrf_client.post(
        url,
        {
            "csrfmiddlewaretoken": csrf_token(csrf_client),
            "version": page_version(page),
            "answer": "Alice Jones",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url.replace('/', '%2F')}"
    assert reload(claim).answers == {}
    assert csrf_client.get(task_url(claim))["Location"].startswith(LOGIN)  # signed out for real
    signed_in = sign_in(csrf_client, citizen)
    back = csrf_client.get(url)
    page = text(back)
    assert back.status_code == 200
    assert "We kept the answer you typed before you were signed out." in page
    assert 'name="answer" value="Alice Jones"' in page
    saved = csrf_client.post(
        url,
        {
            "csrfmiddlewaretoken": csrf_token(csrf_client),
            "version": page_version(page),
            "answer": "Alice Jones",
        },
    )
    assert signed_in.status_code == 302
    assert saved.status_code == 302
    assert reload(claim).answers == {"full_name": "Alice Jones"}
    assert "We kept the answer" not in text(csrf_client.get(url))  # shown once


def test_signing_in_again_returns_to_the_question(csrf_client, citizen):
    claim = draft_claim(citizen)
    url = question_url(claim, "about-you", "full_name")
    page = text(csrf_client.get(url))
    expire(csrf_client)
    login = csrf_client.post(
        url,
        {
            "csrfmiddlewaretoken": csrf_token(csrf_client),
            "version": page_version(page),
            "answer": "Alice",
        },
    )["Location"]

    csrf_client.get(login)
    response = csrf_client.post(
        login,
        {
            "login": citizen.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(csrf_client),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url


def test_a_forged_post_after_the_session_ended_keeps_nothing(csrf_client, citizen):
    claim = draft_claim(citizen)
    url = question_url(claim, "about-you", "full_name")
    page = text(csrf_client.get(url))
    expire(csrf_client)

    response = csrf_client.post(url, {"version": page_version(page), "answer": "Mallory"})

    # Signed out and sent to sign in, but not told anything was kept, nor sent back here.
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    sign_in(csrf_client, citizen)
    after = text(csrf_client.get(url))
    assert "We kept the answer" not in after
    assert "Mallory" not in after
    assert reload(claim).answers == {}


def test_an_answer_posted_when_already_signed_out_is_kept_too(citizen):
    claim = draft_claim(citizen)
    url = question_url(claim, "about-you", "full_name")
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)  # a page from before, in another tab, left a CSRF cookie

    response = client.post(
        url, {"csrfmiddlewaretoken": csrf_token(client), "version": "1", "answer": "Alice Jones"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url.replace('/', '%2F')}"
    sign_in(client, citizen)
    page = text(client.get(url))
    assert "We kept the answer you typed before you were signed out." in page
    assert 'name="answer" value="Alice Jones"' in page


def test_a_forged_post_while_signed_out_keeps_nothing(citizen):
    claim = draft_claim(citizen)
    url = question_url(claim, "about-you", "full_name")
    client = Client(enforce_csrf_checks=True)

    response = client.post(url, {"version": "1", "answer": "Mallory"})

    assert response.status_code == 403
    client.force_login(citizen)
    assert "Mallory" not in text(client.get(url))


# --- 7. Check your answers and send ------------------------------------------------------------


def test_check_answers_shows_every_answer_with_a_change_link_back_to_it(citizen_client, citizen):
    claim = completed_draft(citizen)

    rows = summary_rows(citizen_client.get(check_url(claim)))

    questions = [q for s in sections_for("carers_allowance") for q in s.relevant(claim.answers)]
    assert [q for q, *_ in rows] == [str(q.title) for q in questions]
    for (_q, value, href, action), question in zip(rows, questions, strict=True):
        assert value == plain(
            engine.display(question, claim.answers[question.slug]).replace("\n", " ")
        )
        assert action == "Change"
        assert href.endswith("?return=check")
    change = next(
        href for q, _v, href, _a in rows if q == "What is your National Insurance number?"
    )
    page = text(citizen_client.get(change))
    assert 'name="return" value="check"' in page
    response = citizen_client.post(
        change, {"version": page_version(page), "return": "check", "answer": "AB123456C"}
    )
    assert response["Location"] == check_url(claim)
    # Shown by its ending only, as everywhere.
    assert ("What is your National Insurance number?", "Ending 56 C") in [
        r[:2] for r in summary_rows(citizen_client.get(check_url(claim)))
    ]


def test_sending_without_the_declaration_shows_a_linked_error(citizen_client, citizen):
    claim = completed_draft(citizen)

    response = citizen_client.post(check_url(claim), {})

    assert_linked_error(response, "Confirm that the information you have given is correct")
    assert reload(claim).status == ClaimStatus.DRAFT
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_sending_gives_a_reference_a_timescale_and_a_receipt(citizen_client, citizen):
    claim = completed_draft(citizen)

    response = citizen_client.post(check_url(claim), {"declaration": "on"})

    assert response.status_code == 302
    assert response["Location"] == sent_url(claim)
    sent = reload(claim)
    page = plain(text(citizen_client.get(sent_url(claim))))
    assert sent.status == ClaimStatus.SUBMITTED
    assert REFERENCE.fullmatch(sent.reference)
    assert sent.reference in page
    early, late = expected_decision(sent)
    assert f"We expect to decide between {early:%-d %B %Y} and {late:%-d %B %Y}." in page
    assert sent.submitted_at.date() <= early <= late
    assert "We aim to decide within 20 working days." in page
    assert sent.answers_sha256 == applications.answers_checksum(sent.answers)
    assert sent.answers_sha256 in page
    assert (
        ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.SUBMITTED, by=citizen).count()
        == 1
    )
    notification = Notification.objects.get(customer=citizen.customer)
    assert notification.title == "We have your Carer's Allowance application"
    assert notification.link == reverse("claims:detail", args=[claim.pk])


def test_sending_twice_creates_one_claim_and_shows_the_same_receipt(citizen_client, citizen):
    claim = completed_draft(citizen)
    first = citizen_client.post(check_url(claim), {"declaration": "on"})
    reference = reload(claim).reference

    second = citizen_client.post(
        check_url(claim), {"declaration": "on"}
    )  # double click, second tab
    back_button = citizen_client.get(check_url(claim))

    assert first["Location"] == second["Location"] == back_button["Location"] == sent_url(claim)
    assert Claim.objects.count() == 1
    assert reload(claim).reference == reference
    assert ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.SUBMITTED).count() == 1
    assert Notification.objects.filter(customer=citizen.customer).count() == 1
    # The sent application cannot be edited through its draft pages.
    edit = citizen_client.post(
        question_url(claim, "about-you", "full_name"),
        {"version": str(reload(claim).version), "answer": "X"},
    )
    assert edit["Location"] == reverse("claims:detail", args=[claim.pk])
    assert reload(claim).answers["full_name"] == "Alice Example"


def test_an_incomplete_drafts_check_page_sends_you_to_the_task_list(citizen_client, citizen):
    claim = draft_claim(citizen)

    response = citizen_client.get(check_url(claim))
    posted = citizen_client.post(check_url(claim), {"declaration": "on"})

    assert response.status_code == 302
    assert response["Location"] == task_url(claim)
    assert posted["Location"] == task_url(claim)
    assert reload(claim).status == ClaimStatus.DRAFT
    assert "Complete every section before you send your application." in text(
        citizen_client.get(task_url(claim))
    )


def test_the_sent_page_of_a_draft_goes_back_to_the_task_list(citizen_client, citizen):
    claim = draft_claim(citizen)

    response = citizen_client.get(sent_url(claim))

    assert response["Location"] == task_url(claim)


# --- 8. Evidence while the application is a draft ---------------------------------------------

KIND = "Payslips if you work"


def upload_evidence(
    client,
    claim,
    name: str,
    content: bytes,
    kind: str = KIND,
    content_type="application/octet-stream",
):
    return client.post(
        evidence_url(claim),
        {"evidence_kind": kind, "document": SimpleUploadedFile(name, content, content_type)},
    )


def test_an_uploaded_png_is_listed_with_its_receipt(citizen_client, citizen):
    claim = draft_claim(citizen)
    content = png_bytes()

    response = upload_evidence(
        citizen_client, claim, "payslip.png", content, content_type="image/png"
    )

    assert response.status_code == 302
    assert response["Location"] == evidence_url(claim)
    document = Document.objects.get(claim=claim)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.state == DocumentState.RECEIVED
    assert document.evidence_kind == KIND
    page = plain(text(citizen_client.get(evidence_url(claim))))
    assert "payslip.png has been uploaded." in page
    assert f"payslip.png {KIND}" in page
    assert f"SHA-256 checksum: {document.sha256}" in page
    assert "Received" in page
    assert "1 document added" in plain(text(citizen_client.get(task_url(claim))))
    assert "payslip.png" in plain(text(citizen_client.get(check_url(completed_draft(citizen)))))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Tystysgrif geni Siân ŵyr.pdf", pdf_bytes()),
        ("شهادة.png", png_bytes()),
        ("📄 slip.png", png_bytes()),
    ],
)
def test_file_names_in_any_language_are_kept_intact(citizen_client, citizen, name, content):
    claim = draft_claim(citizen)

    response = upload_evidence(citizen_client, claim, name, content)

    assert response.status_code == 302, error_summary(response)
    assert Document.objects.get(claim=claim).original_name == name
    page = htmllib.unescape(text(citizen_client.get(evidence_url(claim))))
    assert f"{name} has been uploaded." in page
    assert f">{name}</a>" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"Just some notes\n", "The selected file must be a PDF, JPG or PNG"),
        ("payslip.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
         "The selected file must be a PDF, JPG or PNG"),
        ("payslip.pdf", png_bytes(), "The selected file is a PNG but its name ends in .pdf. Rename it or choose another file"),
        ("empty.png", b"", "The selected file is empty"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_BYTES + 1 - 9), "The selected file must be smaller than 10MB"),
    ],
    ids=["text", "exe-named-pdf", "png-named-pdf", "empty", "10mb-plus-1-byte"],
)  # fmt: skip
def test_an_unacceptable_file_is_refused_clearly_and_nothing_is_kept(
    citizen_client, citizen, name, content, message
):
    claim = draft_claim(citizen)
    before = files_under(settings.PRIVATE_FILES_ROOT)

    response = upload_evidence(citizen_client, claim, name, content)

    assert_linked_error(response, message)
    assert error_summary(response)[0][0] == "#id_document"
    assert 'id="id_document"' in text(response)
    assert select(response, f'input[value="{KIND}"][checked]')
    assert not Document.objects.exists()
    assert files_under(settings.PRIVATE_FILES_ROOT) == before
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_no_file_chosen_is_a_linked_error(citizen_client, citizen):
    claim = draft_claim(citizen)

    response = citizen_client.post(evidence_url(claim), {"evidence_kind": KIND})

    assert_linked_error(response, "Select a file")
    assert not Document.objects.exists()


def test_an_uploaded_file_is_kept_privately_under_a_name_of_our_own(citizen_client, citizen):
    claim = draft_claim(citizen)

    upload_evidence(citizen_client, claim, "payslip.png", png_bytes())

    document = Document.objects.get()
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_FILES_ROOT).resolve())
    assert stored.read_bytes() == png_bytes()
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    if settings.MEDIA_ROOT:
        assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "payslip" not in stored.name
    assert re.fullmatch(r"[0-9a-f]{32}\.png", stored.name)


# --- 9. CSRF on every form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    ["start", "question", "section", "evidence", "check"],
)
def test_every_apply_form_refuses_a_post_without_a_csrf_token(citizen, endpoint):
    claim = completed_draft(citizen)
    url = {
        "start": start_url("carers_allowance"),
        "question": question_url(claim, "about-you", "full_name"),
        "section": section_url(claim, "about-you"),
        "evidence": evidence_url(claim),
        "check": check_url(claim),
    }[endpoint]
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.get(url)  # the browser has the cookie, the forger's page has no token

    response = client.post(
        url,
        {
            "answer": "Mallory",
            "version": str(claim.version),
            "declaration": "on",
            "evidence_kind": KIND,
        },
    )

    assert response.status_code == 403
    assert reload(claim).answers == claim.answers
    assert reload(claim).status == ClaimStatus.DRAFT


# --- 10. Queries --------------------------------------------------------------------------------


def test_the_task_list_and_a_question_page_run_a_bounded_number_of_queries(
    citizen_client, citizen, django_assert_max_num_queries
):
    claim = completed_draft(citizen, "universal_credit")
    pages = [
        task_url(claim),
        question_url(claim, "household", "children_count"),
        evidence_url(claim),
        check_url(claim),
    ]
    citizen_client.get(task_url(claim))  # warm the session
    claim_documents.add_document(
        claim=claim,
        by=citizen,
        uploaded=SimpleUploadedFile("p.png", png_bytes()),
        evidence_kind=KIND,
    )
    counts = {}
    for url in pages:
        # Check your answers also asks the rules what they still need: the record's facts
        # and household, two queries more than the other pages.
        with django_assert_max_num_queries(14) as captured:
            assert citizen_client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)

    for i in range(5):
        claim_documents.add_document(
            claim=claim,
            by=citizen,
            uploaded=SimpleUploadedFile(f"p{i}.png", png_bytes()),
            evidence_kind=KIND,
        )

    for url in pages:  # more documents, not more queries
        with django_assert_max_num_queries(counts[url]):
            assert citizen_client.get(url).status_code == 200


def test_a_missing_or_nonsense_draft_version_is_a_bad_request_and_saves_nothing(
    citizen_client, citizen
):
    claim = completed_draft(citizen)
    url = question_url(claim, "about-you", "full_name")
    page = text(citizen_client.get(url))
    answers = reload(claim).answers

    for version in (None, "", "abc", "0", "-3", "1.5"):
        posted = {} if version is None else {"version": version}
        assert citizen_client.post(url, {"answer": "Al", **posted}).status_code == 400, version
        section = citizen_client.post(section_url(claim, "about-you"), posted)
        assert section.status_code == 400, version

    assert reload(claim).answers == answers
    good = citizen_client.post(url, {"version": page_version(page), "answer": "Alice Jones"})
    assert good.status_code == 302
    assert reload(claim).answers["full_name"] == "Alice Jones"
