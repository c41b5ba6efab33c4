"""Every admin page that shows people's data writes the access log, with the ids it showed.

The test walks every registered ModelAdmin. A model holds personal data when it is a
customer or an account, or reaches one through its foreign keys; its admin must record
access (``accounts.access.RecordsAccess``) unless it is on ``NOT_LOGGED`` with the reason.
For each such admin, one row for Alice and one for Bob are made through the services, and
the list, a search, the change page and the history page are opened as an operator: each
writes one event naming the rows and the customers the page showed. Opening the list with
more rows runs no more queries.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.db.models import ForeignKey, OneToOneField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.access import RecordsAccess
from accounts.models import AccessEvent, Customer, User
from tests.conftest import make_person
from tests.helpers import select

pytestmark = pytest.mark.django_db

# Models that reach a person but whose admin does not record reads, and why.
NOT_LOGGED = {
    "accounts.accessevent": "the access log itself, read by auditors; recording each audit "
    "read in the log it reads would bury the reads it exists to show",
    "portal.workerprobe": "names only the operator who sent a probe: staff, never customers",
    "representatives.organisation": "an organisation and its advisers' sign-ins: no customer's "
    "records (the people it acts for are representations, logged)",
}


def _reaches_a_person(model, depth: int = 3) -> bool:
    if model in (Customer, User):
        return True
    if depth == 0:
        return False
    return any(
        _reaches_a_person(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey | OneToOneField) and field.concrete
    )


def personal_data_admins() -> dict[str, admin.ModelAdmin]:
    return {
        model._meta.label_lower: model_admin
        for model, model_admin in admin.site._registry.items()
        if _reaches_a_person(model) and model._meta.label_lower not in NOT_LOGGED
    }


# One row of each model for a person, through the services, and what finds it in a search.


def _customer(user):
    return user.customer, user.customer.reference


def _account(user):
    return user, user.email


def _household_member(user):
    from accounts import services

    member = services.add_household_member(
        customer=user.customer, by=user, relationship="child", name="Sam",
        date_of_birth=date(2020, 5, 1), joined_on=date(2020, 5, 1),
    )  # fmt: skip
    return member, user.customer.reference


def _fact(user):
    from accounts import services

    fact = services.record_fact(
        customer=user.customer, kind="monthly_earnings", value=900,
        effective_from=date(2025, 1, 1), by=user,
    )  # fmt: skip
    return fact, user.customer.reference


def _journey(user):
    from journeys import services
    from journeys.models import LifeEvent

    journey = services.start_journey(
        customer=user.customer, event=LifeEvent.objects.get(code="having-a-baby"),
        event_date=timezone.localdate() + timedelta(days=30), answers={}, by=user,
    )  # fmt: skip
    return journey, user.customer.reference


def _task(user):
    journey, reference = _journey(user)
    return journey.tasks.order_by("pk").first(), reference


def _goal(user):
    from journeys import services

    goal = services.create_goal(
        customer=user.customer, title="Back to work", target_date=None, steps=["Update CV"],
        by=user,
    )  # fmt: skip
    return goal, user.customer.reference


def _change_report(user):
    from journeys import services

    report = services.confirm_change(
        customer=user.customer, by=user, token=f"t-{user.pk}", kind="caring",
        details={"caring_hours": 0}, happened_on=timezone.localdate() - timedelta(days=10),
    )  # fmt: skip
    return report, user.customer.reference


def _notification(user):
    from notifications import services

    note = services.notify(customer=user.customer, kind="status", title="Your claim moved on")
    return note, user.customer.reference


def _delivery(user):
    from tests.helpers import set_channels

    set_channels(user, ["email"])
    note, reference = _notification(user)
    return note.deliveries.get(), reference


def _letter(user):
    from accounts import services as account_services
    from notifications import services
    from notifications.models import PrintQueueEntry
    from tests.helpers import set_channels

    customer = user.customer
    account_services.update_contact_details(
        customer=customer, by=user, phone="", address_line_1="1 High St",
        address_line_2="", town="Cardiff", postcode="CF10 1AA",
    )  # fmt: skip
    set_channels(user, ["post"])
    note, reference = _notification(user)
    delivery = note.deliveries.get()
    services.deliver_many([delivery.pk])
    return PrintQueueEntry.objects.get(pk=delivery.pk), reference


def _claim(user):
    from tests.claim_factory import sent_claim

    return sent_claim(user), user.customer.reference


def _document(user):
    from tests.claim_factory import claim_with_document

    claim, document = claim_with_document(user)
    return document, claim.reference


def _conversation(user):
    from tests.conversations.casework_factory import conversation

    return conversation(user), user.customer.reference


def _email_address(user):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.get(user=user), user.email


def _authenticator(user):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    return TOTP.activate(user, TOTP_SECRET).instance, user.email


def _user_session(user):
    from allauth.usersessions.models import UserSession

    browser = Client()
    browser.force_login(user)
    browser.get("/account/profile/")
    return UserSession.objects.get(user=user), user.email


def _appointment(user):
    from tests.appointment_factory import booked_appointment

    appointment = booked_appointment(user)
    return appointment, user.customer.reference


def _follow_up(user):
    from appointments import services
    from appointments.models import Appointment

    appointment, reference = _appointment(user)
    # It began an hour ago and the person did not come (no service travels in time).
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    services.record_outcome(appointment=appointment, outcome="missed", by=user)
    return appointment.follow_up, reference


def _representation(user):
    from tests.representatives.helpers import representation_for

    return representation_for(user.customer, scopes=["see"]), user.customer.reference


def _representative_action(user):
    from representatives.models import RepresentativeAction

    representation, reference = _representation(user)
    action = RepresentativeAction.objects.create(
        representation=representation, customer=user.customer, by=representation.representative,
        by_name="Sam Shah", kind="view", what="Looked at a claim", route="claims:detail",
    )  # fmt: skip
    return action, reference


def _data_export(user):
    from representatives.models import DataExport

    return DataExport.objects.create(customer=user.customer, requested_by=user), (
        user.customer.reference
    )


def _consent_record(user):
    from representatives import consents

    record = consents.grant_consent(customer=user.customer, purpose=consents.RESEARCH, by=user)
    return record, user.customer.reference


def _correction_request(user):
    from representatives import corrections

    request = corrections.request_correction(
        customer=user.customer, by=user, subject="phone", what_is_wrong="Not my number",
        should_be="07700 900123",
    )  # fmt: skip
    return request, user.customer.reference


MAKERS = {
    "representatives.dataexport": _data_export,
    "representatives.representation": _representation,
    "representatives.representativeaction": _representative_action,
    "representatives.consentrecord": _consent_record,
    "representatives.correctionrequest": _correction_request,
    "appointments.appointment": _appointment,
    "appointments.followup": _follow_up,
    "accounts.customer": _customer,
    "accounts.user": _account,
    "accounts.householdmember": _household_member,
    "accounts.fact": _fact,
    "journeys.journey": _journey,
    "journeys.task": _task,
    "journeys.goal": _goal,
    "journeys.changereport": _change_report,
    "notifications.notification": _notification,
    "notifications.delivery": _delivery,
    "notifications.printqueueentry": _letter,
    "benefits.claim": _claim,
    "benefits.document": _document,
    "conversations.conversation": _conversation,
    "account.emailaddress": _email_address,
    "mfa.authenticator": _authenticator,
    "usersessions.usersession": _user_session,
}


def test_every_admin_of_personal_data_records_access():
    admins = personal_data_admins()

    not_recording = sorted(label for label, a in admins.items() if not isinstance(a, RecordsAccess))
    assert not_recording == [], "record access (RecordsAccess), or add to NOT_LOGGED with why"
    assert sorted(admins) == sorted(MAKERS), "a new personal-data admin needs a maker here"
    assert all(reason for reason in NOT_LOGGED.values())


def _events_of(response_callable):
    before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = response_callable()
    assert response.status_code == 200, response.status_code
    return response, list(AccessEvent.objects.filter(pk__gt=before).order_by("pk"))


def _ids_on_the_list(response, base: str) -> set[int]:
    """The rows the page shows: each links to its change page."""
    ids = set()
    for link in select(response, "#result_list a"):
        href = link.get("href", "").split("?")[0]  # a search's links keep it in the query
        if href.startswith(base) and href.endswith("/change/"):
            ids.add(int(href[len(base) :].split("/")[0]))
    return ids


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_every_page_of_a_personal_data_admin_is_logged_with_the_ids_it_shows(
    label, operator_client, operator, citizen, other_citizen, django_assert_max_num_queries
):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    mine, term = MAKERS[label](citizen)
    theirs, _ = MAKERS[label](other_citizen)
    both = {citizen.customer.pk, other_citizen.customer.pk}

    # The list: one event for the page, naming every row and every customer on it.
    page, events = _events_of(lambda: operator_client.get(base))
    shown = _ids_on_the_list(page, base)
    assert {mine.pk, theirs.pk} <= shown
    [event] = events
    assert (event.page, event.model, event.staff, event.customer) == ("list", label, operator, None)
    assert set(event.object_ids) == shown
    assert set(event.customer_ids) == both
    assert event.view == f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"

    # More rows on the page, no more queries: the log reads the ids the page already has.
    with CaptureQueriesContext(connection) as few:
        operator_client.get(base)
    budget = len(few.captured_queries)  # now: a later request clears the connection's log
    for n in range(3):
        MAKERS[label](make_person(f"more{n}@example.org"))
    with django_assert_max_num_queries(budget):
        page = operator_client.get(base)
    [event] = AccessEvent.objects.order_by("-pk")[:1]
    assert set(event.object_ids) == _ids_on_the_list(page, base) > shown
    assert len(event.customer_ids) == 5

    # A search: the term is kept (for auditors), and only the rows found are named.
    if model_admin.get_search_fields(page.wsgi_request):
        page, [event] = _events_of(lambda: operator_client.get(base, {"q": term}))
        assert (event.page, event.search) == ("search", term)
        assert mine.pk in set(event.object_ids) == _ids_on_the_list(page, base)
        assert theirs.pk not in event.object_ids
        assert event.customer_ids == [citizen.customer.pk]

    # The change page and the history page: one event each, about Alice's row.
    for url, kind in ((f"{base}{mine.pk}/change/", "detail"), (f"{base}{mine.pk}/history/", "history")):  # fmt: skip
        _page, [event] = _events_of(lambda url=url: operator_client.get(url))
        assert (event.page, event.customer_id, event.customer_ids) == (
            kind, citizen.customer.pk, [citizen.customer.pk],
        )  # fmt: skip
        assert (event.model, event.object_id) == (label, mine.pk)


def test_a_claims_own_history_versions_are_logged(operator_client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    version = claim.history.order_by("history_id").first()

    _page, [event] = _events_of(
        lambda: operator_client.get(
            f"/admin/benefits/claim/{claim.pk}/history/{version.history_id}/"
        )
    )

    assert (event.page, event.what, event.object_id, event.customer_id) == (
        "history", "claim", claim.pk, citizen.customer.pk,
    )  # fmt: skip


def test_customers_found_by_an_autocomplete_are_logged_as_a_search(
    operator_client, operator, citizen, other_citizen
):
    # The "customer" box of the add-a-fact form searches customers as staff type.
    search = {
        "term": citizen.customer.reference,
        "app_label": "accounts",
        "model_name": "fact",
        "field_name": "customer",
    }
    _response, [event] = _events_of(lambda: operator_client.get("/admin/autocomplete/", search))

    assert (event.page, event.search, event.model) == (
        "search", citizen.customer.reference, "accounts.customer",
    )  # fmt: skip
    assert event.object_ids == event.customer_ids == [citizen.customer.pk]


def test_a_delete_confirmation_lists_the_chosen_rows_and_is_logged(
    operator_client, citizen, other_citizen
):
    from accounts.models import HouseholdMember

    mine, _ = _household_member(citizen)
    theirs, _ = _household_member(other_citizen)
    chosen = {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk]}

    # Without "post": the "are you sure?" page, listing both. Nothing is deleted yet.
    page, [event] = _events_of(
        lambda: operator_client.post("/admin/accounts/householdmember/", chosen)
    )

    assert "Sam" in page.content.decode()
    assert (event.page, event.model) == ("list", "accounts.householdmember")
    assert set(event.object_ids) == {mine.pk, theirs.pk}
    assert set(event.customer_ids) == {citizen.customer.pk, other_citizen.customer.pk}
    assert HouseholdMember.objects.filter(pk=mine.pk).exists()


def test_the_set_a_password_page_for_a_persons_account_is_logged(operator_client, citizen):
    _page, [event] = _events_of(
        lambda: operator_client.get(f"/admin/accounts/user/{citizen.pk}/password/")
    )

    assert (event.page, event.customer_id, event.model, event.object_id) == (
        "detail", citizen.customer.pk, "accounts.user", citizen.pk,
    )  # fmt: skip
