"""Citizen wording, read off the real surfaces: pages through the test client, the decision
letter's PDF text, and the emails in ``mail.outbox``.

Decisions are decisions (an estimate only on the screener and for benefits not claimed);
no rule codes for citizens; money never as "£-170.50"; times and counts in plain words;
greetings never "Dear ,"; the NI number hint is a number the form accepts.
"""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from unittest import mock

import pypdf
import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from accounts.forms import PersonalDetailsForm
from accounts.models import validate_nino
from accounts.services import create_customer
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.claims.apply.questions import sections_for
from benefits.models import ClaimStatus
from benefits.rules.base import gbp, gbp_item
from notifications import services as notification_services
from notifications.models import Channel, Delivery
from tests.benefits.test_claim_services import eligible_carers_claim
from tests.benefits.test_screener import (
    RESULTS,
    SINGLE_30_RENTING,
    answer_screener,
    card,
    card_element,
    question_url,
    submit,
)
from tests.claim_factory import complete_answers, draft_claim, sent_claim
from tests.helpers import texts

pytestmark = pytest.mark.django_db

NINO_EXAMPLE = re.compile(r"\b[A-Z]{2} \d{2} \d{2} \d{2} [A-D]\b")
MINUS_BEFORE_DIGIT = re.compile(r"£\s*[-−]|[-−]\s*£")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def letter_text(client, claim, decision) -> str:
    response = client.get(reverse("claims:decision_letter", args=[claim.pk, decision.pk]))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def jsa_claim_the_rules_award(user):
    """A New Style JSA claim the rules award: paid NI, free to work, not working."""
    draft = draft_claim(user, "jsa")
    answers = {
        **complete_answers("jsa"),
        "paid_ni": True, "available_for_work": True, "weekly_hours_worked": 0,
        "illness_prevents_work": False, "full_time_education": False,
        "date_of_birth": "1980-04-12",
    }  # fmt: skip
    draft = applications.save_draft_answers(
        claim=draft, answers=answers, version=draft.version, by=user
    )
    claim = applications.submit_claim(claim=draft, by=user)
    return lifecycle.transition(claim=claim, to=ClaimStatus.IN_REVIEW, by=None)


# --- Decisions are decisions, not estimates ----------------------------------------------------


def test_a_decision_the_rules_worked_out_never_calls_itself_an_estimate(
    citizen_client, citizen, caseworker
):
    claim = jsa_claim_the_rules_award(citizen)
    assert claim_decisions.assess_claim(claim=claim).caveats  # the estimate's caveats exist…
    decision = claim_decisions.award_claim(claim=claim, by=caseworker)

    detail = page(citizen_client.get(reverse("claims:detail", args=[claim.pk])))
    statement = page(citizen_client.get(reverse("claims:statement", args=[claim.pk, 1])))
    letter = letter_text(citizen_client, claim, decision)

    # …but the decision, its statement and its letter do not carry them.
    for surface in (detail, statement, letter, decision.reasons):
        assert "estimate" not in surface.lower()
    assert "You will get New Style Jobseeker" in letter
    assert decision.reasons.splitlines()[0] in detail


def test_the_screener_still_says_its_amounts_are_estimates_and_what_they_leave_out(client):
    answer_screener(client, SINGLE_30_RENTING)

    results = client.get(RESULTS).content.decode()
    uc = card(results, "universal_credit")

    # The page says these are estimates; the rules' lines are plain, so a decision can use them.
    assert "Estimates use the rates in force on" in uc_page(client)
    lines = texts(card_element(results, "universal_credit"), "li")
    assert any(re.fullmatch(r"Universal Credit: £[\d,.]+ a month", line) for line in lines)
    assert "Estimated Universal Credit" not in uc
    # What an estimate leaves out is still said, here.
    assert "Not included: help with housing costs" in uc


def uc_page(client) -> str:
    return page(client.get(RESULTS))


# --- No rule codes for citizens; staff still see them ------------------------------------------


def test_citizen_statement_pages_show_the_law_but_never_the_rules_parameter_names(
    citizen_client, citizen, caseworker, client
):
    claim = eligible_carers_claim(citizen)
    claim_decisions.award_claim(claim=claim, by=caseworker)
    elements = claim.statements.get().elements
    codes = {code.strip() for e in elements for code in e["rate"].split(",") if code.strip()}
    assert "ca.weekly_rate" in codes

    detail = page(citizen_client.get(reverse("claims:detail", args=[claim.pk])))
    statement = page(citizen_client.get(reverse("claims:statement", args=[claim.pk, 1])))

    for surface in (detail, statement):
        assert elements[0]["rule"] in surface
        for code in codes:
            assert code not in surface
        assert "<code>" not in surface


