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

Every id a route takes must be of a kind the walk knows (``ID_KINDS``), and the walk then
tries: another person's ids (404, and no table changes, with a POST any form would accept);
one's own claim with another person's document, request, decision or statement version,
one's own conversation with another person's file, and the reverse; anonymous visitors on every signed-in route, ids included (sign-in, never
data); staff pages and casework buttons without their permission (403); and what is
assembled about a person (the household the rules read, every page they can open, the
360° page) holding their records only.
"""

from __future__ import annotations

import re
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
    "appointments:index": CITIZEN,
    "appointments:book": CITIZEN,
    # The booking's later steps read the answers so far from the session: without them they
    # go back to the first step (tests/appointments/test_pages.py).
    "appointments:book_how": CITIZEN_ACTION,
    "appointments:book_time": CITIZEN_ACTION,
    "appointments:book_needs": CITIZEN_ACTION,
    "appointments:book_check": CITIZEN_ACTION,
    "appointments:detail": CITIZEN,
    "appointments:ics": CITIZEN,
    "appointments:move": CITIZEN,
    "appointments:cancel": CITIZEN,
    "conversations:list": CITIZEN,
    "conversations:new": CITIZEN,
    "conversations:new_about_claim": CITIZEN,
    "conversations:badge": CITIZEN,
    "conversations:detail": CITIZEN,
    "conversations:attachment": CITIZEN,
    "representatives:index": CITIZEN,
    "representatives:invite": CITIZEN,
    "representatives:activity": CITIZEN,
    "representatives:detail": CITIZEN,
    "representatives:stop": CITIZEN,
    # Takes the invitation's secret from the email, not anyone's ids (tests/representatives).
    "representatives:accept": CITIZEN_ACTION,
    "representatives:helping": CITIZEN,
    "representatives:stop_acting": CITIZEN_ACTION,  # a POST from the banner
    "representatives:act_for": CITIZEN,
    "representatives:step_down": CITIZEN,
    "representatives:privacy": PUBLIC,
    "representatives:close_account": CITIZEN_REAUTH,
    "representatives:account_closed": PUBLIC,  # says nothing about anyone
    "representatives:export": CITIZEN,
    "representatives:export_status": CITIZEN,
    # The person's own ZIP: a 404 for anyone else's id, the password again for their own.
    "representatives:export_download": CITIZEN_REAUTH,
    # The person's own data rights (no @representable: 404 while acting for someone).
    "representatives:consents": CITIZEN,
    "representatives:withdraw_consent": CITIZEN,
    "representatives:circumstances": CITIZEN,
    "representatives:corrections": CITIZEN,
    "representatives:correct": CITIZEN_ACTION,  # takes a kind of detail, not anyone's ids
    "representatives:correct_member": CITIZEN,
    "representatives:correct_fact": CITIZEN,
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
    try:
        journey = services.start_journey(
            customer=other_user.customer, event=event, by=other_user, answers={},
            event_date=timezone.localdate() + timedelta(days=60),
        )  # fmt: skip
    except services.JourneyExists as exc:  # a task's walk after the journey's: the same one
        journey = exc.journey
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


def _others_appointment(other_user) -> dict[str, int]:
    from tests.appointment_factory import booked_appointment

    return {"appointment_id": booked_appointment(other_user).pk}


def _others_conversation(other_user) -> dict[str, int]:
    from tests.conversations.helpers import ask

    return {"conversation_id": ask(other_user).pk}


def _others_attachment(other_user) -> dict[str, int]:
    from conversations.models import Attachment
    from tests.claim_factory import upload
    from tests.conversations.helpers import ask

    conversation = ask(other_user, files=[upload()])
    attachment = Attachment.objects.get(message__conversation=conversation)
    return {"conversation_id": conversation.pk, "attachment_id": attachment.pk}


def _others_representative(other_user) -> dict[str, int]:
    """Someone acting for the other customer."""
    from tests.representatives.helpers import representation_for

    return {"representation_id": representation_for(other_user.customer).pk}


def _others_helped(other_user) -> dict[str, int]:
    """Someone the other customer acts for."""
    from tests.representatives.helpers import representation_for

    return {"representation_id": representation_for(None, representative=other_user).pk}


def _others_export(other_user) -> dict[str, int]:
    from representatives.export import services

    export = services.request_export(customer=other_user.customer, by=other_user)
    services.build_export(export_id=export.pk)
    return {"export_id": export.pk}


def _others_consent(other_user) -> dict[str, int]:
    from representatives import consents

    record = consents.grant_consent(
        customer=other_user.customer, purpose=consents.RESEARCH, by=other_user
    )
    return {"consent_id": record.pk}


def _others_fact(other_user) -> dict[str, int]:
    from datetime import date

    from accounts import services

    fact = services.record_fact(
        customer=other_user.customer, kind="monthly_rent", value="650.00",
        effective_from=date(2024, 1, 1), by=other_user,
    )  # fmt: skip
    return {"fact_id": fact.pk}


OTHERS_IDS: dict[str, Callable] = {
    "representatives:detail": _others_representative,
    "representatives:stop": _others_representative,
    "representatives:act_for": _others_helped,
    "representatives:step_down": _others_helped,
    "representatives:withdraw_consent": _others_consent,
    "representatives:correct_member": _others_household_member,
    "representatives:correct_fact": _others_fact,
    "appointments:detail": _others_appointment,
    "appointments:ics": _others_appointment,
    "appointments:move": _others_appointment,
    "appointments:cancel": _others_appointment,
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
    "conversations:new_about_claim": _others_claim,
    "conversations:detail": _others_conversation,
    "conversations:attachment": _others_attachment,
    "representatives:export_download": _others_export,
}


# Routes whose page is elsewhere: opening a message marks it read and goes to its link.
OPENS_BY_REDIRECT = {"notifications:open"}
# Routes that only take a POST (a GET is refused as a method, not as a person).
POST_ONLY = {"journeys:task_done", "representatives:act_for"}


@dataclass(frozen=True)
class Route:
    prefix: str
    name: str | None
    has_args: bool
    kwargs: tuple[str, ...] = ()

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
            kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            names = tuple(a or b for a, b in kwargs)
            yield Route(prefix=route, name=name, has_args=has_args, kwargs=names)


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

    from tests.hostile import send

    url = reverse(name, kwargs=OTHERS_IDS[name](other_citizen))
    before = _state()
    if name in POST_ONLY:
        assert citizen_client.get(url).status_code == 405  # the method, before anyone's ids
        assert send(citizen_client, url, _every_answer()).status_code == 404
    else:
        assert citizen_client.get(url).status_code == 404
        assert send(citizen_client, url, _every_answer()).status_code in (404, 405)
    assert _state() == before  # the refusal changed nothing, in any table


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OTHERS_IDS))
def test_citizen_routes_with_ids_open_for_their_owner(client, other_citizen, name):
    from django.urls import reverse

    url = reverse(name, kwargs=OTHERS_IDS[name](other_citizen))
    client.force_login(other_citizen)
    response = client.get(url)
    if RULES_BY_NAME.get(name) == CITIZEN_REAUTH:
        # Their own: the password again first, then it opens.
        from tests.conftest import PASSWORD

        assert response["Location"].startswith("/account/reauthenticate/")
        client.post(response["Location"], {"password": PASSWORD})
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

    from tests.hostile import send

    url = reverse(name, kwargs=OTHERS_IDS[name](other_citizen))
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_citizen)
    before = _state()

    response = send(client, url, _every_answer())  # a made-up token, as a forger has

    assert response.status_code == 403
    assert _state() == before


# --- Ids: every kind the walk knows --------------------------------------------------------------

# What the ids in our routes are. Anything else a route takes is not a person's (a benefit's
# code, a question's slug); a route taking something in neither list fails the walk.
ID_KINDS = {
    "claim_id": "a claim",
    "document_id": "a claim's document",
    "request_id": "a claim's request for information",
    "decision_id": "a claim's decision",
    "version": "a claim's award statement, by version",
    "member_id": "a household member",
    "journey_id": "a journey",
    "task_id": "a journey's task",
    "report_id": "a change report",
    "notification_id": "a message",
    "customer_id": "a customer (staff pages)",
    "appointment_id": "an appointment",
    "conversation_id": "a conversation",
    "consent_id": "a consent record",
    "fact_id": "a fact about the person",
    "attachment_id": "a conversation's file",
    "representation_id": "a representative (the person's, or one acting for someone)",
    "export_id": "a download of the person's data",
}
NOT_IDS = {"benefit_code", "code", "section", "slug", "fact", "kind", "token"}
# Ids of a record's parts: beside the record's id, they must be that record's.
PARTS = {
    "claim_id": {"document_id", "request_id", "decision_id", "version"},
    "conversation_id": {"attachment_id"},
}
ALL_PARTS = set().union(*PARTS.values())
# CITIZEN_ACTION routes that take no one's ids: what to open them with.
ACTION_ARGS = {
    "journeys:start": {"code": "having-a-baby"},
    "journeys:change": {"kind": "savings"},
    "claims:apply_start": {"benefit_code": "carers_allowance"},
    "representatives:accept": {"token": "an-invitation-secret-nobody-has"},
    "representatives:correct": {"kind": "phone"},
}
SIGNED_IN = (CITIZEN, CITIZEN_REAUTH, CITIZEN_ACTION)


def _ours(route: Route) -> bool:
    """Routes the project itself declares (not allauth's, nor the admin's model pages)."""
    if route.rule == ALLAUTH:
        return False
    return route.rule != STAFF or route.prefix.startswith("admin/customers/")


def test_every_argument_of_a_route_is_a_known_id_or_no_id():
    unknown = {
        r.name or r.prefix: sorted(set(r.kwargs) - set(ID_KINDS) - NOT_IDS)
        for r in ROUTES
        if _ours(r) and set(r.kwargs) - set(ID_KINDS) - NOT_IDS
    }
    assert not unknown, f"Ids the walk does not know (add them to ID_KINDS or NOT_IDS): {unknown}"


def test_every_route_with_several_ids_is_a_record_and_its_parts():
    """The mixed-ids walk below knows one shape: a record (a claim, a conversation) and one
    of its parts."""
    odd = [
        r.name
        for r in ROUTES
        if _ours(r)
        and len(ids := set(r.kwargs) & set(ID_KINDS)) > 1
        and not any(ids - parts == {record} for record, parts in PARTS.items())
    ]
    assert not odd, f"Routes with ids the mixed-ids walk cannot mix: {odd}"


def test_every_signed_in_route_with_arguments_can_be_opened_by_the_walk():
    missing = [
        r.name
        for r in ROUTES
        if r.rule in SIGNED_IN and r.has_args and r.name not in OTHERS_IDS | ACTION_ARGS
    ]
    assert not missing, f"Add these to OTHERS_IDS or ACTION_ARGS: {missing}"


# --- Everything a form could send ------------------------------------------------------------------


def _every_answer():
    """A POST that every citizen form would accept, were the ids its own: what the refusal
    tests send, so a refusal cannot pass because the form found the data wrong."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.hostile import Submission, Upload, png_bytes

    yesterday = timezone.localdate() - timedelta(days=1)
    values = {
        "answer": "Here it is", "reason": "I earn less than that", "declaration": "on",
        "status": "finished", "done": "1", "next": "/journeys/", "evidence_kind": "other",
        "update": "yes", "version": "1", "confirm": "yes",
        "left_on_day": str(yesterday.day), "left_on_month": str(yesterday.month),
        "left_on_year": str(yesterday.year), "csrfmiddlewaretoken": "token",
    }  # fmt: skip
    return Submission(
        {k: [v] for k, v in values.items()},
        {"document": Upload("payslip.png", png_bytes(), "image/png", bad=False)},
    )


