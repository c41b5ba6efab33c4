"""Journeys, the to-do list, goals and "tell us once" changes of circumstances.

A plan is worked out, never stored: the same rules as the screener and claims, on the
person's circumstances with the journey's answers and the event laid over them. So the
plan recalculates whenever circumstances change.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services as account_services
from accounts import versions
from accounts.models import Customer, FactKind, User
from benefits import assessment as snapshot
from benefits.assessment import assess_household
from benefits.claims import timeline as claim_timeline
from benefits.claims.comparison import Row, compare, describe
from benefits.claims.selectors import unfinished_applications
from benefits.models import Benefit, Claim, ClaimStatus, EventKind
from benefits.rules.base import Adult, Child, ChildDisability, Household, Result, Verdict
from journeys import selectors
from journeys.models import Activity, ChangeReport, Goal, GoalStep, Journey, LifeEvent, Task
from notifications.models import NotificationKind
from notifications.services import notify

LIVE_CLAIMS = [ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW, ClaimStatus.INFORMATION_REQUESTED,
               ClaimStatus.RECONSIDERATION_REQUESTED, ClaimStatus.AWARDED]  # fmt: skip


# --- The household a journey or a change implies -------------------------------------------------


def _with_baby(household: Household, born: date) -> Household:
    """The household with a newborn: no disability benefit yet (so the rules need not ask),
    and counted once when the birth is already recorded as a household member."""
    children = tuple(
        replace(c, disability=c.disability or ChildDisability.NONE)
        if c.date_of_birth == born
        else c
        for c in household.children or ()
    )
    if not any(c.date_of_birth == born for c in children):
        children = (*children, Child(date_of_birth=born, disability=ChildDisability.NONE))
    return replace(household, children=children)


def household_with_event(
    household: Household, event_code: str, event_date: date, answers: dict[str, Any]
) -> Household:
    """The household after the event: a baby born, a partner gone, earnings stopped…"""
    paths = {
        k: v for k, v in answers.items() if "." in k or k in ("capital", "has_partner", "housing")
    }
    if event_code == "having-a-baby":
        household = _with_baby(household, event_date)
    elif event_code == "bereavement":
        from benefits.rules.base import Bereavement

        household = replace(
            household, has_partner=False, partner=None,
            bereavement=replace(household.bereavement or Bereavement(), partner_died_on=event_date),
        )  # fmt: skip
    elif event_code == "separating":
        household = replace(household, has_partner=False, partner=None)
    elif event_code == "retiring" or event_code == "losing-job":
        paths.setdefault("claimant.monthly_earnings", 0)
    return snapshot.with_answers(household, paths)


def known_for_questions(*, customer: Customer, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """What we already know for a journey's questions, from the circumstances in force."""
    household = snapshot.household_for_customer(customer=customer, on=timezone.localdate())
    known: dict[str, Any] = {}
    for q in questions:
        path = q.get("path") or ""
        holder, _dot, attr = path.rpartition(".")
        source = {"claimant": household.claimant, "partner": household.partner, "": household}.get(
            holder
        )
        value = getattr(source, attr, None) if source is not None and attr else None
        if value is None:
            continue
        known[q["slug"]] = ("yes" if value else "no") if q["kind"] == "yes_no" else value
    return known


@dataclass
class Plan:
    journey: Journey
    on: date
    benefits: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    partner_services: list[dict[str, str]] = field(default_factory=list)
    done: int = 0

    @property
    def progress(self) -> int:
        return round(100 * self.done / len(self.tasks)) if self.tasks else 0


