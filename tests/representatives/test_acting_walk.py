"""The URL walk, for representatives: exactly the scoped pages of the person, nothing else.

Every citizen route is opened by Sam acting for Priya, with Priya's own ids: with the
scope the route's view is marked with, Sam gets what Priya gets; without it, a 404. Pages
only for the person themself (no mark) are a 404 whatever the scopes. Sam acting for Priya
never reaches Bob's records; a representative limited to one claim gets a 404 for the
others; and once Priya stops Sam, his very next request to any of her pages is a 404.
"""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from accounts.acting import Scope, scopes_of
from representatives.middleware import SESSION_KEY
from representatives.models import RepresentativeAction
from tests.representatives.helpers import ALL_SCOPES, invite_and_accept, with_mfa
from tests.test_url_access import (
    CITIZEN,
    OPENS_BY_REDIRECT,
    OTHERS_IDS,
    POST_ONLY,
    SIMPLE,
)

# The person's own routes with ids, built from their own records (the representatives'
# pages are about who acts for whom, walked in test_representatives.py).
WITH_IDS = sorted(n for n in OTHERS_IDS if not n.startswith("representatives:"))
SIMPLE_CITIZEN = sorted(r.name for r in SIMPLE if r.rule == CITIZEN and r.name)


def _act(client, representative, representation) -> None:
    client.force_login(representative)
    session = client.session
    session[SESSION_KEY] = representation.pk
    session.save()


def _needed(url: str) -> frozenset[str] | None:
    return scopes_of(resolve(url).func)


def _owner_status(client, person, url: str, name: str) -> int:
    client.force_login(person)
    status = client.get(url).status_code
    client.logout()
    return status


@pytest.fixture
def priya(citizen):
    return citizen


@pytest.fixture
def sam(other_citizen):
    return with_mfa(other_citizen)


def _url(name: str, person) -> str:
    if name in OTHERS_IDS:
        return reverse(name, kwargs=OTHERS_IDS[name](person))
    return reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_IDS + SIMPLE_CITIZEN)
def test_a_representative_with_every_scope_reaches_what_the_person_reaches(
    client, priya, sam, name
):
    url = _url(name, priya)
    owner = _owner_status(client, priya, url, name)
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES)
    _act(client, sam, representation)

    got = client.get(url).status_code

    if _needed(url) is None:
        assert got == 404, f"{name} is only for the person, yet a representative got {got}"
    else:
        assert got == owner, (name, owner, got)
        assert owner in (200, 302, 405) or name in OPENS_BY_REDIRECT | POST_ONLY


# Open to anyone acting, whatever the scopes: the person's "Your services" page (it shows only
# what the scopes allow: tests/representatives/test_representatives.py) and "People you help".
ANY_SCOPE = {"portal:home", "portal:home_live", "representatives:helping"}


def test_only_the_landing_pages_need_no_scope():
    assert {n for n in SIMPLE_CITIZEN if _needed(reverse(n)) == frozenset()} == ANY_SCOPE


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in WITH_IDS + SIMPLE_CITIZEN if n not in ANY_SCOPE])
def test_without_the_scope_the_page_does_not_exist(client, priya, sam, name):
    url = _url(name, priya)
    needed = _needed(url)
    others = ALL_SCOPES if needed is None else [s for s in ALL_SCOPES if s not in needed]
    representation = invite_and_accept(priya, sam, scopes=others)
    _act(client, sam, representation)

    assert client.get(url).status_code == 404
    assert client.post(url, {"anything": "1"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_IDS)
def test_a_representative_of_priya_never_reaches_bob(client, priya, sam, name):
    from tests.representatives.helpers import make_citizen

    bob = make_citizen()
    url = reverse(name, kwargs=OTHERS_IDS[name](bob))
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES)
    _act(client, sam, representation)

    if name in POST_ONLY:
        assert client.post(url).status_code == 404
    else:
        assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_IDS)
def test_after_revocation_every_page_of_the_person_is_not_found(client, priya, sam, name):
    from representatives import services

    url = _url(name, priya)
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES)
    _act(client, sam, representation)
    services.stop(representation=representation, by=priya)

    # The very next request:
    assert (client.post(url) if name in POST_ONLY else client.get(url)).status_code == 404
    assert SESSION_KEY not in client.session


