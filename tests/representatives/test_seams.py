"""Where the parts of issue 16 meet: representatives, consents, closing, retention, copies.

Each test here failed once: found by walking the journeys across the parts.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from representatives import consents, services
from representatives.middleware import SESSION_KEY
from representatives.models import Representation
from representatives.retention import closing
from tests.claim_factory import sent_claim
from tests.conftest import make_person
from tests.representatives.helpers import invite_and_accept, with_mfa


def _act(client, representative, representation) -> None:
    client.force_login(representative)
    session = client.session
    session[SESSION_KEY] = representation.pk
    session.save()


def _party(rep):
    return consents.Party.representation(rep.pk)


@pytest.mark.django_db
def test_sam_closing_his_account_withdraws_priyas_consent_for_him(citizen, other_citizen):
    """closing.close_account bulk-updates representations to REVOKED without going through
    services.stop: the consent 'share with my representatives: Sam' stays in force and Priya
    still sees it under 'In force now' with a Withdraw link."""
    priya, sam = citizen, with_mfa(other_citizen)
    rep = invite_and_accept(priya, sam, scopes=["see"])
    closing.close_account(customer=sam.customer, by=sam)
    rep.refresh_from_db()
    assert rep.status == Representation.Status.REVOKED
    assert not consents.has_consent(
        customer=priya.customer, purpose=consents.REPRESENTATIVES, party=_party(rep)
    )


@pytest.mark.django_db
def test_priya_closing_her_account_withdraws_her_consents_to_representatives(
    citizen, other_citizen
):
    priya, sam = citizen, with_mfa(other_citizen)
    rep = invite_and_accept(priya, sam, scopes=["see"])
    closing.close_account(customer=priya.customer, by=priya)
    assert not consents.has_consent(
        customer=priya.customer, purpose=consents.REPRESENTATIVES, party=_party(rep)
    )


@pytest.mark.django_db
def test_priya_is_told_when_sam_closing_his_account_stops_him(citizen, other_citizen):
    """services.stop notifies the person when someone else ends it; closing does not."""
    from notifications.models import Notification

    priya, sam = citizen, with_mfa(other_citizen)
    invite_and_accept(priya, sam, scopes=["see"])
    before = Notification.objects.filter(customer=priya.customer).count()
    closing.close_account(customer=sam.customer, by=sam)
    assert Notification.objects.filter(customer=priya.customer).count() == before + 1


@pytest.mark.django_db
def test_a_declined_invitation_leaves_no_consent_in_force(citizen, other_citizen):
    priya = citizen
    rep, token = services.invite(
        customer=priya.customer, by=priya, name="Sam", email=other_citizen.email, scopes=["see"]
    )
    services.decline(token=token)
    assert not consents.has_consent(
        customer=priya.customer, purpose=consents.REPRESENTATIVES, party=_party(rep)
    )


@pytest.mark.django_db
def test_the_footer_privacy_link_works_while_acting(client, citizen, other_citizen):
    """base.html's footer links to representatives:privacy on every page; the view has no
    @representable mark, so while acting it is a 404 (accessibility is marked, privacy not)."""
    rep = invite_and_accept(citizen, with_mfa(other_citizen), scopes=["see"])
    _act(client, other_citizen, rep)
    home = client.get(reverse("portal:home"))
    assert reverse("representatives:privacy") in home.content.decode()
    assert client.get(reverse("representatives:privacy")).status_code == 200


@pytest.mark.django_db
def test_home_offers_only_links_a_claim_limited_representative_can_open(
    client, citizen, other_citizen
):
    """`may` ignores Acting.claim_ids: a representative limited to one claim sees 'Their
    details', 'Their household', 'Notifications', 'Something has happened' on the home page,
    and every one is a 404 (views not marked per_claim)."""
    claim = sent_claim(citizen)
    rep = invite_and_accept(citizen, with_mfa(other_citizen), scopes=["see"], claims=[claim])
    _act(client, other_citizen, rep)
    page = client.get(reverse("portal:home")).content.decode()
    broken = []
    for name in ("accounts:profile", "accounts:household", "notifications:inbox", "journeys:index"):
        url = reverse(name)
        if f'href="{url}"' in page and client.get(url).status_code == 404:
            broken.append(name)
    assert broken == []


@pytest.mark.django_db
def test_a_staff_account_cannot_accept_an_invitation(citizen):
    """Nothing stops a caseworker's account from accepting (or being invited): they then read
    the citizen's record through citizen pages, outside RecordsAccess and its access log."""
    staff = make_person("caseworker-rep@example.org", staff=True)
    _rep, token = services.invite(
        customer=citizen.customer, by=citizen, name="Cas", email=staff.email, scopes=["see"]
    )
    with pytest.raises(ValidationError, match="staff account cannot act"):
        services.accept(token=token, by=staff, has_mfa=True)


