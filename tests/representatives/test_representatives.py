"""Inviting, accepting, changing and stopping a representative; copies; appointees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.acting import Scope
from notifications.models import Notification, OutgoingEmail
from notifications.services import notify
from representatives import services
from representatives.middleware import SESSION_KEY
from representatives.models import Organisation, Representation
from tests.representatives.helpers import invite_and_accept, make_citizen, with_mfa

pytestmark = pytest.mark.django_db


def _act(client, user, representation) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = representation.pk
    session.save()


def test_an_invitation_is_emailed_with_a_link_that_only_the_email_holds(citizen):
    representation, token = services.invite(
        customer=citizen.customer, by=citizen, name="Sam Shah", email="Sam@Example.org",
        scopes=[Scope.SEE],
    )  # fmt: skip

    email = OutgoingEmail.objects.get(to="sam@example.org")
    assert reverse("representatives:accept", args=[token]) in email.body
    assert "See my claims and letters" in email.body
    assert token not in representation.token_hash  # only its hash is kept
    assert services.find_invitation(token=token) == representation


def test_an_invitation_works_for_14_days_and_not_a_minute_more(citizen, monkeypatch):
    _representation, token = services.invite(
        customer=citizen.customer, by=citizen, name="Sam", email="sam@example.org",
        scopes=[Scope.SEE],
    )  # fmt: skip
    sent = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: sent + timedelta(days=14, minutes=-1))
    assert services.find_invitation(token=token) is not None
    monkeypatch.setattr(timezone, "now", lambda: sent + timedelta(days=14, minutes=1))
    assert services.find_invitation(token=token) is None
    with pytest.raises(ValidationError):
        services.accept(token=token, by=make_citizen(), has_mfa=True)


def test_a_withdrawn_invitation_cannot_be_accepted(client, citizen):
    representation, token = services.invite(
        customer=citizen.customer, by=citizen, name="Sam", email="sam@example.org",
        scopes=[Scope.SEE],
    )  # fmt: skip
    services.stop(representation=representation, by=citizen)
    sam = make_citizen()
    client.force_login(sam)

    response = client.get(reverse("representatives:accept", args=[token]))

    assert response.status_code == 404
    assert "cannot be used" in response.content.decode()
    assert Representation.objects.get().status == Representation.Status.WITHDRAWN


def test_acting_on_claims_needs_two_step_sign_in_but_seeing_them_does_not(client, citizen):
    sam = make_citizen()
    _rep, act_token = services.invite(
        customer=citizen.customer, by=citizen, name="Sam", email=sam.email,
        scopes=[Scope.SEE, Scope.ACT],
    )  # fmt: skip
    client.force_login(sam)
    refused = client.post(reverse("representatives:accept", args=[act_token]), {"answer": "accept"})
    assert "two-step sign-in" in refused.content.decode()
    assert Representation.objects.get().status == Representation.Status.INVITED

    with_mfa(sam)
    accepted = client.post(
        reverse("representatives:accept", args=[act_token]), {"answer": "accept"}
    )
    assert accepted.status_code == 302
    representation = Representation.objects.get()
    assert representation.status == Representation.Status.ACTIVE
    assert representation.representative == sam
    assert representation.token_hash == ""  # the link is spent
    assert Notification.objects.filter(customer=citizen.customer, title__contains="Sam").exists()


def test_the_person_invites_from_the_page_with_errors_linked_to_the_fields(client, citizen):
    client.force_login(citizen)
    url = reverse("representatives:invite")

    empty = client.post(url, {"name": "", "email": "not an email"})
    page = empty.content.decode()
    assert 'href="#id_scopes' in page
    assert 'href="#id_email"' in page
    assert 'href="#id_name"' in page
    assert not Representation.objects.exists()

    sent = client.post(url, {"name": "Sam Shah", "email": "sam@example.org", "scopes": ["see"]})
    assert sent.status_code == 302
    assert Representation.objects.get().scopes == ["see"]


def test_changing_scopes_applies_on_the_representatives_next_request(client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE, Scope.TALK])
    _act(client, sam, representation)
    assert client.get(reverse("claims:detail", args=[claim.pk])).status_code == 200

    services.change(representation=representation, by=citizen, scopes=[Scope.TALK])

    assert client.get(reverse("claims:detail", args=[claim.pk])).status_code == 404
    assert client.get(reverse("conversations:list")).status_code == 200


def test_an_end_date_ends_acting_after_that_day(client, citizen):
    sam = with_mfa(make_citizen())
    today = timezone.localdate()
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE], ends_on=today)
    _act(client, sam, representation)
    assert client.get(reverse("notifications:inbox")).status_code == 200

    # The day is over: the end date is now in the past.
    Representation.objects.filter(pk=representation.pk).update(ends_on=today - timedelta(days=1))

    assert client.get(reverse("notifications:inbox")).status_code == 200  # his own inbox now
    assert SESSION_KEY not in client.session
    assert client.get(reverse("representatives:helping")).context["helped"] == []


def test_the_banner_names_the_person_and_takes_the_representative_back(client, citizen):
    sam = with_mfa(make_citizen())
    citizen.customer.legal_given_names, citizen.customer.legal_family_name = "Priya", "Shah"
    citizen.customer.save()
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE])
    client.force_login(sam)

    client.post(reverse("representatives:act_for", args=[representation.pk]))
    page = client.get(reverse("portal:home")).content.decode()
    assert "You are acting for Priya Shah" in page
    assert "Priya Shah’s services" in page

    client.post(reverse("representatives:stop_acting"))
    assert "You are acting for" not in client.get(reverse("portal:home")).content.decode()


def test_the_claim_timeline_names_the_representative(client, citizen):
    from tests.claim_factory import sent_claim, upload

    claim = sent_claim(citizen)
    sam = with_mfa(make_citizen())
    sam.customer.legal_given_names, sam.customer.legal_family_name = "Sam", "Shah"
    sam.customer.save()
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE, Scope.ACT])
    _act(client, sam, representation)
    client.post(
        reverse("claims:add_evidence", args=[claim.pk]),
        {"evidence_kind": "other", "document": upload()},
    )

    client.force_login(citizen)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "By Sam Shah, acting for" in page


def test_be_told_copies_go_to_the_representative_until_the_scope_is_taken_away(citizen):
    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.TOLD])
    Notification.objects.filter(customer=sam.customer).delete()  # "Sam can now act for you"

    notify(customer=citizen.customer, kind="status", title="Your claim was received")
    copy = Notification.objects.get(customer=sam.customer)
    assert copy.title.startswith("Copy for ")
    assert "Your claim was received" in copy.title

    services.change(representation=representation, by=citizen, scopes=[Scope.SEE])
    notify(customer=citizen.customer, kind="status", title="A second update")
    assert Notification.objects.filter(customer=sam.customer).count() == 1


def test_a_representative_limited_to_one_claim_is_told_only_about_it(citizen):
    from tests.claim_factory import sent_claim

    chosen, other = sent_claim(citizen), sent_claim(citizen)
    sam = with_mfa(make_citizen())
    invite_and_accept(citizen, sam, scopes=[Scope.TOLD], claims=[chosen])
    Notification.objects.filter(customer=sam.customer).delete()  # "Sam can now act for you"

    notify(customer=citizen.customer, kind="status", title="About chosen",
           link=reverse("claims:detail", args=[chosen.pk]))  # fmt: skip
    notify(customer=citizen.customer, kind="status", title="About other",
           link=reverse("claims:detail", args=[other.pk]))  # fmt: skip

    titles = list(
        Notification.objects.filter(customer=sam.customer).values_list("title", flat=True)
    )
    assert len(titles) == 1
    assert "About chosen" in titles[0]


def test_dashboard_shows_a_talk_only_representative_no_claims(client, citizen):
    from tests.claim_factory import sent_claim

    claim = sent_claim(citizen)
    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.TALK])
    _act(client, sam, representation)

    services_page = client.get(reverse("portal:home")).context["services"]
    assert services_page.claims == []
    assert claim.reference not in client.get(reverse("portal:home")).content.decode()


def test_a_caseworker_records_an_organisation_whose_advisers_act(client, citizen, caseworker):
    adviser = with_mfa(make_citizen())
    organisation = Organisation.objects.create(
        name="Cardiff Welfare Rights", checked_by=caseworker, evidence="Charity 1234567"
    )
    organisation.advisers.add(adviser)
    representation = services.record_formal(
        customer=citizen.customer, by=caseworker, kind=Representation.Kind.ORGANISATION,
        scopes=[Scope.SEE], evidence="Signed letter of authority seen", organisation=organisation,
    )  # fmt: skip
    client.force_login(adviser)

    assert client.get(reverse("representatives:helping")).context["helped"] == [representation]
    client.post(reverse("representatives:act_for", args=[representation.pk]))
    assert client.get(reverse("notifications:inbox")).status_code == 200
    assert client.get(reverse("conversations:list")).status_code == 404  # not given "talk"


def test_only_staff_record_appointees(citizen):
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied
        services.record_formal(
            customer=citizen.customer, by=citizen, kind=Representation.Kind.APPOINTEE,
            scopes=[Scope.SEE], evidence="x", representative=make_citizen(),
        )  # fmt: skip
    assert not Representation.objects.exists()


def test_the_person_sees_representatives_but_never_their_sign_in(client, citizen):
    sam = with_mfa(make_citizen())
    invite_and_accept(citizen, sam, scopes=[Scope.SEE])
    client.force_login(citizen)

    page = client.get(reverse("representatives:index")).content.decode()

    assert "Sam Shah" in page
    assert sam.email not in page  # the representative's sign-in stays theirs


def test_a_message_sent_by_a_representative_is_shown_as_theirs(client, citizen):
    import uuid

    from tests.conversations.helpers import ask, topic

    sam = with_mfa(make_citizen())
    sam.customer.legal_given_names, sam.customer.legal_family_name = "Sam", "Shah"
    sam.customer.save()
    representation = invite_and_accept(citizen, sam, scopes=[Scope.TALK])
    _act(client, sam, representation)
    response = client.post(
        reverse("conversations:new"),
        {"topic": topic().code, "subject": "Her payment", "body": "Has it been sent?",
         "submission_key": uuid.uuid4()},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    own = ask(citizen, subject="My own question")

    client.force_login(citizen)
    theirs = client.get(response["Location"]).content.decode()
    mine = client.get(reverse("conversations:detail", args=[own.pk])).content.decode()
    assert "Sam Shah wrote, acting for" in theirs
    assert "You wrote" in mine


def test_switching_to_act_on_claims_needs_two_step_sign_in_still_set_up(client, citizen):
    from allauth.mfa.models import Authenticator

    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE, Scope.ACT])
    Authenticator.objects.filter(user=sam).delete()  # he turned it off since
    client.force_login(sam)

    response = client.post(reverse("representatives:act_for", args=[representation.pk]))

    assert response["Location"] == reverse("mfa_index")
    assert SESSION_KEY not in client.session


def test_what_they_did_is_one_query_page_however_long(
    client, citizen, django_assert_max_num_queries
):
    from representatives.models import RepresentativeAction

    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE])
    client.force_login(citizen)
    url = reverse("representatives:activity")
    client.get(url)  # warm the session and the cache

    def add(n: int) -> None:
        RepresentativeAction.objects.bulk_create(
            RepresentativeAction(
                representation=representation,
                customer=citizen.customer,
                by=sam,
                by_name="Sam Shah",
                kind="view",
                what="Looked at a claim",
                route="claims:detail",
            )
            for _ in range(n)
        )

    add(3)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    add(200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert len(page.context["actions"]) == 50


def test_every_grant_change_and_stop_is_a_consent_record(citizen):
    from representatives.models import ConsentRecord

    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE])
    services.change(representation=representation, by=citizen, scopes=[Scope.SEE, Scope.TOLD])
    services.stop(representation=representation, by=citizen)

    records = list(
        ConsentRecord.objects.filter(customer=citizen.customer, party_id=representation.pk)
        .order_by("at", "pk")
        .values_list("action", "note")
    )
    assert records == [
        ("granted", "Sam Shah: see; all claims"),  # inviting: until the invitation expires
        ("granted", "Sam Shah: see; all claims"),  # accepted: with no end
        ("granted", "Sam Shah: see, told; all claims"),
        ("withdrawn", "Sam Shah: stopped"),
    ]


def test_withdrawing_the_consent_stops_the_representative_on_their_next_request(client, citizen):
    from representatives.models import ConsentRecord

    sam = with_mfa(make_citizen())
    representation = invite_and_accept(citizen, sam, scopes=[Scope.SEE, Scope.TOLD])
    grant = ConsentRecord.objects.filter(
        customer=citizen.customer, party_id=representation.pk
    ).latest("at", "pk")
    _act(client, sam, representation)
    assert client.get(reverse("notifications:inbox")).status_code == 200

    person = Client()
    person.force_login(citizen)
    response = person.post(reverse("representatives:withdraw_consent", args=[grant.pk]))

    assert response.status_code == 302
    representation.refresh_from_db()
    assert representation.status == Representation.Status.REVOKED
    client.get(reverse("notifications:inbox"))  # his own inbox now
    assert SESSION_KEY not in client.session
    Notification.objects.filter(customer=sam.customer).delete()
    notify(customer=citizen.customer, kind="status", title="After withdrawing")
    assert not Notification.objects.filter(customer=sam.customer).exists()


def test_a_caseworker_records_an_appointee_in_the_workspace(client, citizen, caseworker):
    from tests.conftest import sign_in_with_mfa

    appointee = make_citizen()
    sign_in_with_mfa(client, caseworker)
    url = reverse("admin:representatives_representation_add")
    assert client.get(url).status_code == 200

    missing = client.post(url, {"customer": citizen.customer.pk, "kind": "appointee",
                                "scopes": ["see", "act"], "evidence": ""})  # fmt: skip
    assert missing.status_code == 200  # sent back: no appointee chosen, no evidence
    assert not Representation.objects.exists()

    client.post(url, {"customer": citizen.customer.pk, "kind": "appointee",
                      "representative": appointee.pk, "name": "Ann Appointee",
                      "scopes": ["see", "act"], "evidence": "DWP appointee form BF56 seen"})  # fmt: skip

    recorded = Representation.objects.get()
    assert (recorded.kind, recorded.status, recorded.representative) == (
        "appointee",
        "active",
        appointee,
    )
    assert recorded.created_by == caseworker
    assert Notification.objects.filter(customer=citizen.customer, title__contains="Ann").exists()