def plan_for(journey: Journey) -> Plan:
    """The person's plan today: benefits from the rules (with amounts and apply links),
    their tasks with due dates, and partner services."""
    event = journey.life_event
    on = max(journey.event_date, timezone.localdate())
    household = household_with_event(
        snapshot.household_for_customer(customer=journey.customer, on=on),
        event.code, journey.event_date, journey.answers,
    )  # fmt: skip
    results = {r.benefit: r for r in assess_household(household=household, on=on).results}
    from benefits.models import Benefit

    catalogue = {b.code: b for b in Benefit.objects.filter(code__in=event.benefits_to_check)}
    existing = {
        c.benefit.code: c
        for c in Claim.objects.filter(
            customer=journey.customer, benefit__code__in=event.benefits_to_check
        )
        .exclude(status__in=[ClaimStatus.WITHDRAWN, ClaimStatus.CLOSED])
        .select_related("benefit")
    }
    benefits = []
    for code in event.benefits_to_check:
        result: Result | None = results.get(code)
        benefit = catalogue.get(code)
        if result is None or benefit is None:
            continue
        benefits.append({
            "benefit": benefit, "result": result, "claim": existing.get(code),
            "could_get": result.verdict in (Verdict.ELIGIBLE, Verdict.NEEDS_ASSESSMENT),
            "apply": reverse("claims:apply_start", args=[code]) if benefit.open_for_online_claims else "",
        })  # fmt: skip
    tasks = list(journey.tasks.order_by("due_on", "pk"))
    return Plan(
        journey=journey, on=on, benefits=benefits, tasks=tasks,
        partner_services=list(event.partner_services), done=sum(t.done_at is not None for t in tasks),
    )  # fmt: skip


# --- Journeys ---------------------------------------------------------------------------------


class JourneyExists(Exception):
    def __init__(self, journey: Journey) -> None:
        self.journey = journey


def _record_activity(*, kind: str, by: User | None, detail: str = "", **about: Any) -> Activity:
    """The audit row for a change (``about``: the customer and what changed): who made it,
    or None for the system, in the change's own transaction."""
    return Activity.objects.create(kind=kind, by=by, detail=detail[:200], **about)


@transaction.atomic(durable=True)
def start_journey(
    *,
    customer: Customer,
    event: LifeEvent,
    event_date: date,
    answers: dict[str, Any],
    by: User | None,
) -> Journey:
    """Start a journey with its tasks; the answers update the person's circumstances."""
    try:
        with transaction.atomic():
            journey = Journey.objects.create(
                customer=customer, life_event=event, event_date=event_date, answers=answers
            )
    except IntegrityError:
        raise JourneyExists(
            Journey.objects.get(
                customer=customer, life_event=event, status__in=["active", "paused"]
            )
        ) from None
    Task.objects.bulk_create(
        Task(
            customer=customer, source=Task.Source.JOURNEY, journey=journey, key=t["key"],
            title=t["title"], help=t.get("help", ""), link=t.get("link", ""),
            due_on=event_date + timedelta(days=int(t.get("due_days", 0))),
        )
        for t in event.tasks
    )  # fmt: skip
    versions.bump(user_id=customer.user_id)  # the plan's tasks join the to-do list
    _record_event_facts(
        customer=customer, event=event, event_date=event_date, answers=answers, by=by
    )
    _record_activity(
        customer=customer, kind=Activity.Kind.JOURNEY_STARTED, by=by, journey=journey,
        detail=event.code,
    )  # fmt: skip
    return journey


def _record_event_facts(
    *,
    customer: Customer,
    event: LifeEvent,
    event_date: date,
    answers: dict[str, Any],
    by: User | None,
) -> None:
    today = timezone.localdate()
    if event.code == "having-a-baby" and event_date > today:
        account_services.record_fact(customer=customer, kind=FactKind.PREGNANCY_DUE_DATE,
                                     value=event_date.isoformat(), effective_from=today, by=by)  # fmt: skip
    if event.code == "bereavement":
        account_services.record_fact(customer=customer, kind=FactKind.BEREAVEMENT_DATE,
                                     value=event_date.isoformat(), effective_from=event_date, by=by)  # fmt: skip
    facts = {"claimant.monthly_earnings": FactKind.MONTHLY_EARNINGS, "claimant.caring_hours": FactKind.CARING_HOURS,
             "claimant.lcwra": FactKind.LIMITED_CAPABILITY_FOR_WORK, "capital": FactKind.CAPITAL}  # fmt: skip
    for path, kind in facts.items():
        if path in answers and kind in event.updates_facts:
            account_services.record_fact(customer=customer, kind=kind, value=answers[path],
                                         effective_from=min(event_date, today), by=by)  # fmt: skip


