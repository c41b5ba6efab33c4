"""Walk every URL pattern and check who may reach it.

Every route must have a declared access rule, or this test fails: a new page cannot ship
without someone deciding who may see it. Rules:

- PUBLIC: anyone.
- CITIZEN: anonymous → sign-in redirect; a signed-in customer → their own page. Routes
  with ids must also list, in ``OTHERS_IDS``, how to build another customer's ids, which
  must be a 404.
- STAFF: anonymous → admin sign-in; a signed-in citizen → 404, as if it did not exist.
- ALLAUTH: django-allauth's own account pages (its rate limits and enumeration
  protections apply); checked in tests/accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC, CITIZEN, STAFF, ALLAUTH = "public", "citizen", "staff", "allauth"
# Special cases, each tested where its behaviour is defined (tests/accounts).
SESSION_API = "session api"  # JSON for the timeout warning: 401 when signed out
CITIZEN_REAUTH = "citizen, password again"  # signed in, and re-authenticated first
CITIZEN_ACTION = "citizen action"  # signed in; a step of a flow, tested with its flow
HEALTH_DETAIL = "staff or health token"  # 401 to anyone else (tests/portal/test_health.py)

RULES_BY_NAME: dict[str, str] = {
    "portal:start": PUBLIC,
    "portal:accessibility": PUBLIC,
    "portal:home": CITIZEN,
    "healthz": PUBLIC,
    "readyz": PUBLIC,  # ok or fail; details as for HEALTH_DETAIL
    "healthz_worker": HEALTH_DETAIL,
    "system-status": STAFF,
    "benefits:start": PUBLIC,
    "benefits:next": PUBLIC,
    "benefits:question": PUBLIC,  # the answers live in the visitor's own session
    "benefits:answers": PUBLIC,
    "benefits:results": PUBLIC,
    "benefits:start_again": PUBLIC,
    "benefits:save": CITIZEN_ACTION,  # needs sign-in; asks before saving (tests/benefits)
    "portal:home_live": CITIZEN,
    "notifications:inbox": CITIZEN,
    "journeys:index": CITIZEN,
    "journeys:start": CITIZEN_ACTION,  # takes a life event's code, not anyone's ids
    "journeys:plan": CITIZEN,
    "journeys:todo": CITIZEN,
    "journeys:task_done": CITIZEN,
    "journeys:goals": CITIZEN,
    "journeys:change_start": CITIZEN,
    "journeys:change": CITIZEN_ACTION,  # takes a kind of change; tested with its flow
    "journeys:changes": CITIZEN,
    "journeys:change_done": CITIZEN,
    "notifications:preferences": CITIZEN,
    "notifications:badge": CITIZEN,
    "notifications:open": CITIZEN,
    "claims:apply_start": CITIZEN_ACTION,  # takes a benefit's code, not anyone's ids
    "claims:apply": CITIZEN,
    "claims:apply_evidence": CITIZEN,
    "claims:apply_check": CITIZEN,
    "claims:apply_more": CITIZEN,
    "claims:apply_section": CITIZEN,
    "claims:apply_question": CITIZEN,
    "claims:sent": CITIZEN,
    "claims:detail": CITIZEN,
    "claims:status": CITIZEN,
    "claims:withdraw": CITIZEN,
    "claims:reconsider": CITIZEN,
    "claims:add_evidence": CITIZEN,
    "claims:document": CITIZEN,
    "claims:answer_request": CITIZEN,
    "claims:decision_letter": CITIZEN,
    "claims:statement": CITIZEN,
    "accounts:profile": CITIZEN,
    "accounts:edit_personal_details": CITIZEN,
    "accounts:edit_contact_details": CITIZEN_REAUTH,
    "accounts:edit_bank_details": CITIZEN_REAUTH,
    "accounts:edit_preferences": CITIZEN,
    "accounts:household": CITIZEN,
    "accounts:add_household_member": CITIZEN,
    "accounts:household_member_left": CITIZEN,
    "accounts:security": CITIZEN,
    "accounts:access_log": CITIZEN,
    "accounts:session_status": SESSION_API,
    "accounts:stay_signed_in": CITIZEN_ACTION,
    "accounts:session_ended": SESSION_API,
}
RULES_BY_PREFIX: dict[str, str] = {
    "admin/": STAFF,
    "account/": ALLAUTH,
}


# For CITIZEN routes that take ids: name -> function(other_customer_user) -> kwargs.
# Later issues add their routes here (claims, documents, journeys, ...).
def _others_household_member(other_user) -> dict[str, int]:
    from datetime import date

    from accounts import services

    member = services.add_household_member(
        customer=other_user.customer, by=other_user, relationship="child", name="Zed",
        date_of_birth=date(2020, 1, 1), joined_on=date(2020, 1, 1),
    )  # fmt: skip
    return {"member_id": member.pk}


def _others_claim(other_user) -> dict[str, int]:
    from tests.claim_factory import sent_claim

    return {"claim_id": sent_claim(other_user).pk}


def _others_draft(other_user, **extra) -> dict:
    from tests.claim_factory import draft_claim

    return {"claim_id": draft_claim(other_user, complete=True).pk, **extra}


def _others_extra_question(other_user) -> dict:
    """A draft with a question the application added for the rules, answered."""
    from benefits.claims.apply import engine
    from tests.claim_factory import draft_claim

    claim = draft_claim(other_user, "universal_credit", complete=True)
    fact = next(iter(claim.answers[engine.MORE_KEY]))
    return {"claim_id": claim.pk, "fact": fact}


def _others_document(other_user) -> dict[str, int]:
    from tests.claim_factory import claim_with_document

    claim, document = claim_with_document(other_user)
    return {"claim_id": claim.pk, "document_id": document.pk}


def _others_request(other_user) -> dict[str, int]:
    from tests.claim_factory import claim_with_request

    claim, info = claim_with_request(other_user)
    return {"claim_id": claim.pk, "request_id": info.pk}


def _others_decision(other_user) -> dict[str, int]:
    from tests.claim_factory import awarded_claim

    claim, decision = awarded_claim(other_user)
    return {"claim_id": claim.pk, "decision_id": decision.pk}


def _others_statement(other_user) -> dict[str, int]:
    from tests.claim_factory import awarded_claim

    claim, decision = awarded_claim(other_user)
    return {"claim_id": claim.pk, "version": decision.statement.version}


def _others_refused(other_user) -> dict[str, int]:
    from tests.claim_factory import refused_claim

    claim, _decision = refused_claim(other_user)
    return {"claim_id": claim.pk}


def _others_notification(other_user) -> dict[str, int]:
    from notifications.services import notify

    note = notify(
        customer=other_user.customer, kind="message", title="Hello", link="/your-services/"
    )
    return {"notification_id": note.pk}


def _others_journey(other_user) -> dict[str, int]:
    from datetime import timedelta

    from django.utils import timezone

    from journeys import services
    from journeys.models import LifeEvent

    event = LifeEvent.objects.get(code="having-a-baby")
    journey = services.start_journey(
        customer=other_user.customer, event=event, by=other_user, answers={},
        event_date=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip
    return {"journey_id": journey.pk}


def _others_task(other_user) -> dict[str, int]:
    from journeys.models import Task

    journey_id = _others_journey(other_user)["journey_id"]
    return {"task_id": Task.objects.filter(journey_id=journey_id).first().pk}


def _others_change(other_user) -> dict[str, int]:
    from datetime import timedelta

    from django.utils import timezone

    from journeys import services

    report = services.confirm_change(
        customer=other_user.customer, by=other_user, token="other-token", kind="savings",
        details={"capital": "500"}, happened_on=timezone.localdate() - timedelta(days=3),
    )  # fmt: skip
    return {"report_id": report.pk}


OTHERS_IDS: dict[str, Callable] = {
    "journeys:plan": _others_journey,
    "journeys:task_done": _others_task,
    "journeys:change_done": _others_change,
    "notifications:open": _others_notification,
    "accounts:household_member_left": _others_household_member,
    "claims:apply": _others_draft,
    "claims:apply_evidence": _others_draft,
    "claims:apply_check": _others_draft,
    "claims:apply_more": _others_extra_question,
    "claims:apply_section": lambda user: _others_draft(user, section="about-you"),
    "claims:apply_question": lambda user: _others_draft(
        user, section="about-you", slug="full_name"
    ),
    "claims:sent": _others_claim,
    "claims:detail": _others_claim,
    "claims:status": _others_claim,
    "claims:withdraw": _others_claim,
    "claims:add_evidence": _others_claim,
    "claims:reconsider": _others_refused,
    "claims:document": _others_document,
    "claims:answer_request": _others_request,
    "claims:decision_letter": _others_decision,
    "claims:statement": _others_statement,
}


# After another customer's ids are refused, none of their records has changed.
def _snapshot_of_claims():
    from benefits.models import Claim, ClaimEvent, Document, InformationRequest
    from journeys.models import Journey, Task
    from notifications.models import Notification

    return (
        list(Claim.objects.order_by("pk").values_list("pk", "status", "version", "answers")),
        ClaimEvent.objects.count(),
        Document.objects.count(),
        list(InformationRequest.objects.values_list("pk", "answered_at")),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        list(Task.objects.order_by("pk").values_list("pk", "done_at")),
        list(Journey.objects.order_by("pk").values_list("pk", "status")),
    )


# Routes whose page is elsewhere: opening a message marks it read and goes to its link.
OPENS_BY_REDIRECT = {"notifications:open"}
# Routes that only take a POST (a GET is refused as a method, not as a person).
POST_ONLY = {"journeys:task_done"}


@dataclass(frozen=True)
class Route:
    prefix: str
    name: str | None
    has_args: bool

    @property
    def rule(self) -> str | None:
        if self.name and self.name in RULES_BY_NAME:
            return RULES_BY_NAME[self.name]
        for prefix, rule in RULES_BY_PREFIX.items():
            if self.prefix.startswith(prefix):
                return rule
        return None


def walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            has_args = bool(pattern.pattern.regex.groupindex) or "<" in route
            yield Route(prefix=route, name=name, has_args=has_args)


ROUTES = list(walk(get_resolver().url_patterns))


def test_every_route_declares_who_may_reach_it():
    undeclared = [f"{r.prefix} ({r.name})" for r in ROUTES if r.rule is None]
    assert not undeclared, "Routes with no access rule in tests/test_url_access.py:\n" + "\n".join(
        undeclared
    )


def test_every_citizen_route_with_ids_says_how_to_build_another_customers_ids():
    missing = [
        r.name for r in ROUTES if r.rule == CITIZEN and r.has_args and r.name not in OTHERS_IDS
    ]
    assert not missing, f"Add these to OTHERS_IDS: {missing}"


def _path(route: Route) -> str:
    return "/" + route.prefix


SIMPLE = [r for r in ROUTES if not r.has_args]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in SIMPLE if r.rule == CITIZEN], ids=lambda r: r.name or r.prefix
)
def test_citizen_pages_send_anonymous_visitors_to_sign_in(client, route):
    response = client.get(_path(route))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in SIMPLE if r.rule == CITIZEN], ids=lambda r: r.name or r.prefix
)
def test_citizen_pages_open_for_a_signed_in_customer(citizen_client, route):
    assert citizen_client.get(_path(route)).status_code == 200


STAFF_SAMPLES = [
    "/admin/",
    "/admin/system-status/",
    "/admin/accounts/user/",
    "/admin/accounts/user/1/change/",
    "/admin/portal/workerprobe/",
]


def test_staff_samples_cover_real_routes():
    from django.urls import resolve

    for path in STAFF_SAMPLES:
        assert resolve(path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_SAMPLES)
def test_staff_pages_send_anonymous_visitors_to_the_staff_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*STAFF_SAMPLES, "/admin/login/"])
def test_staff_pages_do_not_exist_for_a_signed_in_citizen(citizen_client, path):
    assert citizen_client.get(path).status_code == 404


@pytest.mark.django_db
def test_staff_system_status_opens_for_staff(operator_client):
    assert operator_client.get("/admin/system-status/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OTHERS_IDS))
def test_another_customers_ids_are_not_found(citizen_client, other_citizen, name):
    from django.urls import reverse

    url = reverse(name, kwargs=OTHERS_IDS[name](other_citizen))
    before = _snapshot_of_claims()
    if name in POST_ONLY:
        assert citizen_client.get(url).status_code == 405  # the method, before anyone's ids
        assert citizen_client.post(url, {"done": "1"}).status_code == 404
    else:
        assert citizen_client.get(url).status_code == 404
        assert citizen_client.post(
            url, {"answer": "x", "reason": "x", "declaration": "on"}
        ).status_code in (404, 405)
    assert _snapshot_of_claims() == before  # the refusal changed nothing


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OTHERS_IDS))
def test_citizen_routes_with_ids_open_for_their_owner(client, other_citizen, name):
    from django.urls import reverse

    url = reverse(name, kwargs=OTHERS_IDS[name](other_citizen))
    client.force_login(other_citizen)
    response = client.get(url)
    if name in OPENS_BY_REDIRECT:
        assert response.status_code == 302
    elif name in POST_ONLY:
        assert response.status_code == 405
        assert client.post(url).status_code == 302
    else:
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in SIMPLE if r.rule == CITIZEN_REAUTH], ids=lambda r: r.name or r.prefix
)
def test_sensitive_citizen_pages_ask_for_the_password_again(citizen_client, route):
    from django.test import Client

    assert Client().get(_path(route))["Location"].startswith("/account/login/")
    assert citizen_client.get(_path(route))["Location"].startswith("/account/reauthenticate/")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OTHERS_IDS))
def test_every_citizen_form_refuses_a_post_without_its_csrf_token(other_citizen, name):
    """A forged POST (no CSRF token) to any citizen route with ids is refused, and changes
    nothing, even when it comes with the owner's own session."""
    from django.test import Client
    from django.urls import reverse

    url = reverse(name, kwargs=OTHERS_IDS[name](other_citizen))
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_citizen)
    before = _snapshot_of_claims()

    response = client.post(url, {"answer": "x", "reason": "x", "declaration": "on"})

    assert response.status_code == 403
    assert _snapshot_of_claims() == before