@pytest.mark.django_db
def test_a_told_representative_is_not_told_about_another_representative(citizen, other_citizen):
    """services.accept/record_formal/stop notify Priya ("Bob can now act for you"); copies.py
    copies every notification without a claim link to Sam (told, all claims): Sam learns
    who else acts for Priya ("Representatives never see another representative's details")."""
    from notifications.models import Notification

    priya, sam = citizen, with_mfa(other_citizen)
    invite_and_accept(priya, sam, scopes=["see", "told"])
    bob = with_mfa(make_person("bob-rep@example.org"))
    _rep, token = services.invite(
        customer=priya.customer, by=priya, name="Bob Other", email=bob.email, scopes=["see"]
    )
    services.accept(token=token, by=bob, has_mfa=True)
    copies = Notification.objects.filter(customer=sam.customer, title__contains="Bob Other")
    assert list(copies.values_list("title", flat=True)) == []


@pytest.mark.django_db
def test_an_expired_invitation_leaves_no_consent_in_force(citizen, other_citizen, monkeypatch):
    """Never accepted (14 days): the representation can never act, yet Priya's consents page
    lists 'Share with my representatives: Sam' under 'In force now' for ever; once retention
    deletes the invitation (1 year) the line stays in force with no name at all."""
    from datetime import timedelta

    from django.utils import timezone

    rep, _token = services.invite(
        customer=citizen.customer, by=citizen, name="Sam", email=other_citizen.email,
        scopes=["see"],
    )  # fmt: skip
    later = timezone.now() + timedelta(days=15)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert services.find_invitation(token=_token) is None
    assert not consents.has_consent(
        customer=citizen.customer, purpose=consents.REPRESENTATIVES, party=_party(rep)
    )


@pytest.mark.django_db
def test_a_representation_that_ran_out_is_deleted_like_a_stopped_one(citizen, other_citizen):
    """Rule representatives.representation.ended covers status='revoked' (clock ended_at);
    one that ended by its end date stays status='active' with ended_at NULL: never deleted,
    while its actions go after 6 years."""
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from representatives.retention import services as retention

    tomorrow = timezone.localdate() + timedelta(days=1)
    rep = invite_and_accept(citizen, with_mfa(other_citizen), scopes=["see"], ends_on=tomorrow)
    retention.apply_retention(apply=True, by=None, now=timezone.now() + relativedelta(years=7))
    assert not Representation.objects.filter(pk=rep.pk).exists()


@pytest.mark.django_db
def test_an_advisers_email_is_not_what_priya_reads_on_what_they_did(client, citizen, caseworker):
    """middleware.load names an organisation's adviser with activity.user_name(user): their
    Customer's legal name, else their sign-in email. An adviser who never filled in a profile
    is recorded as 'adviser@… of Org' in RepresentativeAction.by_name, shown to Priya and in
    her export."""
    from representatives.models import Organisation, RepresentativeAction

    adviser = with_mfa(make_person("private.adviser@example.org"))
    org = Organisation.objects.create(name="Welfare Rights", checked_by=caseworker, evidence="x")
    org.advisers.add(adviser)
    rep = services.record_formal(
        customer=citizen.customer, by=caseworker, kind=Representation.Kind.ORGANISATION,
        scopes=["see"], evidence="letter of authority", organisation=org,
    )  # fmt: skip
    _act(client, adviser, rep)
    assert client.get(reverse("portal:home")).status_code == 200
    names = list(RepresentativeAction.objects.values_list("by_name", flat=True))
    assert names
    assert not any("private.adviser@example.org" in n for n in names)


@pytest.mark.django_db
def test_a_staff_account_never_acts_for_a_citizen_even_if_named(client, citizen, caseworker):
    """Staff read people's records in the workspace, where every look is logged: even a
    representation naming a staff account (an appointee recorded by mistake) is refused."""
    claim = sent_claim(citizen)
    with pytest.raises(ValidationError, match="staff account cannot act"):
        services.record_formal(
            customer=citizen.customer, by=caseworker, kind=Representation.Kind.APPOINTEE,
            scopes=["see"], evidence="court order", representative=caseworker,
        )  # fmt: skip
    rep = Representation.objects.create(  # as if made before that check existed
        customer=citizen.customer, kind=Representation.Kind.APPOINTEE, name="Cas",
        status=Representation.Status.ACTIVE, representative=caseworker, scopes=["see"],
    )  # fmt: skip
    _act(client, caseworker, rep)
    assert client.get(reverse("claims:detail", kwargs={"claim_id": claim.pk})).status_code == 404
