"""The access log: staff reads are recorded after the page, and the citizen sees them."""

from __future__ import annotations

import logging

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from accounts.access import (
    flush_access_log,
    record_access,
    record_list,
    role_of,
    start_access_log,
)
from accounts.models import AccessEvent
from tests.conftest import make_staff, sign_in_with_mfa
from tests.helpers import select, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker_client(client, caseworker):
    sign_in_with_mfa(client, caseworker)
    return client


def log_reads(staff, customer, what="customer", object_ids=(None,), times=1) -> None:
    """Record reads as staff requests would, one request per read (through the service)."""
    for _ in range(times):
        for object_id in object_ids:
            request = RequestFactory().get("/admin/")
            request.user = staff
            start_access_log(request)
            record_access(request, customer_id=customer.pk, what=what, object_id=object_id)
            flush_access_log(request)


def log_list(staff, customers, *, model="benefits.claim", search="") -> None:
    """A page of a list (or of search results) showing these customers' rows."""
    request = RequestFactory().get("/admin/")
    request.user = staff
    start_access_log(request)
    ids = [c.pk for c in customers]
    record_list(request, what="claim", model=model, object_ids=ids, customer_ids=ids, search=search)
    flush_access_log(request)


def change_page(customer) -> str:
    return f"/admin/accounts/customer/{customer.pk}/change/"


# Staff opening a record


def test_a_caseworker_opening_a_customer_writes_one_access_event(
    caseworker_client, caseworker, citizen
):
    response = caseworker_client.get(change_page(citizen.customer))

    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.customer, event.staff, event.role, event.what, event.object_id, event.view) == (
        citizen.customer,
        caseworker,
        "caseworker",
        "customer",
        citizen.customer.pk,
        "admin:accounts_customer_change",
    )