@transaction.atomic(durable=True)
def set_journey_status(*, journey: Journey, status: str, by: User | None) -> Journey:
    journey.status = status
    journey.save(update_fields=["status", "updated_at"])
    _record_activity(
        customer=journey.customer, kind=Activity.Kind.JOURNEY_STATUS, by=by, journey=journey,
        detail=status,
    )  # fmt: skip
    return journey


# --- The to-do list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodoItem:
    title: str
    due_on: date | None
    source: str
    action: str
    action_label: str
    task_id: int | None = None
    overdue: bool = False


def todo_for(customer: Customer) -> list[TodoItem]:
    """One list across journeys, goals and claims (requests for information), by due date."""
    from benefits.models import InformationRequest

    today = timezone.localdate()
    items = [
        TodoItem(
            title=t.title,
            due_on=t.due_on,
            source=t.get_source_display(),
            task_id=t.pk,
            action=t.link,
            action_label=str(gettext_lazy("Find out how")) if t.link else "",
            overdue=bool(t.due_on and t.due_on < today),
        )
        for t in selectors.open_tasks(customer=customer)
    ]
    for info in InformationRequest.objects.filter(
        claim__customer=customer,
        answered_at__isnull=True,
        claim__status=ClaimStatus.INFORMATION_REQUESTED,
    ).select_related("claim__benefit"):
        items.append(TodoItem(
            title=_("Reply to our request about your %(benefit)s claim") % {"benefit": info.claim.benefit.name},
            due_on=info.due_on, source=str(gettext_lazy("Your claim")),
            action=reverse("claims:answer_request", args=[info.claim_id, info.pk]),
            action_label=str(gettext_lazy("Reply")), overdue=info.due_on < today,
        ))  # fmt: skip
    # benefits' selectors are being reorganised into sub-packages: annotate them there.
    for claim in unfinished_applications(customer=customer):  # type: ignore[no-untyped-call]
        items.append(TodoItem(
            title=_("Finish your %(benefit)s application") % {"benefit": claim.benefit.name},
            due_on=None, source=str(gettext_lazy("Not sent yet")),
            action=reverse("claims:apply", args=[claim.pk]),
            action_label=str(gettext_lazy("Continue your application")),
        ))  # fmt: skip
    return sorted(items, key=lambda i: (i.due_on is None, i.due_on or today))


@transaction.atomic(durable=True)
def mark_task_done(*, task: Task, by: User | None, done: bool = True) -> Task:
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at"])
    if task.goal_step_id:
        GoalStep.objects.filter(pk=task.goal_step_id).update(done_at=task.done_at)
    versions.bump_for_customer(customer_id=task.customer_id)
    _record_activity(
        customer_id=task.customer_id, task=task, by=by,
        kind=Activity.Kind.TASK_DONE if done else Activity.Kind.TASK_NOT_DONE,
    )  # fmt: skip
    return task


# --- Goals ------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_goal(
    *, customer: Customer, title: str, target_date: date | None, steps: list[str], by: User | None
) -> Goal:
    goal = Goal.objects.create(customer=customer, title=title.strip(), target_date=target_date)
    for text in [s.strip() for s in steps if s.strip()]:
        step = GoalStep.objects.create(goal=goal, title=text)
        Task.objects.create(
            customer=customer,
            source=Task.Source.GOAL,
            goal_step=step,
            title=text,
            due_on=target_date,
        )
    versions.bump(user_id=customer.user_id)  # the goal's steps join the to-do list
    _record_activity(customer=customer, kind=Activity.Kind.GOAL_SET, by=by, goal=goal)
    return goal


# --- Changes of circumstances ("tell us once") ---------------------------------------------------

