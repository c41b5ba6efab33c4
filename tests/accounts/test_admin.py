"""The caseworker's view of customers in the admin."""

from __future__ import annotations

from datetime import date

import pytest

from accounts import services
from accounts.models import Fact, FactKind
from tests.conftest import make_person, sign_in_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker_client(client, caseworker):
    sign_in_with_mfa(client, caseworker)
    return client


def test_caseworker_finds_a_customer_by_reference_or_postcode(caseworker_client, citizen):
    customer = citizen.customer
    services.update_contact_details(
        customer=customer, by=citizen, phone="", address_line_1="1 A Road", address_line_2="",
        town="Leeds", postcode="ls1 4dy",
    )  # fmt: skip

    by_ref = caseworker_client.get("/admin/accounts/customer/", {"q": customer.reference})
    by_postcode = caseworker_client.get("/admin/accounts/customer/", {"q": "LS1 4DY"})

    assert customer.reference in by_ref.content.decode()
    assert customer.reference in by_postcode.content.decode()


def test_customer_list_queries_stay_constant_as_customers_grow(
    caseworker_client, django_assert_max_num_queries
):
    for i in range(3):
        make_person(f"few{i}@example.org")
    # 17 with the access event for the page: the staff member's groups and one INSERT.
    with django_assert_max_num_queries(17) as few:
        caseworker_client.get("/admin/accounts/customer/")
    for i in range(30):
        make_person(f"many{i}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert caseworker_client.get("/admin/accounts/customer/").status_code == 200


def test_customer_page_shows_the_circumstances_history(caseworker_client, citizen):
    services.record_fact(
        customer=citizen.customer, kind=FactKind.MONTHLY_EARNINGS, value=1450,
        effective_from=date(2025, 1, 1), by=citizen,
    )  # fmt: skip
    services.record_fact(
        customer=citizen.customer, kind=FactKind.MONTHLY_EARNINGS, value=900,
        effective_from=date(2026, 6, 1), by=citizen,
    )  # fmt: skip

    html = caseworker_client.get(
        f"/admin/accounts/customer/{citizen.customer.pk}/change/"
    ).content.decode()

    assert "circumstances history" in html.lower()
    assert "1450" in html
    assert "900" in html


def test_a_caseworker_edit_to_an_address_is_dated_and_attributed(
    caseworker_client, caseworker, citizen
):
    customer = citizen.customer
    url = f"/admin/accounts/customer/{customer.pk}/change/"
    form = caseworker_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        address_line_1="9 Phone Call Lane", town="Hull", postcode="HU1 1AA",
        contact_channels="email", accessibility_needs="",
        date_of_birth="", ni_number="",
    )  # fmt: skip
    for prefix in ("household", "facts"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data["facts-TOTAL_FORMS"] = data["facts-INITIAL_FORMS"] = customer.facts.count()
    for i, fact in enumerate(customer.facts.order_by("kind", "effective_from", "recorded_at")):
        data[f"facts-{i}-id"] = fact.pk
        data[f"facts-{i}-customer"] = customer.pk

    response = caseworker_client.post(url, data)

    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    address = Fact.objects.get(customer=customer, kind=FactKind.ADDRESS, effective_to__isnull=True)
    assert address.value["line_1"] == "9 Phone Call Lane"
    assert address.recorded_by == caseworker
    assert address.source == "caseworker"


def test_caseworkers_cannot_manage_sign_ins_but_team_leaders_can_see_them(
    client, caseworker, team_leader
):
    sign_in_with_mfa(client, caseworker)
    assert client.get("/admin/accounts/user/").status_code == 403

    sign_in_with_mfa(client, team_leader)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_facts_cannot_be_edited_or_deleted_in_the_admin(caseworker_client, citizen):
    fact = services.record_fact(
        customer=citizen.customer, kind=FactKind.CAPITAL, value=10,
        effective_from=date(2025, 1, 1), by=citizen,
    )  # fmt: skip

    page = caseworker_client.get(f"/admin/accounts/fact/{fact.pk}/change/")
    delete = caseworker_client.post(f"/admin/accounts/fact/{fact.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False  # read-only view
    assert delete.status_code == 403
    assert Fact.objects.filter(pk=fact.pk).exists()


def test_caseworkers_are_warned_before_their_session_times_out(caseworker_client):
    html = caseworker_client.get("/admin/").content.decode()

    assert 'id="session-timeout"' in html
    assert "session-timeout.mjs" in html
    assert "Caseworker workspace" in html  # Django's own admin layout is kept


def test_the_customer_page_never_shows_the_full_ni_number_and_an_empty_box_keeps_it(
    caseworker_client, citizen
):
    customer = citizen.customer
    customer.ni_number = "AB123456C"
    customer.save(update_fields=["ni_number"])
    url = f"/admin/accounts/customer/{customer.pk}/change/"

    page = caseworker_client.get(url)
    html = page.content.decode()
    assert "AB123456C" not in html
    assert "ending 56 C" in html

    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(contact_channels="email", accessibility_needs="", date_of_birth="")
    data["household-TOTAL_FORMS"] = data["household-INITIAL_FORMS"] = 0
    data["facts-TOTAL_FORMS"] = data["facts-INITIAL_FORMS"] = customer.facts.count()
    for i, fact in enumerate(customer.facts.order_by("kind", "recorded_at", "effective_from")):
        data[f"facts-{i}-id"] = fact.pk
        data[f"facts-{i}-customer"] = customer.pk
    assert caseworker_client.post(url, data).status_code == 302
    customer.refresh_from_db()
    assert customer.ni_number == "AB123456C"

    data["ni_number"] = "ab 65 43 21 d"
    assert caseworker_client.post(url, data).status_code == 302
    customer.refresh_from_db()
    assert customer.ni_number == "AB654321D"