def _state():
    """Every project table (rows and their digest): a refusal must change none."""
    from tests.hostile import database_state

    return database_state()


# --- Mixed ids: one's own claim (or conversation) with another person's part, and the reverse ----


def _others_part(part: str, other_user):
    """An id of ``part`` that belongs to ``other_user``'s claim (or conversation) and to no
    one else's: a statement version only their claim has (its second), a pk otherwise."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from benefits.claims import decisions
    from tests.claim_factory import awarded_claim, claim_with_document, claim_with_request

    if part == "document_id":
        return claim_with_document(other_user)[1].pk
    if part == "attachment_id":
        return _others_attachment(other_user)["attachment_id"]
    if part == "request_id":
        return claim_with_request(other_user)[1].pk
    if part == "decision_id":
        return awarded_claim(other_user)[1].pk
    if part == "version":
        claim, _decision = awarded_claim(other_user)
        statement = decisions.revise_award(
            claim=claim, by=None, amount=Decimal("90.00"), reason="Your earnings changed.",
            effective_from=timezone.localdate() + timedelta(days=7),
        )  # fmt: skip
        return statement.version
    raise AssertionError(f"the walk cannot build another person's {part}")


MIXED = sorted(
    (r.name, part)
    for r in ROUTES
    if r.rule == CITIZEN
    for record, parts in PARTS.items()
    if record in r.kwargs
    for part in sorted(set(r.kwargs) & parts)
)


def test_the_mixed_ids_walk_covers_every_part():
    assert {part for _name, part in MIXED} == ALL_PARTS


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "part"), MIXED)
def test_ones_own_claim_with_another_persons_part_is_not_found(
    client, citizen, other_citizen, name, part
):
    from django.urls import reverse

    from tests.hostile import send

    own = OTHERS_IDS[name](citizen)
    client.force_login(citizen)
    assert client.get(reverse(name, kwargs=own)).status_code == 200  # their own: it opens
    mixed = {**own, part: _others_part(part, other_citizen)}
    url = reverse(name, kwargs=mixed)
    before = _state()

    assert client.get(url).status_code == 404
    assert send(client, url, _every_answer()).status_code in (404, 405)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "part"), MIXED)
def test_another_persons_claim_with_ones_own_part_is_not_found(
    client, citizen, other_citizen, name, part
):
    from django.urls import reverse

    from tests.hostile import send

    own = OTHERS_IDS[name](citizen)
    theirs = OTHERS_IDS[name](other_citizen)
    client.force_login(citizen)
    url = reverse(name, kwargs={**theirs, part: own[part]})
    before = _state()

    assert client.get(url).status_code == 404
    assert send(client, url, _every_answer()).status_code in (404, 405)
    assert _state() == before


# --- Anonymous visitors, on every route with ids -------------------------------------------------


def _args(name: str, other_user) -> dict:
    return OTHERS_IDS[name](other_user) if name in OTHERS_IDS else ACTION_ARGS.get(name, {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.rule in SIGNED_IN], ids=lambda r: r.name or r.prefix
)
def test_anonymous_visitors_are_sent_to_sign_in_and_given_nothing(client, other_citizen, route):
    """GET or POST, with real ids of someone's records: the sign-in page (or, for a route
    that refuses the method first, a 405), never their data, and nothing changes."""
    from django.urls import reverse

    from tests.hostile import send

    url = reverse(route.name, kwargs=_args(route.name, other_citizen))
    before = _state()

    for response in (client.get(url), send(client, url, _every_answer())):
        if response.status_code == 405:
            continue
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/account/login/?next=")
        assert not response.content
    assert _state() == before


# --- Staff: each page and casework action refused without its permission -------------------------


def _staff_without(permission: str):
    """A caseworker with every permission caseworkers have, except ``permission``."""
    from django.contrib.auth.models import Group

    from tests.conftest import make_staff

    app_label, codename = permission.split(".")
    group = Group.objects.create(name=f"caseworker without {codename}")
    group.permissions.set(
        Group.objects.get(name="caseworker")
        .permissions.exclude(content_type__app_label=app_label, codename=codename)
    )  # fmt: skip
    user = make_staff(f"no-{codename}@example.org")
    user.groups.add(group)
    assert not user.has_perm(permission)
    return user


def _staff_with(permission: str):
    """A caseworker, or a team leader where caseworkers lack ``permission``."""
    from tests.conftest import make_staff

    user = make_staff(f"with-{permission}@example.org", group="caseworker")
    if not user.has_perm(permission):
        user = make_staff(f"leader-{permission}@example.org", group="team leader")
    assert user.has_perm(permission)
    return user


def _claim_in_review(citizen, caseworker=None):
    from benefits.claims import lifecycle
    from benefits.models import ClaimStatus
    from tests.claim_factory import claim_with_document

    claim, document = claim_with_document(citizen)
    lifecycle.transition(claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker)
    return claim, document


def _customer_360(citizen):
    claim, _document = _claim_in_review(citizen)
    return "get", f"/admin/customers/{claim.customer_id}/360/", {}


def _take_next(citizen):
    from tests.claim_factory import sent_claim

    sent_claim(citizen)
    return "post", "/admin/benefits/claim/take-next/", {}


def _load(citizen):
    return "get", "/admin/benefits/claim/load/", {}


def _document_file(citizen):
    _claim, document = _claim_in_review(citizen)
    return "get", f"/admin/benefits/document/{document.pk}/file/", {}


def _my_day(citizen):
    from tests.appointment_factory import booked_appointment

    booked_appointment(citizen)
    return "get", "/admin/appointments/appointment/my-day/", {}


def _outcome(citizen):
    from tests.appointment_factory import booked_appointment

    appointment = booked_appointment(citizen)  # to come: "moved" is the outcome it can have
    return "post", f"/admin/appointments/appointment/{appointment.pk}/outcome/", {
        "outcome-outcome": "rescheduled",
    }  # fmt: skip


def _take_next_conversation(citizen):
    from tests.conversations.casework_factory import conversation

    conversation(citizen)
    return "post", "/admin/conversations/conversation/take-next/", {}


def _message_file(citizen):
    from tests.conversations.casework_factory import attachment, conversation

    sent = attachment(conversation(citizen).messages.get())
    return (
        "get",
        f"/admin/conversations/conversation/{sent.message.conversation_id}/files/{sent.pk}/",
        {},
    )


def _conversation_reply(citizen):
    from tests.conversations.casework_factory import conversation

    waiting = conversation(citizen)
    url = f"/admin/conversations/conversation/{waiting.pk}/act/reply/"
    return (
        "post",
        url,
        {
            "reply-body": "We have paid you.",
            "reply-submission_key": "6a1c1f3e-6b7e-4c1e-9d55-1c2b3a4d5e6f",
        },
    )


def _conversation_transfer(citizen):
    from tests.conversations.casework_factory import conversation, team

    waiting = conversation(citizen)
    url = f"/admin/conversations/conversation/{waiting.pk}/act/transfer/"
    return "post", url, {"transfer-team": team("Pensions").pk}


# Staff pages and buttons of the project's own, each with the permission it needs.
STAFF_PAGES = {
    "a caseworker's day of appointments": ("appointments.view_appointment", _my_day),
    "an appointment's outcome": ("appointments.work_appointments", _outcome),
    "customer 360°": ("accounts.view_customer", _customer_360),
    "take the next claim": ("benefits.change_claim", _take_next),
    "caseworkers' load": ("benefits.reassign_claims", _load),
    "a document's file": ("benefits.view_document", _document_file),
    "take the next conversation": ("conversations.work_conversations", _take_next_conversation),
    "a file sent with a message": ("conversations.view_conversation", _message_file),
    "reply to a conversation": ("conversations.work_conversations", _conversation_reply),
    "transfer a conversation": ("conversations.transfer_conversations", _conversation_transfer),
}
# What each casework button sends when it is allowed (so a refusal is the permission's).
ACTION_DATA = {
    "award": {"award-amount": "83.30", "award-adjustment_reason": "Checked the records",
              "award-reasons": "You care 35 hours a week."},
    "refuse": {"refuse-reason_code": "income", "refuse-details": "Your earnings are £900."},
    "note": {"note-text": "Phoned the person."},
    "request-information": {"request-information-what": "A payslip"},
}  # fmt: skip


def _casework_actions() -> list[str]:
    from benefits.casework.admin import ACTIONS

    return sorted(ACTIONS)


def test_every_casework_action_is_walked():
    from benefits.casework.admin import ACTIONS

    assert set(ACTION_DATA) <= set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(STAFF_PAGES))
def test_a_staff_page_is_refused_without_its_permission(client, citizen, page):
    from tests.conftest import sign_in_with_mfa

    permission, build = STAFF_PAGES[page]
    method, url, data = build(citizen)
    sign_in_with_mfa(client, _staff_without(permission))
    before = _state()

    response = getattr(client, method)(url, data)

    assert response.status_code == 403, (url, response.status_code)
    assert _state() == before  # not even an access event: nothing was shown

    client.logout()
    sign_in_with_mfa(client, _staff_with(permission))
    assert getattr(client, method)(url, data).status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", sorted(__import__("benefits.casework.admin").casework.admin.ACTIONS)
)
def test_a_casework_action_is_refused_without_its_permission(client, citizen, action):
    from benefits.casework.admin import ACTIONS
    from tests.conftest import sign_in_with_mfa

    permission = ACTIONS[action][0]
    claim, _document = _claim_in_review(citizen)
    url = f"/admin/benefits/claim/{claim.pk}/act/{action}/"
    data = ACTION_DATA.get(action, {})
    sign_in_with_mfa(client, _staff_without(permission))
    before = _state()

    response = client.post(url, data)

    assert response.status_code == 403
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["award", "refuse"])
def test_a_caseworker_with_the_permission_decides(client, citizen, action):
    """The other side of the refusal above, with the same request."""
    from benefits.models import Decision
    from tests.conftest import sign_in_with_mfa

    claim, _document = _claim_in_review(citizen)
    sign_in_with_mfa(client, _staff_with("benefits.decide_claims"))

    response = client.post(f"/admin/benefits/claim/{claim.pk}/act/{action}/", ACTION_DATA[action])

    assert response.status_code == 302
    assert Decision.objects.filter(claim=claim).count() == 1


# --- What is assembled about a person holds that person's records only ---------------------------


def _records(user, mark: str, *, capital: int, child_born) -> None:
    """A person's facts, household, change report and goal, each carrying ``mark``."""
    from datetime import date, timedelta

    from django.utils import timezone

    from accounts import services as account_services
    from accounts.models import FactKind
    from journeys import services as journey_services

    today = timezone.localdate()
    account_services.record_fact(
        customer=user.customer, kind=FactKind.CAPITAL, value=capital,
        effective_from=date(2024, 1, 1), by=user,
    )  # fmt: skip
    account_services.add_household_member(
        customer=user.customer, by=user, relationship="child", name=f"{mark} Child",
        date_of_birth=child_born, joined_on=child_born,
    )  # fmt: skip
    journey_services.confirm_change(
        customer=user.customer, by=user, token=f"{mark}-token", kind="baby",
        details={"name": f"{mark} Baby"}, happened_on=today - timedelta(days=3),
    )  # fmt: skip
    journey_services.create_goal(
        customer=user.customer, title=f"{mark} goal", target_date=None,
        steps=[f"{mark} step"], by=user,
    )  # fmt: skip