def test_the_caseworkers_proposal_lists_the_rates_the_rules_used(citizen, caseworker, client):
    from tests.conftest import sign_in_with_mfa

    claim = eligible_carers_claim(citizen)
    sign_in_with_mfa(client, caseworker)

    admin = page(client.get(f"/admin/benefits/claim/{claim.pk}/change/"))

    assert "<code>ca.weekly_rate</code>" in admin


# --- Money: deductions in words, never "£-" ----------------------------------------------------


def test_an_amount_taken_off_reads_as_taken_off_on_the_statement_and_in_the_letter(
    citizen_client, citizen, caseworker
):
    claim = eligible_carers_claim(citizen)
    rules_amount = claim_decisions.assess_claim(claim=claim).amount
    decision = claim_decisions.award_claim(
        claim=claim, by=caseworker, amount=Decimal("50.00"),
        adjustment_reason="Part of the week was already paid",
    )  # fmt: skip
    cut = gbp(rules_amount - Decimal("50.00"))

    statement = page(citizen_client.get(reverse("claims:statement", args=[claim.pk, 1])))
    letter = letter_text(citizen_client, claim, decision)

    assert f"{cut} taken off" in statement
    assert f"{cut} a week taken off" in letter
    for surface in (statement, letter):
        assert not MINUS_BEFORE_DIGIT.search(surface), MINUS_BEFORE_DIGIT.search(surface)


def test_the_screeners_working_says_what_is_taken_off_without_minus_signs(client):
    answer_screener(client, {**SINGLE_30_RENTING, "claimant.monthly_earnings": "600"})

    uc = card(client.get(RESULTS).content.decode(), "universal_credit")

    assert "Earnings of £600 a month: 55% of them is taken off: £330 a month" in uc
    assert not MINUS_BEFORE_DIGIT.search(uc), MINUS_BEFORE_DIGIT.search(uc)


@pytest.mark.parametrize(
    ("amount", "per", "shown"),
    [
        (Decimal("-170.50"), "", "£170.50 taken off"),
        (Decimal("-170.50"), "a month", "£170.50 a month taken off"),
        (Decimal("1234.5"), "a week", "£1,234.50 a week"),
        (Decimal("0"), "", "£0"),
    ],
)
def test_itemised_amounts_are_worded_not_signed(amount, per, shown):
    assert gbp_item(amount, per) == shown
    assert "£-" not in gbp(amount)


# --- Times and counts --------------------------------------------------------------------------


def test_a_sent_application_gives_the_time_once_with_one_full_stop(citizen_client, citizen):
    at = datetime(2026, 3, 4, 22, 24, tzinfo=UTC)  # 10:24pm in London (GMT in March)
    with mock.patch("django.utils.timezone.now", return_value=at):
        claim = sent_claim(citizen)

    sent = page(citizen_client.get(reverse("claims:sent", args=[claim.pk])))
    detail = page(citizen_client.get(reverse("claims:detail", args=[claim.pk])))

    assert "application on 4 March 2026 at 10:24pm." in sent
    assert "Sent on 4 March 2026 at 10:24pm." in detail
    for surface in (sent, detail):
        assert "p.m." not in surface
        assert "pm.." not in surface


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (time(9, 0), "9am"),
        (time(21, 5), "9:05pm"),
        (time(0, 0), "midnight"),
        (time(12, 0), "midday"),
    ],
)
def test_times_of_day_are_written_the_gov_uk_way(value, shown):
    rendered = Template("{% load portal_tags %}{{ t|clock }}").render(Context({"t": value}))
    assert rendered == shown


def test_one_hour_of_caring_is_one_hour_not_one_hours(client):
    answer_screener(
        client,
        {**SINGLE_30_RENTING, "claimant.caring_hours": "1"},
    )
    carers = card(client.get(RESULTS).content.decode(), "carers_allowance")

    assert "You care for 1 hour a week." in carers
    assert "1 hours" not in carers


