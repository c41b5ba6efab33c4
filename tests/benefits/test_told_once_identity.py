"""Asked twice, no more: the name, NI number, date of birth, address, phone and bank
account an application gives are told once.

Through the pages a person uses (test client, no JavaScript): apply for Carer's Allowance
typing everything, confirm "Update your profile with these details?", then apply for
Universal Credit and find none of it asked again ("We already have this"), the NI number
and bank account shown only by their ending on every page (and on the caseworker's claim
page), the email greeting the person by name, and changing the NI number or bank account
asking for the password again first.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services as account_services
from accounts.models import BankAccount, FactKind
from benefits.claims.apply.questions import sections_for
from benefits.models import Claim, ClaimStatus
from notifications import services as notification_services
from notifications.models import Channel, Delivery
from tests.conftest import PASSWORD, sign_in_with_mfa
from tests.helpers import input_value, one, select, send_queued_emails, text_of

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<[^>]+>")
QUESTION = re.compile(r"/claims/\d+/apply/([a-z0-9-]+)/([a-z0-9_]+)/$")
SECTION = re.compile(r"/claims/\d+/apply/([a-z0-9-]+)/$")

# What Alice types in her first application, by question.
TYPED = {
    "full_name": {"answer": "Alice Mary Jones"},
    "date_of_birth": {"answer_day": "12", "answer_month": "4", "answer_year": "1980"},
    "ni_number": {"answer": "JT 48 21 93 D"},
    "address": {"answer": "1 High Street\nCardiff\nCF10 1AA"},
    "phone": {"answer": "07700 900123"},
    "cared_for_name": {"answer": "Bob Jones"},
    "cared_for_relationship": {"answer": "Father"},
    "cared_for_benefit": {"answer": "attendance_allowance"},
    "caring_hours": {"answer": "40"},
    "weekly_earnings": {"answer": "0"},
    "full_time_education": {"answer": "no"},
    "account_name": {"answer": "Alice Jones"},
    "sort_code": {"answer": "60-83-71"},
    "account_number": {"answer": "31926819"},
    # Universal Credit's own questions.
    "has_partner": {"answer": "no"},
    "children_count": {"answer": "0"},
    "housing": {"answer": "rent_private"},
    "monthly_rent": {"answer": "650"},
    "others_18_or_over": {"answer": "no"},
    "monthly_earnings": {"answer": "0"},
    "capital": {"answer": "500"},
    "health_stops_work": {"answer": "no"},
}
TOLD_ONCE = {
    "full_name", "date_of_birth", "ni_number", "address", "phone",
    "account_name", "sort_code", "account_number",
}  # fmt: skip
# The full numbers, in every way they could be written: never in a page's HTML.
FULL_NUMBERS = (
    "JT482193D", "JT 48 21 93 D", "608371", "60 83 71", "60-83-71", "31926819",
)  # fmt: skip


def text(response) -> str:
    return response.content.decode()


def plain(fragment: str) -> str:
    return " ".join(htmllib.unescape(TAGS.sub(" ", fragment)).split())


def version(page: str) -> str:
    return input_value(page, "version")


def summary_rows(page: str) -> dict[str, str]:
    """Question -> answer, for each row of the page's summary list."""
    return {
        text_of(one(row, "dt.govuk-summary-list__key")): text_of(
            one(row, "dd.govuk-summary-list__value")
        )
        for row in select(page, ".govuk-summary-list__row")
    }


def assert_no_full_numbers(page: str, where: str = "") -> None:
    for number in FULL_NUMBERS:
        assert number not in page, f"{number} appears in {where or 'the page'}"