@pytest.fixture
def two_people(citizen, other_citizen):
    from datetime import date

    _records(citizen, "Florence", capital=11111, child_born=date(2019, 3, 3))
    _records(other_citizen, "Zebedee", capital=98765, child_born=date(2018, 8, 8))
    return citizen, other_citizen


def _theirs(text: str) -> list[str]:
    return [m for m in ("Zebedee", "98765", "98,765", "2018-08-08") if m in text]


@pytest.mark.django_db
def test_a_persons_household_snapshot_holds_their_facts_and_members_only(two_people):
    from django.utils import timezone

    from benefits.assessment import household_data

    alice, bob = two_people
    mine = repr(household_data(customer=alice.customer, on=timezone.localdate()))
    his = repr(household_data(customer=bob.customer, on=timezone.localdate()))

    assert "11111" in mine
    assert "2019-03-03" in mine
    assert not _theirs(mine)
    assert "98765" in his  # the same reading finds his, for him


@pytest.mark.django_db
def test_no_page_a_person_can_open_shows_another_persons_records(client, two_people):
    from django.urls import reverse

    alice, _bob = two_people
    client.force_login(alice)
    urls = [_path(r) for r in SIMPLE if r.rule == CITIZEN]
    # Her own records of every kind: drafts before claims are sent (one claim in progress
    # per benefit), each builder once (a sent claim serves every claim page).
    built: dict = {}
    for name, build in sorted(
        OTHERS_IDS.items(), key=lambda i: (not i[0].startswith("claims:apply"), i[0])
    ):
        if build not in built:
            built[build] = build(alice)
        urls.append(reverse(name, kwargs=built[build]))
    shown = ""
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 405), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        assert not _theirs(text), (url, _theirs(text))
        shown += text
    # Her own goal, household and changes are on those pages: the walk reads real content.
    assert "Florence goal" in shown
    assert "Florence Child" in shown
    assert "Florence Baby" in shown


@pytest.mark.django_db
def test_the_360_page_shows_the_right_persons_records_only(client, two_people):
    from tests.conftest import sign_in_with_mfa

    alice, bob = two_people
    sign_in_with_mfa(client, _staff_with("accounts.view_customer"))

    hers = client.get(f"/admin/customers/{alice.customer.pk}/360/").content.decode()
    his = client.get(f"/admin/customers/{bob.customer.pk}/360/").content.decode()

    assert "Florence Child" in hers
    assert "11111" in hers
    assert not _theirs(hers)
    assert "Zebedee Child" in his