def test_quiet_hours_come_back_as_the_person_typed_them(citizen_client, citizen):
    url = reverse("notifications:preferences")
    saved = citizen_client.post(url, {"quiet_from": "21:00", "quiet_until": "08:00"})
    assert saved.status_code == 302

    form = page(citizen_client.get(url))

    assert 'value="21:00"' in form
    assert 'value="08:00"' in form
    assert "21:00:00" not in form


def test_an_amount_given_before_is_prefilled_without_a_trailing_zero(client):
    answer_screener(client, {**SINGLE_30_RENTING, "claimant.monthly_earnings": "600"})
    whole = page(client.get(question_url("claimant.monthly_earnings", change=True)))
    changed = submit(
        client, question_url("claimant.monthly_earnings", change=True), {"answer": "600.5"}
    )
    assert changed.status_code == 302
    with_pence = page(client.get(question_url("claimant.monthly_earnings", change=True)))

    assert 'value="600"' in whole
    assert "600.0" not in whole
    assert 'value="600.50"' in with_pence


# --- Greetings ---------------------------------------------------------------------------------


def email_to(customer) -> mail.EmailMessage:
    mail.outbox.clear()
    notification = notification_services.notify(
        customer=customer, kind="status", title="Your claim has moved on"
    )
    delivery = Delivery.objects.get(notification=notification, channel=Channel.EMAIL)
    notification_services.deliver(delivery.pk)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.mark.parametrize(
    ("given", "preferred", "greeting"),
    [("Dee", "", "Dear Dee,"), ("Deirdre", "Dee", "Dear Dee,"), ("", "", "Hello,")],
)
def test_emails_greet_the_person_by_name_or_say_hello(given, preferred, greeting):
    customer = create_customer(
        by=None, legal_given_names=given, legal_family_name="", preferred_name=preferred,
        email="dee@example.org", contact_channels=["email"],
    )  # fmt: skip

    message = email_to(customer)
    html_body = html.unescape(message.alternatives[0][0])

    assert message.body.startswith(greeting)
    assert f"<p>{greeting}</p>" in html_body
    for body in (message.body, html_body):
        assert "Dear ," not in body


def test_a_letter_to_someone_whose_name_we_do_not_have_says_hello(
    citizen_client, citizen, caseworker
):
    claim = eligible_carers_claim(citizen)
    decision = claim_decisions.award_claim(claim=claim, by=caseworker)
    assert citizen.customer.full_name == ""

    letter = letter_text(citizen_client, claim, decision)

    assert "Hello," in letter
    assert "Dear" not in letter


def test_a_letter_greets_the_person_by_name(citizen_client, citizen, caseworker):
    from accounts.services import update_personal_details

    update_personal_details(
        customer=citizen.customer, by=citizen, legal_given_names="Alice",
        legal_family_name="Jones", preferred_name="", date_of_birth=date(1980, 4, 12),
        ni_number="",
    )  # fmt: skip
    claim = eligible_carers_claim(citizen)
    decision = claim_decisions.award_claim(claim=claim, by=caseworker)

    assert "Dear Alice Jones," in letter_text(citizen_client, claim, decision)


# --- The NI number hint is a number we accept --------------------------------------------------


def nino_hints() -> list[str]:
    from django.core.exceptions import ValidationError

    question = next(
        q for s in sections_for("carers_allowance") for q in s.questions if q.kind == "nino"
    )
    try:
        validate_nino("not a number")
    except ValidationError as exc:
        message = exc.messages[0]
    return [
        str(PersonalDetailsForm.base_fields["ni_number"].help_text),
        str(question.hint),
        message,
    ]


@pytest.mark.parametrize("hint", nino_hints())
def test_every_ni_number_example_we_show_is_one_we_accept(hint):
    examples = NINO_EXAMPLE.findall(hint)
    assert examples, hint
    for example in examples:
        validate_nino(example)  # raises if the example would be refused


def test_typing_the_hints_example_on_the_application_is_accepted(citizen_client, citizen):
    claim = draft_claim(citizen)
    url = reverse("claims:apply_question", args=[claim.pk, "about-you", "ni_number"])
    form = page(citizen_client.get(url))
    example = NINO_EXAMPLE.search(form)[0]
    version = re.search(r'name="version" value="(\d+)"', form)[1]

    response = citizen_client.post(url, {"version": version, "answer": example})

    assert response.status_code == 302, page(response)
    claim.refresh_from_db()
    assert claim.answers["ni_number"] == example.replace(" ", "")