def test_the_event_is_written_before_the_page_leaves_in_one_insert(
    caseworker_client, citizen, django_capture_on_commit_callbacks
):
    with (
        CaptureQueriesContext(connection) as page_queries,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        response = caseworker_client.get(change_page(citizen.customer))

    # Written while the request is served, not left for later (a commit, a closed response).
    assert response.status_code == 200
    assert callbacks == []
    assert AccessEvent.objects.count() == 1
    writes = [q["sql"] for q in page_queries.captured_queries if "accounts_accessevent" in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith('INSERT INTO "accounts_accessevent"')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_event_is_written_directly(client, citizen):
    caseworker = make_staff("casey@example.org", group="caseworker")
    sign_in_with_mfa(client, caseworker)

    assert client.get(change_page(citizen.customer)).status_code == 200

    assert AccessEvent.objects.filter(customer=citizen.customer, staff=caseworker).count() == 1


@pytest.fixture
def broken_log(monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the log table is locked")

    monkeypatch.setattr(AccessEvent.objects, "bulk_create", broken)


def test_a_failing_write_refuses_the_page_rather_than_show_unlogged_data(
    caseworker_client, citizen, broken_log, caplog
):
    with caplog.at_level(logging.ERROR, logger="accounts.access"):
        response = caseworker_client.get(change_page(citizen.customer))

    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert citizen.customer.reference not in page
    assert "could not record" in page
    assert "Could not write 1 access events" in caplog.text


def test_a_failing_write_refuses_the_list_and_the_search_too(
    caseworker_client, citizen, broken_log
):
    for query in ({}, {"q": citizen.customer.reference}):
        response = caseworker_client.get("/admin/accounts/customer/", query)

        assert response.status_code == 503
        assert select(response, "#result_list") == []
        assert f"/admin/accounts/customer/{citizen.customer.pk}/" not in response.content.decode()


def test_a_failing_write_sends_no_file_and_leaves_the_receipt_unseen(
    caseworker_client, citizen, broken_log
):
    from tests.claim_factory import claim_with_document

    _claim, document = claim_with_document(citizen)

    response = caseworker_client.get(f"/admin/benefits/document/{document.pk}/file/")

    assert response.status_code == 503
    assert not getattr(response, "streaming", False)
    assert b"PNG" not in response.content
    document.refresh_from_db()
    assert document.state != "seen"


def test_a_staff_read_with_nowhere_to_record_it_fails(caseworker, citizen):
    from accounts.access import AccessLogUnavailable

    request = RequestFactory().get("/admin/")
    request.user = caseworker  # no AccessLogMiddleware gave this request a log

    with pytest.raises(AccessLogUnavailable):
        record_access(request, customer_id=citizen.customer.pk, what="customer")


def test_a_request_that_fails_to_render_still_returns_its_error_page_not_a_log_error(
    caseworker_client,
):
    response = caseworker_client.get("/admin/accounts/customer/999999/change/")

    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert not AccessEvent.objects.exists()


def test_the_same_read_twice_in_one_request_is_one_event(caseworker, citizen):
    request = RequestFactory().get("/admin/")
    request.user = caseworker
    start_access_log(request)
    record_access(request, customer_id=citizen.customer.pk, what="claim", object_id=1)
    record_access(request, customer_id=citizen.customer.pk, what="claim", object_id=1)
    record_access(request, customer_id=citizen.customer.pk, what="claim", object_id=2)

    flush_access_log(request)

    assert sorted(AccessEvent.objects.values_list("object_id", flat=True)) == [1, 2]


def test_an_unknown_kind_of_read_is_refused(caseworker, citizen):
    request = RequestFactory().get("/admin/")
    request.user = caseworker
    start_access_log(request)

    with pytest.raises(ValueError, match="not a valid"):
        record_access(request, customer_id=citizen.customer.pk, what="everything")


def test_only_staff_requests_are_logged(citizen_client, citizen):
    citizen_client.get("/account/profile/")

    assert not AccessEvent.objects.exists()


def test_roles_come_from_groups(caseworker, team_leader, operator):
    plain = make_staff("plain@example.org")

    assert [role_of(u) for u in (caseworker, team_leader, operator, plain)] == [
        "caseworker",
        "team leader",
        "operator",
        "staff",
    ]


def test_the_customer_360_page_is_logged(caseworker_client, citizen):
    response = caseworker_client.get(f"/admin/customers/{citizen.customer.pk}/360/")

    assert response.status_code == 200
    assert list(AccessEvent.objects.values_list("what", "view")) == [
        ("customer_360", "customer-360")
    ]


# The log in the admin: to read, never to change


@pytest.fixture
def event(caseworker, citizen):
    log_reads(caseworker, citizen.customer)
    return AccessEvent.objects.get()


def test_nobody_may_add_change_or_delete_an_event_not_even_a_superuser(operator, event):
    model_admin = admin.site._registry[AccessEvent]
    request = RequestFactory().get("/admin/")
    request.user = operator

    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_posts_to_change_or_delete_an_event_are_refused(operator_client, event):
    url = f"/admin/accounts/accessevent/{event.pk}"
    assert operator_client.get(f"{url}/change/").status_code == 200  # to read

    assert operator_client.post(f"{url}/delete/", {"post": "yes"}).status_code == 403
    assert operator_client.post(f"{url}/change/", {"role": "nobody"}).status_code == 403
    assert operator_client.post(
        "/admin/accounts/accessevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    ).status_code in (200, 302)
    assert operator_client.get("/admin/accounts/accessevent/add/").status_code == 403

    assert AccessEvent.objects.filter(pk=event.pk, role="caseworker").exists()


def test_the_log_can_be_searched_by_customer_reference_and_filtered(
    operator_client, event, other_citizen, caseworker, citizen
):
    response = operator_client.get(
        "/admin/accounts/accessevent/",
        {"q": citizen.customer.reference, "what": "customer", "staff__id__exact": caseworker.pk},
    )
    none = operator_client.get(
        "/admin/accounts/accessevent/", {"q": other_citizen.customer.reference}
    )

    assert response.status_code == 200
    assert citizen.customer.reference in response.content.decode()
    assert citizen.customer.reference not in none.content.decode()
    # The staff filter offers staff, not every citizen's account.
    assert other_citizen.email not in response.content.decode()


# The citizen's page


def test_the_citizen_sees_a_caseworker_but_not_their_email_by_default(
    caseworker_client, caseworker, citizen
):
    caseworker_client.get(change_page(citizen.customer))
    citizen_client = Client()
    citizen_client.force_login(citizen)

    page = citizen_client.get("/account/access-log/").content.decode()

    assert "Who has looked at your record" in page
    assert "A caseworker" in page
    assert "Your record" in page
    assert caseworker.email not in page


def test_with_the_setting_on_the_citizen_sees_the_staff_members_email(
    citizen_client, caseworker, citizen, settings
):
    settings.ACCESS_LOG_SHOW_STAFF_NAMES = True
    log_reads(caseworker, citizen.customer)

    page = citizen_client.get("/account/access-log/").content.decode()

    assert "A caseworker" in page
    assert caseworker.email in page


def test_claims_and_documents_are_named(citizen_client, caseworker, citizen):
    from tests.claim_factory import claim_with_document

    claim, document = claim_with_document(citizen)
    log_reads(caseworker, citizen.customer, "claim", [claim.pk])
    log_reads(caseworker, citizen.customer, "document", [document.pk])

    page = citizen_client.get("/account/access-log/").content.decode()

    assert escape(f"A claim: {claim.benefit.name} {claim.reference}") in page
    assert "A document you sent: Payslip" in page


def test_lists_searches_and_histories_read_plainly_and_name_nobody_else(
    caseworker_client, citizen, other_citizen
):
    from accounts import services
    from tests.claim_factory import sent_claim

    services.update_contact_details(
        customer=citizen.customer, by=citizen, phone="", address_line_1="1 High Street",
        address_line_2="", town="Cardiff", postcode="CF10 1AA",
    )  # fmt: skip
    others_claim = sent_claim(other_citizen)
    sent_claim(citizen)
    caseworker_client.get("/admin/benefits/claim/")  # both claims on the page
    caseworker_client.get("/admin/accounts/customer/", {"q": "CF10"})
    caseworker_client.get(f"/admin/accounts/customer/{citizen.customer.pk}/history/")
    citizen_client = Client()
    citizen_client.force_login(citizen)

    page = citizen_client.get("/account/access-log/").content.decode()

    assert "Your details, in a list of claims" in page
    assert "Your details, in search results for customers" in page
    assert "Your record (its history of changes)" in page
    assert page.count("A caseworker") == 3
    # What the caseworker typed, and who else was on the page, stay with the auditors.
    assert "CF10" not in page
    assert others_claim.reference not in page
    assert other_citizen.customer.reference not in page


def test_auditors_find_a_list_a_customer_was_on_by_their_reference(
    caseworker_client, operator, citizen, other_citizen
):
    from tests.claim_factory import sent_claim

    sent_claim(citizen)
    sent_claim(other_citizen)
    caseworker_client.get("/admin/benefits/claim/")
    auditor = Client()
    sign_in_with_mfa(auditor, operator)

    for person in (citizen, other_citizen):
        found = auditor.get("/admin/accounts/accessevent/", {"q": person.customer.reference})

        assert found.status_code == 200
        assert texts(found, "#result_list tbody tr td.field-page") == ["in a list"]


def test_another_customers_reads_are_never_shown(
    citizen_client, caseworker, citizen, other_citizen
):
    from tests.claim_factory import sent_claim

    others_claim = sent_claim(other_citizen)
    log_reads(caseworker, other_citizen.customer, "claim", [others_claim.pk])
    # Even an event of Alice's that names Bob's claim does not reveal it.
    log_reads(caseworker, citizen.customer, "claim", [others_claim.pk])

    page = citizen_client.get("/account/access-log/").content.decode()

    assert page.count("A caseworker") == 1
    assert others_claim.reference not in page
    assert other_citizen.customer.reference not in page


def test_the_page_needs_sign_in(client):
    response = client.get("/account/access-log/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_the_log_is_newest_first_and_paginated_by_50(
    citizen_client, caseworker, team_leader, citizen
):
    log_reads(caseworker, citizen.customer, times=50)
    log_reads(team_leader, citizen.customer)

    first = citizen_client.get("/account/access-log/").content.decode()
    second = citizen_client.get("/account/access-log/", {"page": 2}).content.decode()

    assert first.index("A team leader") < first.index("A caseworker")
    assert first.count("A caseworker") == 49
    assert second.count("A caseworker") == 1
    assert 'rel="next"' in first


def test_the_citizen_page_runs_the_same_queries_for_a_few_or_200_events(
    citizen_client, caseworker, citizen, other_citizen,
    django_assert_max_num_queries, settings,
):  # fmt: skip
    from tests.claim_factory import claim_with_document

    # The header caches in Redis database 15, which other test runs may clear at any
    # moment; a cache of this test's own keeps the two counts comparable.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "access-log-query-count",
        }
    }
    claim, document = claim_with_document(citizen)

    def grow(times: int) -> None:
        for _ in range(times):  # every kind of read on each page
            log_reads(caseworker, citizen.customer, "customer")
            log_reads(caseworker, citizen.customer, "claim", [claim.pk])
            log_reads(caseworker, citizen.customer, "document", [document.pk])
            log_list(caseworker, [citizen.customer, other_citizen.customer], search="x")

    grow(1)
    citizen_client.get("/account/access-log/")  # the session's first request does extra work
    with django_assert_max_num_queries(16) as few:
        assert citizen_client.get("/account/access-log/").status_code == 200
    grow(66)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert citizen_client.get("/account/access-log/").status_code == 200

    assert AccessEvent.objects.count() == 268
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_profile_and_services_pages_link_to_the_log(citizen_client):
    for path in ("/account/profile/", "/your-services/"):
        assert 'href="/account/access-log/"' in citizen_client.get(path).content.decode()


# One look, one event: acting on the page a caseworker is reading is not a second look


def test_acting_on_an_open_claim_is_not_a_second_look(caseworker_client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    page = f"/admin/benefits/claim/{claim.pk}/change/"

    opened = caseworker_client.get(page)
    # The note form is on the claim page; the browser comes back to it after the POST.
    acted = caseworker_client.post(
        f"/admin/benefits/claim/{claim.pk}/act/note/",
        {"note-text": "Checked the caring hours."},
        follow=True,
    )

    assert opened.status_code == acted.status_code == 200
    assert acted.redirect_chain == [(f"/admin/benefits/claim/{claim.pk}/change/", 302)]
    assert list(AccessEvent.objects.values_list("what", "object_id")) == [("claim", claim.pk)]


def test_taking_the_next_claim_records_the_claim_it_opens(caseworker_client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    # A POST that redirects to a page the caseworker has not looked at yet.
    response = caseworker_client.post("/admin/benefits/claim/take-next/", follow=True)

    assert response.redirect_chain[-1][0] == f"/admin/benefits/claim/{claim.pk}/change/"
    assert list(AccessEvent.objects.values_list("what", "object_id")) == [("claim", claim.pk)]


def test_after_looking_at_something_else_coming_back_is_a_new_look(caseworker_client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    page = f"/admin/benefits/claim/{claim.pk}/change/"
    caseworker_client.get(page)
    caseworker_client.get(change_page(citizen.customer))  # another tab, say
    caseworker_client.post(
        f"/admin/benefits/claim/{claim.pk}/act/note/", {"note-text": "Checked."}, follow=True
    )

    assert list(AccessEvent.objects.order_by("pk").values_list("what", flat=True)) == [
        "claim", "customer", "claim",
    ]  # fmt: skip


@pytest.mark.parametrize("referer", ["", "/admin/accounts/customer/", "SAME"])
def test_opening_or_reloading_a_record_is_a_look_each_time(caseworker_client, citizen, referer):
    page = change_page(citizen.customer)
    # Whatever the browser says it came from (a Referer can be made up), a GET that does
    # not follow the staff member's own POST is a look.
    headers = {"HTTP_REFERER": "http://testserver" + (page if referer == "SAME" else referer)}
    for _ in range(2):
        caseworker_client.get(page, **headers)

    assert AccessEvent.objects.count() == 2