CHANGE_KINDS = {
    "earnings": gettext_lazy("Work and earnings"),
    "savings": gettext_lazy("Savings"),
    "caring": gettext_lazy("Caring for someone"),
    "health": gettext_lazy("Health"),
    "partner_in": gettext_lazy("A partner moved in"),
    "partner_out": gettext_lazy("A partner moved out"),
    "care_home": gettext_lazy("Someone moved into a care home"),
    "baby": gettext_lazy("A baby was born"),
    "someone_left": gettext_lazy("Someone else left the household"),
    "address": gettext_lazy("Address"),
}


def _always(before: Adult, details: dict[str, Any]) -> bool:
    return True


def _earnings_fell(before: Adult, details: dict[str, Any]) -> bool:
    after = Decimal(str(details.get("monthly_earnings", 0)))
    if after <= 0:
        return True
    return before.monthly_earnings is not None and after < before.monthly_earnings


def _caring_rose(before: Adult, details: dict[str, Any]) -> bool:
    after = int(details.get("caring_hours", 0))
    return after > 0 and (before.caring_hours is None or after > before.caring_hours)


def _became_unwell(before: Adult, details: dict[str, Any]) -> bool:
    return bool(details.get("lcwra")) and not before.lcwra


# The life event a change may start, and whether this change goes its way: a pay cut or
# losing work suggests "Losing your job", a pay rise suggests nothing.
OFFERS_JOURNEY: dict[str, tuple[str, Callable[[Adult, dict[str, Any]], bool]]] = {
    "baby": ("having-a-baby", _always),
    "partner_out": ("separating", _always),
    "address": ("moving-home", _always),
    "earnings": ("losing-job", _earnings_fell),
    "caring": ("becoming-a-carer", _caring_rose),
    "health": ("illness-or-disability", _became_unwell),
}


def journey_offered_by_change(
    *, customer: Customer, kind: str, details: dict[str, Any], happened_on: date
) -> str | None:
    """The life event code to suggest after a change, or None when it points the other way.

    The change is compared with the person's circumstances the day before it happened, so
    the answer is the same before or after the change itself is recorded.
    """
    offer = OFFERS_JOURNEY.get(kind)
    if offer is None:
        return None
    code, applies = offer
    before = snapshot.household_for_customer(
        customer=customer, on=happened_on - timedelta(days=1)
    ).claimant
    return code if applies(before, details) else None


def _household_after(
    household: Household, kind: str, details: dict[str, Any], happened_on: date
) -> Household:
    if kind == "earnings":
        return snapshot.with_answers(
            household, {"claimant.monthly_earnings": Decimal(str(details["monthly_earnings"]))}
        )
    if kind == "savings":
        return replace(household, capital=Decimal(str(details["capital"])))
    if kind == "caring":
        return snapshot.with_answers(
            household, {"claimant.caring_hours": int(details["caring_hours"])}
        )
    if kind == "health":
        return snapshot.with_answers(household, {"claimant.lcwra": bool(details["lcwra"])})
    if kind == "partner_in":
        return snapshot.with_answers(
            household,
            {
                "has_partner": True,
                "partner.monthly_earnings": Decimal(
                    str(details.get("partner_monthly_earnings", 0))
                ),
            },
        )
    if kind == "partner_out":
        return replace(household, has_partner=False, partner=None)
    if kind == "care_home":
        # A couple where one of them lives in a care home for good are no longer one
        # household: each is assessed as a single person (State Pension Credit Regulations
        # 2002, reg. 5(1)(a) and (b); UC Regulations 2013, reg. 3(6)). A stay expected to
        # last 52 weeks or less leaves the couple as it was.
        if details.get("permanent") and household.has_partner:
            return replace(household, has_partner=False, partner=None)
        return household
    if kind == "baby":
        return _with_baby(household, happened_on)
    return household


# A line of the preview: ``before``/``after`` are what the person reads (paid now, an
# amount, would stop, we need to know), ``before_result``/``after_result`` the rules' own.
Effect = Row


