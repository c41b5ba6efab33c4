from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import services
from accounts.models import Customer, FactKind, validate_nino
from tests.helpers import send_queued_emails

pytestmark = pytest.mark.django_db


def test_signing_up_creates_the_persons_customer(client):
    response = client.post(
        "/account/signup/",
        {
            "email": "new@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )

    assert response.status_code == 302
    customer = Customer.objects.get(user__email="new@example.org")
    assert customer.email == "new@example.org"
    assert customer.contact_channels == ["email"]
    assert customer.facts.filter(kind=FactKind.EMAIL, value="new@example.org").exists()
    assert len(send_queued_emails()) == 1  # the verification email


def test_customer_reference_is_human_friendly_and_unrelated_to_the_id(citizen, other_citizen):
    refs = [citizen.customer.reference, other_citizen.customer.reference]

    for ref in refs:
        assert re.fullmatch(r"C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", ref)
    assert refs[0] != refs[1]


@pytest.mark.parametrize("nino", ["JG103759A", "ab 12 34 56 c", "CE123456D"])
def test_valid_national_insurance_numbers_are_accepted(nino):
    validate_nino(nino)


@pytest.mark.parametrize(
    "nino", ["QQ123456C", "AB123456E", "GB123456A", "DA123456A", "AO123456A", "AB12345C", ""]
)
def test_invalid_national_insurance_numbers_are_refused(nino):
    with pytest.raises(ValidationError) as error:
        validate_nino(nino)
    assert error.value.code == "invalid_nino"


def test_a_national_insurance_number_belongs_to_one_customer_but_many_may_have_none():
    services.create_customer(by=None, legal_family_name="A", ni_number="AB 12 34 56 C")
    services.create_customer(by=None, legal_family_name="B")
    services.create_customer(by=None, legal_family_name="C", ni_number="")

    assert Customer.objects.filter(ni_number__isnull=True).count() == 2
    assert Customer.objects.get(legal_family_name="A").ni_number == "AB123456C"
    with pytest.raises(IntegrityError), transaction.atomic():
        services.create_customer(by=None, legal_family_name="D", ni_number="ab123456c")


def test_someone_elses_ni_number_is_not_revealed_but_kept_for_a_caseworker(
    citizen_client, citizen, other_citizen
):
    services.update_personal_details(
        customer=other_citizen.customer, by=other_citizen, legal_given_names="Bob",
        legal_family_name="B", preferred_name="", date_of_birth=date(1980, 1, 1),
        ni_number="AB123456C",
    )  # fmt: skip
    form = {
        "legal_given_names": "Alice", "legal_family_name": "A",
        "date_of_birth_day": "1", "date_of_birth_month": "2", "date_of_birth_year": "1990",
    }  # fmt: skip

    taken = citizen_client.post(
        "/account/profile/about-you/", {**form, "ni_number": "AB 12 34 56 C"}
    )
    free = citizen_client.post(
        "/account/profile/about-you/", {**form, "ni_number": "CE 12 34 56 A"}
    )

    # The same answer either way: nothing tells Alice that Bob's number has an account.
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"]
    citizen.customer.refresh_from_db()
    assert citizen.customer.ni_number == "CE123456A"
    assert citizen.customer.facts.filter(
        kind=FactKind.NI_NUMBER_TO_CHECK, value="AB123456C"
    ).exists()
    assert other_citizen.customer.ni_number == "AB123456C"