class Applicant:
    """Alice's browser: every page she is shown is kept, to check for full numbers."""

    def __init__(self, client, user) -> None:
        self.client, self.user = client, user
        self.pages: list[tuple[str, str]] = []

    def get(self, url: str):
        response = self.client.get(url)
        if response.status_code == 200:
            self.pages.append((url, text(response)))
        return response

    def post(self, url: str, data: dict):
        response = self.client.post(url, data)
        if response.status_code == 200:
            self.pages.append((url, text(response)))
        return response

    def apply(self, code: str) -> tuple[Claim, list[str]]:
        """Go through every section from the task list, answering what is asked and
        confirming each section's summary; return the claim and the questions asked."""
        self.post(reverse("claims:apply_start", args=[code]), {})
        claim = Claim.objects.get(
            customer__user=self.user, benefit__code=code,
            status=ClaimStatus.DRAFT,
        )  # fmt: skip
        asked: list[str] = []
        task_list = reverse("claims:apply", args=[claim.pk])
        for section in sections_for(code):
            page = text(self.get(task_list))
            prefix = f"/claims/{claim.pk}/apply/{section.slug}/"
            url = select(page, f'a[href^="{prefix}"]')[0].get("href")
            while found := QUESTION.search(url):
                asked.append(found[2])
                form = text(self.get(url))
                response = self.post(url, {"version": version(form), **TYPED[found[2]]})
                assert response.status_code == 302, (found[2], plain(text(response))[:400])
                url = response["Location"]
            assert SECTION.search(url), url
            summary = text(self.get(url))
            done = self.post(url, {"version": version(summary)})
            assert done["Location"] == task_list
        return claim, asked

    def send(self, claim: Claim):
        check = reverse("claims:apply_check", args=[claim.pk])
        assert self.get(check).status_code == 200
        sent = self.post(check, {"declaration": "on"})
        assert sent["Location"] == reverse("claims:sent", args=[claim.pk])
        return self.get(sent["Location"])


@pytest.fixture
def alice(client, citizen):
    client.force_login(citizen)
    return Applicant(client, citizen)


def sent_carers_allowance(alice: Applicant, *, update: bool = True) -> Claim:
    claim, _asked = alice.apply("carers_allowance")
    sent = alice.send(claim)
    assert "Update your profile with these details?" in text(sent)
    if update:
        response = alice.post(reverse("claims:sent", args=[claim.pk]), {"update": "yes"})
        assert response.status_code == 302
    return claim


def email_greeting(customer) -> str:
    mail.outbox.clear()
    notification = notification_services.notify(
        customer=customer, kind="status", title="Your claim has moved on"
    )
    delivery = Delivery.objects.get(notification=notification, channel=Channel.EMAIL)
    notification_services.deliver(delivery.pk)
    return mail.outbox[0].body.splitlines()[0]


def reauthenticate(client, response) -> None:
    """The page asked for the password again: give it."""
    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})


# --- The journey ---------------------------------------------------------------------------------


