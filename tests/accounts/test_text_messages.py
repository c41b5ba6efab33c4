"""Text messages need a UK mobile number: "How we contact you" and the contact details
refuse a choice that could never be sent, with a form error linked from the summary."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import Customer
from tests.accounts.test_security import PASSWORD, sign_in
from tests.helpers import error_summary, select

pytestmark = pytest.mark.django_db

PREFERENCES = "/account/profile/preferences/"
CONTACT = "/account/profile/contact/"
NO_MOBILE = "To get text messages, first add your mobile number to your contact details"
NOT_MOBILE = (
    "To get text messages, your phone number must be a UK mobile number, like 07700 900123: "
    "change it in your contact details first"
)
KEEP_MOBILE = (
    "You get text messages from us, so enter a UK mobile number, like 07700 900123, or "
    "first change how we contact you"
)


def set_phone(user, phone: str) -> None:
    services.update_contact_details(
        customer=user.customer, by=user, phone=phone, address_line_1="1 High Street",
        address_line_2="", town="York", postcode="YO1 7HH",
    )  # fmt: skip


def choose(client, channels: list[str]):
    return client.post(
        PREFERENCES,
        {"preferred_language": "en-gb", "contact_channels": channels, "reasonable_adjustments": ""},
    )


def summary_of(response) -> list[tuple[str, str]]:
    """The error summary's items: (link target, message)."""
    assert select(response, ".govuk-error-summary"), "no error summary"
    return error_summary(response)


@pytest.mark.parametrize(("phone", "message"), [("", NO_MOBILE), ("029 2018 0000", NOT_MOBILE)])
def test_texts_cannot_be_chosen_without_a_uk_mobile(citizen_client, citizen, phone, message):
    set_phone(citizen, phone)

    response = choose(citizen_client, ["email", "sms"])

    assert response.status_code == 200
    assert ("#id_contact_channels_0", message) in summary_of(response)
    assert select(response, "#id_contact_channels_0")
    assert Customer.objects.get(pk=citizen.customer.pk).contact_channels == ["email"]


def test_texts_can_be_chosen_with_a_uk_mobile(citizen_client, citizen):
    set_phone(citizen, "07700 900123")

    response = choose(citizen_client, ["email", "sms"])

    assert response.status_code == 302
    assert Customer.objects.get(pk=citizen.customer.pk).contact_channels == ["email", "sms"]


def test_other_channels_need_no_mobile(citizen_client, citizen):
    response = choose(citizen_client, ["email", "post"])

    assert response.status_code == 302


def change_phone(client, phone: str):
    today = timezone.localdate()
    return client.post(
        CONTACT,
        {
            "phone": phone, "address_line_1": "1 High Street", "town": "York",
            "postcode": "YO1 7HH", "effective_from_day": today.day,
            "effective_from_month": today.month, "effective_from_year": today.year,
        },
    )  # fmt: skip


@pytest.fixture
def reauthenticated(client, citizen):
    sign_in(client, citizen.email)
    client.post(client.get(CONTACT)["Location"], {"password": PASSWORD})
    return client


@pytest.mark.parametrize("phone", ["", "029 2018 0000"])
def test_someone_who_gets_texts_cannot_remove_their_mobile(reauthenticated, citizen, phone):
    set_phone(citizen, "07700 900123")
    services.update_preferences(
        customer=citizen.customer, by=citizen, preferred_language="en-gb",
        contact_channels=["email", "sms"], accessibility_needs=[], reasonable_adjustments="",
    )  # fmt: skip

    response = change_phone(reauthenticated, phone)

    assert response.status_code == 200
    assert ("#id_phone", KEEP_MOBILE) in summary_of(response)
    assert Customer.objects.get(pk=citizen.customer.pk).phone == "07700 900123"


def test_someone_who_gets_no_texts_may_give_a_landline(reauthenticated, citizen):
    response = change_phone(reauthenticated, "029 2018 0000")

    assert response.status_code == 302
    assert Customer.objects.get(pk=citizen.customer.pk).phone == "029 2018 0000"


@pytest.mark.parametrize(
    "phone", ["<script>alert(1)</script>", "' OR 1=1 --", "call me", "12", "١٢٣٤٥٦٧٨"]
)
def test_a_phone_number_that_is_no_number_is_refused(reauthenticated, citizen, phone):
    response = change_phone(reauthenticated, phone)

    assert response.status_code == 200
    assert summary_of(response) == [
        ("#id_phone", "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
    ]
    assert Customer.objects.get(pk=citizen.customer.pk).phone == ""


@pytest.mark.parametrize("phone", ["+44 (0)29 2018 0000", "001-212-555-0123", "029.2018.0000"])
def test_a_phone_number_may_be_written_as_people_write_them(reauthenticated, citizen, phone):
    assert change_phone(reauthenticated, phone).status_code == 302
