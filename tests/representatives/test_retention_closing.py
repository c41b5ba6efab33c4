"""Closing one's account: asked again for the password, told what is kept, then signed out
for good while the agency's records stay and the retention clock starts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Customer, Fact, HouseholdMember, User
from accounts.retention import RULES, schedule
from notifications.models import OutgoingEmail
from representatives.models import Representation, RetentionRun
from representatives.retention import closing, services
from tests.conftest import PASSWORD

CLOSE = "/your-data/close-account/"
PRIVACY = "/your-data/privacy/"
DAY = timedelta(days=1)


def reauthenticated(client, user):
    client.force_login(user)
    asked = client.get(CLOSE)
    assert asked.status_code == 302
    assert asked["Location"].startswith("/account/reauthenticate/")
    client.post(asked["Location"], {"password": PASSWORD})
    return client


@pytest.fixture
def alice_with_details(citizen, other_citizen):
    """Alice with her details, circumstances, household, bank account, and Bob acting for
    her; no claim."""
    customer = citizen.customer
    Customer.objects.filter(pk=customer.pk).update(
        legal_given_names="Alice", legal_family_name="Example", date_of_birth=date(1980, 4, 12),
        ni_number="AB123456C", phone="07700900123", address_line_1="1 High Street",
        town="Cardiff", postcode="CF10 1AA", email="alice@example.org",
    )  # fmt: skip
    account_services.record_fact(
        customer=customer, kind="weekly_earnings", value="120.00",
        effective_from=date(2024, 1, 1), by=citizen,
    )  # fmt: skip
    account_services.add_household_member(
        customer=customer, by=citizen, relationship="partner", name="Sam Example",
        date_of_birth=date(1981, 1, 1), joined_on=date(2020, 1, 1),
    )  # fmt: skip
    account_services.record_bank_account(
        customer=customer, by=citizen, account_name="Alice Example", sort_code="309498",
        account_number="00733445",
    )  # fmt: skip
    Representation.objects.create(
        customer=customer, representative=other_citizen, name="Bob", status="active",
        scopes=["see"], accepted_at=timezone.now(),
    )  # fmt: skip
    Representation.objects.create(
        customer=customer, name="Carol", invited_email="carol@example.org", status="invited",
        scopes=["see"], invitation_expires_at=timezone.now() + timedelta(days=14),
    )  # fmt: skip
    customer.refresh_from_db()
    return citizen


@pytest.mark.django_db
def test_closing_ends_sign_in_and_representatives_and_keeps_the_record(client, alice_with_details):
    alice = alice_with_details
    client = reauthenticated(client, alice)

    page = client.get(CLOSE)
    assert page.status_code == 200
    for rule in schedule():
        assert str(rule.name) in page.content.decode()  # told what is kept, from the schedule
    response = client.post(CLOSE, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/your-data/account-closed/"
    assert client.get("/account/").status_code in (302, 404)
    assert client.get("/your-data/account-closed/").status_code == 200
    user = User.objects.get(pk=alice.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.email.endswith("@closed.invalid")
    assert not client.login(email="alice@example.org", password=PASSWORD)
    customer = Customer.objects.get(pk=alice.customer.pk)
    assert customer.account_closed_at is not None
    assert customer.legal_family_name == "Example"  # the record stays, as the schedule says
    assert Fact.objects.filter(customer=customer).exists()
    assert sorted(Representation.objects.values_list("status", flat=True)) == [
        "revoked",
        "withdrawn",
    ]
    email = OutgoingEmail.objects.get(to="alice@example.org")
    assert "closed" in email.subject.lower()


@pytest.mark.django_db
def test_closing_needs_the_confirmation_box(client, citizen):
    client = reauthenticated(client, citizen)

    response = client.post(CLOSE, {})

    assert response.status_code == 200
    assert "Confirm that you understand" in response.content.decode()
    assert Customer.objects.get(pk=citizen.customer.pk).account_closed_at is None


@pytest.mark.django_db
def test_a_claim_being_decided_stops_the_account_closing(client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    client = reauthenticated(client, citizen)

    page = client.get(CLOSE)
    refused = client.post(CLOSE, {"confirm": "on"})

    assert claim.reference in page.content.decode()
    assert "Withdraw it" in page.content.decode()
    assert refused.status_code == 409
    assert User.objects.get(pk=citizen.pk).is_active
    assert Customer.objects.get(pk=citizen.customer.pk).account_closed_at is None
    with pytest.raises(closing.AccountCannotClose):
        closing.close_account(customer=citizen.customer, by=citizen)


@pytest.mark.django_db
def test_once_withdrawn_the_claim_stays_and_the_account_closes(citizen):
    from benefits.claims import lifecycle
    from benefits.models import Claim, ClaimStatus
    from tests.claim_factory import draft_claim, sent_claim

    claim = sent_claim(citizen)
    draft = draft_claim(citizen, "attendance_allowance")
    lifecycle.transition(claim=claim, to=ClaimStatus.WITHDRAWN, by=citizen)

    closing.close_account(customer=citizen.customer, by=citizen)

    assert Claim.objects.filter(pk=claim.pk).exists()  # the agency's record stays
    assert not Claim.objects.filter(pk=draft.pk).exists()  # never sent: deleted now


@pytest.mark.django_db
def test_the_closed_accounts_details_are_anonymised_seven_years_on_exactly_as_registered(
    alice_with_details,
):
    alice = alice_with_details
    closing.close_account(customer=alice.customer, by=alice)
    before = Customer.objects.get(pk=alice.customer.pk)
    closed = before.account_closed_at
    rule = RULES["accounts.customer.closed"]

    inside = services.apply_retention(
        apply=True, by=None, now=closed + relativedelta(years=7) - DAY
    )
    assert not any(v for k, v in inside.counts.items() if k.startswith("accounts."))
    assert Customer.objects.get(pk=before.pk).legal_family_name == "Example"

    run = services.apply_retention(apply=True, by=None, now=closed + relativedelta(years=7) + DAY)

    assert run.counts["accounts.customer.closed"] == 1
    assert run.counts["accounts.fact.closed"] >= 1
    after = Customer.objects.get(pk=before.pk)
    for field in Customer._meta.concrete_fields:
        if field.name in rule.anonymise:
            assert getattr(after, field.attname) == rule.anonymise[field.name], field.name
        elif field.name != "updated_at":
            assert getattr(after, field.attname) == getattr(before, field.attname), field.name
    assert not Fact.objects.filter(customer=after).exists()
    assert not HouseholdMember.objects.filter(customer=after).exists()
    assert not after.bank_accounts.exists()
    assert not Customer.history.filter(id=after.pk).exists(), "the old details stayed in history"

    again = services.apply_retention(apply=True, by=None, now=closed + relativedelta(years=7) + DAY)
    assert again.total == 0
    assert RetentionRun.objects.count() == 3


@pytest.mark.django_db
def test_closing_twice_changes_nothing_more(citizen):
    first = closing.close_account(customer=citizen.customer, by=citizen)
    second = closing.close_account(customer=citizen.customer, by=citizen)

    assert second.account_closed_at == first.account_closed_at
    assert OutgoingEmail.objects.count() == 1


def test_closing_is_not_open_to_representatives():
    from django.urls import resolve

    assert not hasattr(resolve(CLOSE).func, "representable")


@pytest.mark.django_db
def test_the_privacy_page_lists_the_schedule_to_anyone(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = client.get(PRIVACY)

    assert page.status_code == 200
    text = page.content.decode()
    for rule in schedule():
        assert str(rule.name) in text
        assert str(rule.keep) in text
    assert "public task" in text


@pytest.mark.django_db
def test_a_representative_cannot_close_the_account_and_stops_once_it_is_closed(
    client, citizen, other_citizen
):
    from django.urls import reverse

    from representatives.middleware import SESSION_KEY
    from tests.claim_factory import refused_claim
    from tests.representatives.helpers import ALL_SCOPES, invite_and_accept, with_mfa

    claim, _decision = refused_claim(citizen)
    representation = invite_and_accept(citizen, with_mfa(other_citizen), scopes=ALL_SCOPES)
    client.force_login(other_citizen)
    session = client.session
    session[SESSION_KEY] = representation.pk
    session.save()
    her_claim = reverse("claims:detail", args=[claim.pk])
    assert client.get(her_claim).status_code == 200

    assert client.get(CLOSE).status_code == 404
    assert client.post(CLOSE, {"confirm": "on"}).status_code == 404
    assert Customer.objects.get(pk=citizen.customer.pk).account_closed_at is None

    closing.close_account(customer=citizen.customer, by=citizen)

    assert client.get(her_claim).status_code == 404
    assert Representation.objects.get(pk=representation.pk).status == "revoked"