def effect_as_dict(effect: Row) -> dict[str, Any]:
    return {"benefit": effect.benefit, "code": effect.code, "claim_id": effect.claim_id,
            "before": effect.before.as_dict(), "after": effect.after.as_dict(),
            "changed": effect.changed}  # fmt: skip


def preview_change(
    *, customer: Customer, kind: str, details: dict[str, Any], happened_on: date
) -> list[Row]:
    """The effect of a change, worked out by the same rules for the date it happened:
    nothing is saved.

    Every award and every claim in progress has a line, changed or not; a benefit not
    claimed has one when the change alters what the person could get. "Before" for an
    award is what it pays now (the statement in force); otherwise the rules on the record.
    """
    before_household = snapshot.household_for_customer(customer=customer, on=happened_on)
    after_household = _household_after(before_household, kind, details, happened_on)
    before = {
        r.benefit: r for r in assess_household(household=before_household, on=happened_on).results
    }
    after = {
        r.benefit: r for r in assess_household(household=after_household, on=happened_on).results
    }
    live = {
        c.benefit.code: c
        for c in Claim.objects.filter(
            Q(status__in=LIVE_CLAIMS)
            | Q(status=ClaimStatus.RECONSIDERED, statements__isnull=False),
            customer=customer,
        )
        .distinct()
        .select_related("benefit")
        .prefetch_related("statements")
        .order_by("submitted_at")
    }
    names = dict(Benefit.objects.values_list("code", "name"))
    rows = []
    for code in sorted(set(after) | set(live)):
        row = compare(
            benefit=names.get(code, code), code=code, claim=live.get(code),
            before=before.get(code), after=after.get(code), on=max(happened_on, timezone.localdate()),
        )  # fmt: skip
        if row.claim is not None or row.changed:
            rows.append(row)
    return sorted(rows, key=lambda r: (r.claim is None, r.benefit))


def new_change_token() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic(durable=True)
def confirm_change(
    *,
    customer: Customer,
    by: User,
    token: str,
    kind: str,
    details: dict[str, Any],
    happened_on: date,
) -> ChangeReport:
    """Record a change once: facts from the date it happened, an event on each affected
    claim, a note for the caseworker where a decision is needed, and a notification.
    Confirming the same change twice (the same token) returns the first record."""
    existing = ChangeReport.objects.filter(token=token, customer=customer).first()
    if existing:
        return existing
    effects = preview_change(customer=customer, kind=kind, details=details, happened_on=happened_on)
    try:
        with transaction.atomic():
            report = ChangeReport.objects.create(
                customer=customer, token=token, kind=kind, happened_on=happened_on, details=details,
                effects=[effect_as_dict(e) for e in effects],
            )  # fmt: skip
    except IntegrityError:
        return ChangeReport.objects.get(token=token)
    _record_change_facts(
        customer=customer, by=by, kind=kind, details=details, happened_on=happened_on
    )
    _record_activity(
        customer=customer, kind=Activity.Kind.CHANGE_REPORTED, by=by, change_report=report,
        detail=kind,
    )  # fmt: skip
    for effect in effects:
        if effect.claim_id is None:
            continue
        claim = Claim.objects.get(pk=effect.claim_id)
        label = CHANGE_KINDS[kind]
        claim_timeline.record_event(
            claim=claim, by=by, kind=EventKind.INFORMATION,
            reason=_("You told us about a change from %(date)s: %(what)s.") % {"date": date_format(happened_on, "j F Y"), "what": label},
        )  # fmt: skip
        if effect.changed:
            claim_timeline.record_event(
                claim=claim, by=None, kind=EventKind.NOTE,
                reason=_("Change reported (%(what)s from %(date)s): before %(before)s, after %(after)s. A decision is needed.")
                % {"what": label, "date": happened_on, "after": describe(effect.after),
                   "before": describe(effect.before)},
                visible=False,
            )  # fmt: skip
            # A decision is needed: the claim shows in the caseworkers' queue of changes.
            Claim.objects.filter(pk=claim.pk).update(
                change_to_review_from=Least(
                    Coalesce("change_to_review_from", happened_on), happened_on
                )
            )
    notify(
        customer=customer, kind=NotificationKind.STATUS,
        title=gettext_lazy("We have your change of circumstances"),
        body=gettext_lazy("We will look at what it means for your claims and tell you."),
        link=reverse("journeys:changes"),
    )  # fmt: skip
    return report