def test_a_second_application_asks_nothing_the_first_one_was_told(alice, citizen, caseworker):
    assert email_greeting(citizen.customer) == "Hello,"  # no name yet: never "Dear ,"

    first, asked_first = alice.apply("carers_allowance")
    assert set(asked_first) >= TOLD_ONCE
    sent = alice.send(first)

    # Offered, not written: the profile is unchanged until Alice confirms.
    page = plain(text(sent))
    assert "Update your profile with these details?" in page
    assert "Alice Mary Jones" in page
    assert "Ending 93 D" in page
    citizen.customer.refresh_from_db()
    assert citizen.customer.full_name == ""
    confirmed = alice.post(reverse("claims:sent", args=[first.pk]), {"update": "yes"})
    assert confirmed["Location"] == reverse("claims:sent", args=[first.pk])
    after = alice.get(confirmed["Location"])
    assert "Update your profile with these details?" not in text(after)
    assert "Your profile has been updated." in plain(text(after))

    customer = citizen.customer
    customer.refresh_from_db()
    assert (customer.legal_given_names, customer.legal_family_name) == ("Alice Mary", "Jones")
    assert customer.date_of_birth == date(1980, 4, 12)
    assert customer.ni_number == "JT482193D"
    assert (customer.address_line_1, customer.town, customer.postcode) == (
        "1 High Street", "Cardiff", "CF10 1AA",
    )  # fmt: skip
    assert customer.phone == "07700 900123"
    bank = BankAccount.objects.get(customer=customer)
    assert (bank.account_name, bank.sort_code, bank.account_number) == (
        "Alice Jones", "608371", "31926819",
    )  # fmt: skip
    # Emails now greet her by name.
    assert email_greeting(customer) == "Dear Alice Mary,"

    second, asked_second = alice.apply("universal_credit")

    assert not TOLD_ONCE & set(asked_second), asked_second
    assert "housing" in asked_second  # what Universal Credit needs and was not told is asked
    about_you = text(alice.get(reverse("claims:apply_section", args=[second.pk, "about-you"])))
    bank_rows = text(alice.get(reverse("claims:apply_section", args=[second.pk, "bank-account"])))
    rows = summary_rows(about_you) | summary_rows(bank_rows)
    assert rows == {
        "What is your full name?": "We already have this Alice Mary Jones",
        "What is your date of birth?": "We already have this 12 April 1980",
        "What is your National Insurance number?": "We already have this Ending 93 D",
        "What is your address?": "We already have this 1 High Street Cardiff CF10 1AA",
        "What phone number can we call you on?": "We already have this 07700 900123",
        "What is the name on the account?": "We already have this Alice Jones",
        "What is the sort code?": "We already have this Ending 71",
        "What is the account number?": "We already have this Ending 6819",
    }
    check = plain(text(alice.get(reverse("claims:apply_check", args=[second.pk]))))
    assert "We already have this Ending 6819" in check
    alice.send(second)
    alice.get(reverse("claims:detail", args=[second.pk]))
    alice.get(reverse("accounts:profile"))

    for url, page in alice.pages:
        assert_no_full_numbers(page, url)
    profile = plain(alice.pages[-1][1])
    assert "Ending 93 D" in profile
    assert "Ending 71" in profile
    assert "Ending 6819" in profile

    # The caseworker sees the same endings, never the numbers.
    alice.client.logout()
    sign_in_with_mfa(alice.client, caseworker)
    claim_page = text(alice.client.get(f"/admin/benefits/claim/{second.pk}/change/"))
    customers = text(alice.client.get("/admin/accounts/customer/"))
    assert "Ending 6819" in claim_page
    assert "Ending 93 D" in claim_page
    assert "ending 93 D" in customers
    assert_no_full_numbers(claim_page, "the admin claim page")
    assert_no_full_numbers(customers, "the admin customer list")


def test_sections_we_already_have_are_confirmed_in_one_step(alice):
    sent_carers_allowance(alice)
    alice.post(reverse("claims:apply_start", args=["universal_credit"]), {})
    claim = Claim.objects.get(benefit__code="universal_credit")
    task_list = plain(text(alice.get(reverse("claims:apply", args=[claim.pk]))))
    assert (
        task_list.count("We already have these details. Check and confirm them in one step.") == 2
    )

    url = reverse("claims:apply_section", args=[claim.pk, "bank-account"])
    summary = text(alice.get(url))
    assert "Confirm these details" in summary
    alice.post(url, {"version": version(summary)})

    rows = text(alice.get(reverse("claims:apply", args=[claim.pk])))
    bank = one(
        rows, "//li[contains(@class, 'govuk-task-list__item')][.//a[contains(., 'Bank account')]]"
    )
    assert text_of(one(bank, ".govuk-task-list__status")) == "Completed"


def test_declining_the_offer_changes_nothing_and_it_is_not_asked_again(alice, citizen):
    claim = sent_carers_allowance(alice, update=False)

    response = alice.post(reverse("claims:sent", args=[claim.pk]), {"update": "no"})

    citizen.customer.refresh_from_db()
    assert response.status_code == 302
    assert citizen.customer.full_name == ""
    assert citizen.customer.ni_number is None
    assert "Update your profile" not in text(alice.get(reverse("claims:sent", args=[claim.pk])))


