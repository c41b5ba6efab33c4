"""Correct my data: "This is wrong" on what the person sees, a request a caseworker decides
in the admin, the outcome on "Your correction requests"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AccessEvent, Fact
from accounts.selectors import facts_in_force
from notifications.models import Notification
from representatives import corrections
from representatives.models import CorrectionRequest
from tests.conftest import sign_in_with_mfa
from tests.helpers import error_summary, select, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def casey(caseworker):
    client = Client()
    sign_in_with_mfa(client, caseworker)
    return client


def _rent(user, value="650.00", since=date(2024, 1, 1)) -> Fact:
    return account_services.record_fact(
        customer=user.customer, kind="monthly_rent", value=value, effective_from=since, by=user
    )


def _decide(client, request, **data):
    fields = {f"outcome-{k}": v for k, v in data.items()}
    return client.post(
        f"/admin/representatives/correctionrequest/{request.pk}/decide/", fields, follow=True
    )


# --- The links -----------------------------------------------------------------------------


def test_each_detail_on_the_profile_and_household_has_a_this_is_wrong_link(citizen_client, citizen):
    member = account_services.add_household_member(
        customer=citizen.customer, by=citizen, relationship="child", name="Ada",
        date_of_birth=date(2019, 4, 1), joined_on=date(2019, 4, 1),
    )  # fmt: skip

    profile = citizen_client.get("/account/profile/")
    household = citizen_client.get("/account/household/")

    links = {a.get("href") for a in select(profile, 'a[href^="/your-data/corrections/new/"]')}
    assert links == {
        f"/your-data/corrections/new/{kind}/"
        for kind in ("name", "preferred_name", "date_of_birth", "ni_number", "phone", "address")
    }
    assert select(household, f'a[href="/your-data/corrections/household/{member.pk}/"]')


def test_each_circumstance_we_hold_has_a_this_is_wrong_link(citizen_client, citizen, other_citizen):
    rent = _rent(citizen)
    theirs = _rent(other_citizen, "999.00")

    page = citizen_client.get("/your-data/circumstances/")

    assert select(page, f'a[href="/your-data/corrections/circumstances/{rent.pk}/"]')
    assert "650.00" in page.content.decode()
    assert f"/circumstances/{theirs.pk}/" not in page.content.decode()
    # Contact details are facts too, but the profile shows them with their own links.
    assert citizen.customer.facts.filter(kind="email").exists()
    assert "Contact email" not in page.content.decode()


# --- Asking --------------------------------------------------------------------------------


def test_an_empty_correction_shows_the_error_summary_linked_to_the_fields(citizen_client):
    response = citizen_client.post("/your-data/corrections/new/phone/", {})

    assert response.status_code == 200
    assert error_summary(response) == [
        ("#id_what_is_wrong", "Enter what is wrong"),
        ("#id_should_be", "Enter what it should say"),
    ]
    assert response.content.decode().count("govuk-form-group--error") == 2
    assert not CorrectionRequest.objects.exists()


def test_a_correction_is_sent_and_listed_with_what_we_showed(citizen_client, citizen):
    account_services.update_contact_details(
        customer=citizen.customer, by=citizen, phone="07700 900111", address_line_1="1 High St",
        address_line_2="", town="Leeds", postcode="LS1 1AA",
    )  # fmt: skip

    response = citizen_client.post(
        "/your-data/corrections/new/phone/",
        {"what_is_wrong": "That is my old number", "should_be": "07700 900222"},
        follow=True,
    )

    request = CorrectionRequest.objects.get()
    assert (request.subject, request.shown_value, request.status) == (
        "phone", "07700 900111", "open",
    )  # fmt: skip
    assert request.created_by == citizen
    assert texts(response, ".govuk-summary-card__title") == ["Phone"]
    assert "Waiting for us" in response.content.decode()
    assert "That is my old number" in response.content.decode()


def test_a_double_submit_makes_one_request(citizen_client):
    data = {"what_is_wrong": "Wrong", "should_be": "Right"}
    citizen_client.post("/your-data/corrections/new/phone/", data)
    citizen_client.post("/your-data/corrections/new/phone/", data)

    assert CorrectionRequest.objects.count() == 1


def test_an_unknown_kind_of_detail_is_not_found(citizen_client):
    assert citizen_client.get("/your-data/corrections/new/bank_password/").status_code == 404


def test_another_persons_fact_or_household_member_cannot_be_reported(citizen_client, other_citizen):
    fact = _rent(other_citizen)
    member = account_services.add_household_member(
        customer=other_citizen.customer, by=other_citizen, relationship="child", name="Zed",
        date_of_birth=date(2020, 1, 1), joined_on=date(2020, 1, 1),
    )  # fmt: skip
    data = {"what_is_wrong": "Wrong", "should_be": "Right"}

    for url in (
        f"/your-data/corrections/circumstances/{fact.pk}/",
        f"/your-data/corrections/household/{member.pk}/",
    ):
        assert citizen_client.get(url).status_code == 404
        assert citizen_client.post(url, data).status_code == 404
    assert not CorrectionRequest.objects.exists()


def test_the_person_sees_only_their_own_requests(citizen_client, citizen, other_citizen):
    corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="name", what_is_wrong="Mine",
        should_be="Mine right",
    )  # fmt: skip
    corrections.request_correction(
        customer=other_citizen.customer, by=other_citizen, subject="name",
        what_is_wrong="Theirs", should_be="Theirs right",
    )  # fmt: skip

    html = citizen_client.get("/your-data/corrections/").content.decode()

    assert "Mine right" in html
    assert "Theirs" not in html


# --- Deciding ------------------------------------------------------------------------------


def test_a_corrected_fact_is_a_new_assertion_and_the_person_sees_the_outcome(
    monkeypatch, casey, citizen, citizen_client
):
    wrong = _rent(citizen, "650.00", since=date(2024, 1, 1))
    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="fact", object_id=wrong.pk,
        what_is_wrong="My rent is less", should_be="£560 a month",
    )  # fmt: skip
    before = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: before + timedelta(minutes=5))

    response = _decide(
        casey, asked, outcome="corrected", corrected_value="560.00",
        reason="We checked your tenancy agreement and corrected your rent.",
    )  # fmt: skip

    assert response.status_code == 200
    asked.refresh_from_db()
    assert asked.status == "corrected"
    new = asked.corrected_fact
    assert (new.kind, new.value, new.effective_from, new.source) == (
        "monthly_rent", "560.00", date(2024, 1, 1), "caseworker",
    )  # fmt: skip
    # Nothing overwritten: the wrong assertion is still there, and still what we knew then.
    assert Fact.objects.get(pk=wrong.pk).value == "650.00"
    today = timezone.localdate()
    assert facts_in_force(customer=citizen.customer, on=today)["monthly_rent"].value == "560.00"
    assert (
        facts_in_force(customer=citizen.customer, on=today, known_at=before)["monthly_rent"].value
        == "650.00"
    )
    # The person is told, and reads the outcome on their list.
    note = Notification.objects.get(customer=citizen.customer)
    assert note.link == "/your-data/corrections/"
    assert "tenancy agreement" in note.body
    mine = citizen_client.get("/your-data/corrections/").content.decode()
    assert "Corrected" in mine
    assert "We checked your tenancy agreement and corrected your rent." in mine


def test_a_corrected_phone_number_goes_through_the_contact_details_service(casey, citizen):
    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="phone", what_is_wrong="Old number",
        should_be="07700 900222",
    )  # fmt: skip

    _decide(
        casey, asked, outcome="corrected", corrected_value="07700 900222",
        reason="We have changed your phone number.",
    )  # fmt: skip

    citizen.customer.refresh_from_db()
    assert citizen.customer.phone == "07700 900222"
    asked.refresh_from_db()
    assert asked.corrected_fact.kind == "phone"
    assert asked.corrected_fact.value == "07700 900222"


def test_not_changed_tells_the_person_why(casey, citizen, citizen_client):
    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="name", what_is_wrong="Spelling",
        should_be="Jon",
    )  # fmt: skip

    _decide(
        casey, asked, outcome="not_changed",
        reason="Your passport spells it John, so we have kept that.",
    )  # fmt: skip

    asked.refresh_from_db()
    assert (asked.status, asked.corrected_fact) == ("not_changed", None)
    html = citizen_client.get("/your-data/corrections/").content.decode()
    assert "Not changed" in html
    assert "Your passport spells it John" in html


def test_a_correction_that_cannot_be_applied_is_refused_and_stays_open(casey, citizen):
    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="address", what_is_wrong="Old",
        should_be="New",
    )  # fmt: skip

    response = _decide(casey, asked, outcome="corrected", corrected_value="Just one line",
                       reason="Done.")  # fmt: skip

    assert "Enter the address on 3 or 4 lines" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "open"
    assert not Notification.objects.exists()


def test_a_profile_detail_is_never_corrected_as_a_bare_fact(casey, citizen):
    email = citizen.customer.facts.get(kind="email")
    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="fact", object_id=email.pk,
        what_is_wrong="Old", should_be="new@example.org",
    )  # fmt: skip

    response = _decide(
        casey, asked, outcome="corrected", corrected_value="new@example.org", reason="Done."
    )

    assert "change it on their customer record" in response.content.decode()
    assert citizen.customer.facts.filter(kind="email").count() == 1
    asked.refresh_from_db()
    assert asked.status == "open"


def test_a_decided_request_cannot_be_decided_again(casey, citizen):
    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="name", what_is_wrong="x", should_be="y"
    )
    _decide(casey, asked, outcome="not_changed", reason="Kept.")

    response = _decide(casey, asked, outcome="corrected", reason="Changed my mind.")

    assert "already been decided" in response.content.decode()
    asked.refresh_from_db()
    assert asked.reason == "Kept."


def test_staff_without_the_permission_cannot_decide(client, citizen):
    from tests.conftest import make_staff

    asked = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="name", what_is_wrong="x", should_be="y"
    )
    sign_in_with_mfa(client, make_staff("viewer@example.org"))

    response = client.post(
        f"/admin/representatives/correctionrequest/{asked.pk}/decide/",
        {"outcome-outcome": "not_changed", "outcome-reason": "No."},
    )

    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == "open"


def test_the_queue_shows_open_requests_and_every_look_is_logged(casey, caseworker, citizen):
    open_one = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="name", what_is_wrong="x", should_be="y"
    )
    decided = corrections.request_correction(
        customer=citizen.customer, by=citizen, subject="phone", what_is_wrong="a", should_be="b"
    )
    corrections.decide_correction(
        request=decided, by=caseworker, outcome="not_changed", reason="Kept."
    )

    queue = casey.get("/admin/representatives/correctionrequest/")
    page = casey.get(f"/admin/representatives/correctionrequest/{open_one.pk}/change/")

    base = "/admin/representatives/correctionrequest/"
    assert select(queue, f'#result_list a[href="{base}{open_one.pk}/change/"]')
    assert not select(queue, f'#result_list a[href="{base}{decided.pk}/change/"]')
    assert "Record the outcome" in page.content.decode()
    events = list(AccessEvent.objects.filter(staff=caseworker).order_by("pk"))
    assert [(e.what, e.page) for e in events] == [("correction", "list"), ("correction", "detail")]
    assert events[0].object_ids == [open_one.pk]
    assert events[1].customer_ids == [citizen.customer.pk]


def test_the_correction_requests_page_runs_the_same_queries_however_many(
    citizen_client, citizen, caseworker, django_assert_max_num_queries
):
    def ask(n: int) -> None:
        for i in range(n):
            request = corrections.request_correction(
                customer=citizen.customer, by=citizen, subject="name",
                what_is_wrong=f"Wrong {i}", should_be=f"Right {i}",
            )  # fmt: skip
            if i % 2:
                corrections.decide_correction(
                    request=request, by=caseworker, outcome="not_changed", reason="Kept."
                )

    ask(2)
    citizen_client.get("/your-data/corrections/")
    with CaptureQueriesContext(connection) as few:
        assert citizen_client.get("/your-data/corrections/").status_code == 200
    ask(20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert citizen_client.get("/your-data/corrections/").status_code == 200