CLAIM_ROUTES = [n for n in WITH_IDS if n.startswith("claims:") and n != "claims:sent"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*CLAIM_ROUTES, "conversations:new_about_claim"])
def test_limited_to_one_claim_the_others_do_not_exist(client, priya, sam, name):
    from tests.claim_factory import sent_claim

    other_url = _url(name, priya)  # built on another of Priya's claims
    chosen = sent_claim(priya)  # a claim for a benefit she has no other claim for
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES, claims=[chosen])
    _act(client, sam, representation)

    assert client.get(reverse("claims:detail", args=[chosen.pk])).status_code == 200
    assert client.get(other_url).status_code == 404


PERSON_ONLY = [
    "accounts:security",
    "accounts:access_log",
    "accounts:edit_personal_details",
    "accounts:edit_bank_details",
    "notifications:preferences",
    "representatives:index",
    "representatives:invite",
    "representatives:activity",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSON_ONLY)
def test_sign_in_security_and_representatives_are_never_shown_to_a_representative(
    client, priya, sam, name
):
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES)
    _act(client, sam, representation)

    assert client.get(reverse(name)).status_code == 404


@pytest.mark.django_db
def test_what_the_representative_opens_and_does_is_written_down_for_the_person(client, priya, sam):
    from tests.claim_factory import sent_claim, upload

    claim = sent_claim(priya)
    representation = invite_and_accept(priya, sam, scopes=[Scope.SEE, Scope.ACT])
    _act(client, sam, representation)

    client.get(reverse("claims:detail", args=[claim.pk]))
    response = client.post(
        reverse("claims:add_evidence", args=[claim.pk]),
        {"evidence_kind": "other", "document": upload()},
    )
    client.get(reverse("accounts:session_status"))  # the page's own poll: not written down

    actions = list(RepresentativeAction.objects.filter(customer=priya.customer).order_by("at"))
    assert [a.kind for a in actions] == ["view", "action"], response.status_code
    assert actions[0].what == f"Looked at a claim ({claim.reference})"
    assert actions[1].what == f"Sent a document ({claim.reference})"
    assert {a.by_id for a in actions} == {sam.pk}
    assert {a.by_name for a in actions} == {"Sam Shah"}

    client.force_login(priya)
    page = client.get(reverse("representatives:activity")).content.decode()
    assert "Sent a document" in page
    assert "Sam Shah" in page


WHOLE_RECORD = sorted(
    n
    for n in WITH_IDS + SIMPLE_CITIZEN
    if not n.startswith(("claims:", "conversations:", "representatives:", "portal:"))
    and n != "notifications:open"  # a notification's id: covered with the others below
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*WHOLE_RECORD, "notifications:open", "conversations:new"])
def test_limited_to_one_claim_pages_about_the_whole_record_do_not_exist(client, priya, sam, name):
    from accounts.acting import per_claim
    from tests.claim_factory import sent_claim

    url = _url(name, priya)
    chosen = sent_claim(priya)
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES, claims=[chosen])
    _act(client, sam, representation)

    needed = _needed(url)
    assert needed is None or (needed and not per_claim(resolve(url).func)), (
        f"{name} is open to a representative limited to one claim"
    )
    assert (client.post(url) if name in POST_ONLY else client.get(url)).status_code == 404


@pytest.mark.django_db
def test_limited_to_one_claim_the_message_list_holds_only_its_conversations(client, priya, sam):
    from tests.claim_factory import sent_claim
    from tests.conversations.helpers import ask

    chosen, other = sent_claim(priya), sent_claim(priya)
    about_chosen = ask(priya, subject="About the chosen one", claim=chosen)
    ask(priya, subject="About the other one", claim=other)
    ask(priya, subject="A general question")
    representation = invite_and_accept(priya, sam, scopes=ALL_SCOPES, claims=[chosen])
    _act(client, sam, representation)

    page = client.get(reverse("conversations:list"))

    assert [c.pk for c in page.context["page"].object_list] == [about_chosen.pk]