def test_not_choosing_yes_or_no_is_a_linked_error(alice):
    claim, _asked = alice.apply("carers_allowance")
    alice.send(claim)

    response = alice.post(reverse("claims:sent", args=[claim.pk]), {})

    page = text(response)
    assert response.status_code == 200
    assert "Select yes if we should update your profile" in page
    assert 'href="#id_update_0"' in page
    assert 'id="id_update_0"' in page


def test_a_profile_that_says_otherwise_shows_both_and_the_person_chooses(alice, citizen):
    account_services.update_personal_details(
        customer=citizen.customer, by=citizen, legal_given_names="Alice",
        legal_family_name="Jones", preferred_name="", date_of_birth=None, ni_number="",
    )  # fmt: skip
    claim, _asked = alice.apply("carers_allowance")
    # The name was prefilled from the profile; she corrects it in the application.
    change = reverse("claims:apply_question", args=[claim.pk, "about-you", "full_name"])
    form = text(alice.get(change))
    assert "We already have this:" in plain(form)
    alice.post(change, {"version": version(form), "answer": "Alice Mary Jones"})
    sent = plain(text(alice.send(claim)))
    assert "Alice Mary Jones (from this application)" in sent
    assert "Alice Jones (in your profile)" in sent

    unchosen = alice.post(reverse("claims:sent", args=[claim.pk]), {"update": "yes"})
    assert "Select which name is right" in text(unchosen)
    chosen = alice.post(
        reverse("claims:sent", args=[claim.pk]), {"update": "yes", "keep_full_name": "profile"}
    )

    customer = citizen.customer
    customer.refresh_from_db()
    assert chosen.status_code == 302
    assert customer.full_name == "Alice Jones"  # she chose the profile's
    assert customer.ni_number == "JT482193D"  # new details are added all the same


def test_replacing_a_different_ni_number_from_an_application_asks_for_the_password(alice, citizen):
    account_services.update_personal_details(
        customer=citizen.customer, by=citizen, legal_given_names="Alice",
        legal_family_name="Mary Jones", preferred_name="", date_of_birth=date(1980, 4, 12),
        ni_number="CE 12 34 56 A",
    )  # fmt: skip
    draft, _asked = alice.apply("carers_allowance")
    change = reverse("claims:apply_question", args=[draft.pk, "about-you", "ni_number"])
    # The record holds a number: changing it in the application asks for the password.
    reauthenticate(alice.client, alice.get(change))
    form = text(alice.get(change))
    assert "Ending 56 A" in plain(form)
    assert 'value="CE123456A"' not in form
    alice.post(change, {"version": version(form), "answer": "JT 48 21 93 D"})
    alice.client.logout()
    alice.client.force_login(citizen)  # a new sign-in: no recent re-authentication
    alice.send(draft)

    asked = alice.post(
        reverse("claims:sent", args=[draft.pk]), {"update": "yes", "keep_ni_number": "application"}
    )
    citizen.customer.refresh_from_db()
    assert citizen.customer.ni_number == "CE123456A"
    reauthenticate(alice.client, asked)  # allauth replays the kept answer afterwards

    citizen.customer.refresh_from_db()
    assert citizen.customer.ni_number == "JT482193D"


def test_a_number_on_someone_elses_record_is_kept_for_a_caseworker_and_never_said(
    alice, citizen, other_citizen
):
    account_services.update_personal_details(
        customer=other_citizen.customer, by=other_citizen, legal_given_names="Bob",
        legal_family_name="B", preferred_name="", date_of_birth=date(1980, 1, 1),
        ni_number="JT482193D",
    )  # fmt: skip
    claim = sent_carers_allowance(alice)

    page = plain(text(alice.get(reverse("claims:sent", args=[claim.pk]))))
    citizen.customer.refresh_from_db()
    assert "Your profile has been updated." in page
    assert citizen.customer.ni_number is None
    assert citizen.customer.full_name == "Alice Mary Jones"
    assert citizen.customer.facts.filter(
        kind=FactKind.NI_NUMBER_TO_CHECK, value="JT482193D"
    ).exists()