def _record_change_facts(
    *, customer: Customer, by: User, kind: str, details: dict[str, Any], happened_on: date
) -> None:
    record = account_services.record_fact
    if kind == "earnings":
        record(
            customer=customer,
            kind=FactKind.MONTHLY_EARNINGS,
            value=Decimal(str(details["monthly_earnings"])),
            effective_from=happened_on,
            by=by,
        )
    elif kind == "savings":
        record(
            customer=customer,
            kind=FactKind.CAPITAL,
            value=Decimal(str(details["capital"])),
            effective_from=happened_on,
            by=by,
        )
    elif kind == "caring":
        record(
            customer=customer,
            kind=FactKind.CARING_HOURS,
            value=int(details["caring_hours"]),
            effective_from=happened_on,
            by=by,
        )
    elif kind == "health":
        record(
            customer=customer,
            kind=FactKind.LIMITED_CAPABILITY_FOR_WORK,
            value=bool(details["lcwra"]),
            effective_from=happened_on,
            by=by,
        )
    elif kind == "partner_in":
        account_services.add_household_member(
            customer=customer, by=by, relationship="partner", name=details.get("name") or _("Partner"),
            date_of_birth=date.fromisoformat(details["date_of_birth"]), joined_on=happened_on,
        )  # fmt: skip
        record(
            customer=customer,
            kind=FactKind.RELATIONSHIP_STATUS,
            value="couple",
            effective_from=happened_on,
            by=by,
        )
    elif kind == "partner_out":
        for member in customer.household.filter(relationship="partner", left_on__isnull=True):
            account_services.record_member_left(member=member, by=by, left_on=happened_on)
        record(
            customer=customer,
            kind=FactKind.RELATIONSHIP_STATUS,
            value="single",
            effective_from=happened_on,
            by=by,
        )
    elif kind == "care_home":
        _record_care_home(customer=customer, by=by, details=details, happened_on=happened_on)
    elif kind == "baby":
        account_services.add_household_member(
            customer=customer, by=by, relationship="child", name=details.get("name") or _("Baby"),
            date_of_birth=happened_on, joined_on=happened_on,
        )  # fmt: skip
    elif kind == "address":
        account_services.update_contact_details(
            customer=customer, by=by, phone=customer.phone, address_line_1=details["address_line_1"],
            address_line_2=details.get("address_line_2", ""), town=details["town"],
            postcode=details["postcode"], effective_from=happened_on,
        )  # fmt: skip
    elif kind == "someone_left":
        member_id = details.get("member_id")
        leaving = (
            customer.household.filter(pk=member_id, left_on__isnull=True).first()
            if member_id is not None
            else None
        )
        if leaving:
            account_services.record_member_left(member=leaving, by=by, left_on=happened_on)


CARE_HOME = "care_home"  # the fact: who moved into a care home, and whether for good


def _record_care_home(
    *, customer: Customer, by: User, details: dict[str, Any], happened_on: date
) -> None:
    """The move on the record; for good, the couple live apart from that day.

    Not "a partner moved out": they are still partners (so nothing suggests the
    separating journey, and the record does not say "single"), but no longer one
    household, whichever of them moved. A short stay changes nothing else."""
    permanent = bool(details.get("permanent"))
    account_services.record_fact(
        customer=customer, kind=CARE_HOME, effective_from=happened_on, by=by,
        value={"who": details.get("who", "partner"), "permanent": permanent},
    )  # fmt: skip
    if not permanent:
        return
    for member in customer.household.filter(relationship="partner", left_on__isnull=True):
        account_services.record_member_left(
            member=member, by=by, left_on=happened_on, status="living_apart"
        )