# --- Changing bank details or the NI number needs the password again -----------------------------


def bank_form(account_number: str = "12345678") -> dict:
    return {
        "account_name": "Alice Jones",
        "sort_code": "40 11 62",
        "account_number": account_number,
    }


def test_changing_bank_details_asks_for_the_password_again_then_changes_them(alice, citizen):
    sent_carers_allowance(alice)
    url = reverse("accounts:edit_bank_details")

    asked = alice.client.post(url, bank_form())

    assert BankAccount.objects.filter(customer=citizen.customer).count() == 1
    mail.outbox.clear()
    reauthenticate(alice.client, asked)  # the kept POST is replayed once she has

    current = BankAccount.objects.filter(customer=citizen.customer).first()
    assert (current.sort_code, current.account_number) == ("401162", "12345678")
    assert [m.subject for m in send_queued_emails() if "bank account" in m.subject.lower()]
    form = text(alice.get(url))
    assert "12345678" not in form
    assert "401162" not in form
    profile = plain(text(alice.get(reverse("accounts:profile"))))
    assert "Ending 5678" in profile
    assert "Ending 62" in profile


def test_changing_the_bank_account_in_an_application_asks_for_the_password_again(alice, citizen):
    sent_carers_allowance(alice)
    alice.post(reverse("claims:apply_start", args=["universal_credit"]), {})
    claim = Claim.objects.get(benefit__code="universal_credit")
    change = reverse("claims:apply_question", args=[claim.pk, "bank-account", "account_number"])

    reauthenticate(alice.client, alice.get(change))
    form = text(alice.get(change))
    assert "We already have this:" in plain(form)
    assert "Ending 6819" in plain(form)
    assert_no_full_numbers(form)
    alice.post(change, {"version": version(form), "answer": "12345678"})

    claim.refresh_from_db()
    assert claim.answers["account_number"] == "12345678"
    assert "account_number" not in claim.answers["_known"]  # hers now, not the record's


def test_changing_the_ni_number_on_the_profile_asks_for_the_password_again(alice, citizen):
    sent_carers_allowance(alice)
    url = reverse("accounts:edit_personal_details")
    form = text(alice.get(url))
    assert "JT482193D" not in form
    assert "ending 93 D" in form
    data = {
        "legal_given_names": "Alice Mary", "legal_family_name": "Jones",
        "date_of_birth_day": "12", "date_of_birth_month": "4", "date_of_birth_year": "1980",
    }  # fmt: skip

    kept = alice.client.post(url, {**data, "ni_number": ""})  # empty keeps the number
    asked = alice.client.post(url, {**data, "ni_number": "CE 12 34 56 A"})

    assert kept["Location"] == reverse("accounts:profile")
    citizen.customer.refresh_from_db()
    assert citizen.customer.ni_number == "JT482193D"
    reauthenticate(alice.client, asked)
    citizen.customer.refresh_from_db()
    assert citizen.customer.ni_number == "CE123456A"


def test_a_bank_account_never_shows_its_numbers_when_printed(citizen):
    account = account_services.record_bank_account(
        customer=citizen.customer, by=citizen, account_name="Alice Jones",
        sort_code="60-83-71", account_number="31926819",
    )  # fmt: skip

    for shown in (str(account), repr(account)):
        assert "31926819" not in shown
        assert "608371" not in shown
    assert "ending 6819" in str(account)
    assert account_services.record_bank_account(
        customer=citizen.customer, by=citizen, account_name="Alice Jones",
        sort_code="608371", account_number="31926819",
    ) is None  # the same account again is not a change  # fmt: skip
