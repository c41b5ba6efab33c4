"""Reads that need care: scoping to one customer, dates, prefetching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.acting import acting
from accounts.models import AccessEvent, BankAccount, Customer, Fact, HouseholdMember, User


def customer_for_user(*, user: User | AnonymousUser) -> Customer | None:
    """The signed-in person's own Customer, or None: staff accounts have none."""
    return Customer.objects.filter(user=user).first() if user.is_authenticated else None


def get_customer_for_user(*, user: User) -> Customer:
    """The signed-in person's own Customer; 404 if they have none."""
    customer = customer_for_user(user=user)
    if customer is None:
        raise Http404
    return customer


def customer_id_for_request(request: HttpRequest) -> int | None:
    """Whose records this request is about: the person acted for, or the signed-in person."""
    current = acting(request)
    if current is not None:
        return current.customer_id
    customer = customer_for_user(user=request.user)
    return customer.pk if customer else None


def get_customer_for_request(request: HttpRequest) -> Customer:
    """The Customer this request is about (see ``accounts.acting``); 404 if none.

    For a representative acting for someone, that person; otherwise the signed-in person.
    """
    current = acting(request)
    if current is None:
        return get_customer_for_user(user=request.user)  # type: ignore[arg-type]  # signed in
    customer = Customer.objects.filter(pk=current.customer_id).first()
    if customer is None:
        raise Http404
    return customer


def get_customer_for_staff(*, customer_id: int) -> Customer:
    """A customer with their sign-in, for staff pages that check the permission first."""
    customer = Customer.objects.select_related("user").filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def customer_changes(*, customer: Customer, limit: int):
    """The latest ``limit`` saved versions of the customer's record, with who saved each."""
    return (
        Customer.history.filter(id=customer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


def access_events(*, customer: Customer, limit: int) -> QuerySet[AccessEvent]:
    """The latest ``limit`` times staff saw the customer's data (their records, and lists
    and search results they were on), with who did."""
    events = AccessEvent.objects.filter(customer_ids__contains=[customer.pk])
    return events.select_related("staff")[:limit]


def facts_in_force(
    *, customer: Customer, on: date, known_at: datetime | None = None
) -> dict[str, Fact]:
    """What was true on ``on``, as known at ``known_at`` (now, by default), by kind.

    For each kind, the latest-recorded assertion whose period covers the date: one query
    (``DISTINCT ON``), served by ``acc_fact_asof_idx``. Ties in ``recorded_at`` are broken
    by the assertion itself, never by insertion order, so replaying the same reports in any
    order gives the same answer. Kinds whose winning value is null ("no longer so") are
    left out.
    """
    facts = Fact.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=on),
        customer=customer,
        effective_from__lte=on,
    )
    if known_at is not None:
        facts = facts.filter(recorded_at__lte=known_at)
    facts = facts.order_by("kind", *ASSERTION_ORDER).distinct("kind").select_related("recorded_by")
    return {fact.kind: fact for fact in facts if fact.value is not None}


# The order in which assertions about one date win: latest recorded first, then (for one
# instant) the one starting later, ending sooner, then by value (a null last).
ASSERTION_ORDER = (
    "-recorded_at",
    "-effective_from",
    F("effective_to").asc(nulls_last=True),
    F("value").desc(nulls_last=True),
)


def fact_values_in_force(
    *, customer: Customer, on: date, known_at: datetime | None = None
) -> dict[str, object]:
    facts = facts_in_force(customer=customer, on=on, known_at=known_at)
    return {kind: fact.value for kind, fact in facts.items()}


@dataclass(frozen=True)
class Span:
    """A stretch of time over which one kind had one value, as known at some moment."""

    start: date
    end: date | None  # exclusive; None: open-ended
    value: object
    fact: Fact


def fact_timeline(*, customer: Customer, kind: str, known_at: datetime | None = None) -> list[Span]:
    """One kind's values over time, as known at ``known_at``: the spans where each
    assertion wins, oldest first, adjacent spans of one value merged. Null values ("no
    longer so") are left out, so a gap means nothing is known for those dates."""
    facts = Fact.objects.filter(customer=customer, kind=kind)
    if known_at is not None:
        facts = facts.filter(recorded_at__lte=known_at)
    return resolve_timeline(list(facts.order_by(*ASSERTION_ORDER)))


def resolve_timeline(facts: list[Fact]) -> list[Span]:
    """The spans where each assertion wins, from assertions already in winning order.

    Every boundary is some assertion's start or end; between two boundaries one
    assertion wins throughout, so checking each piece once is enough.
    """
    bounds = sorted(
        {f.effective_from for f in facts} | {f.effective_to for f in facts if f.effective_to}
    )
    spans: list[Span] = []
    for index, start in enumerate(bounds):
        end = bounds[index + 1] if index + 1 < len(bounds) else None
        winner = next((f for f in facts if f.covers(start)), None)
        if winner is None or winner.value is None:
            continue
        last = spans[-1] if spans else None
        if last and last.end == start and last.value == winner.value:
            spans[-1] = Span(last.start, end, last.value, last.fact)
        else:
            spans.append(Span(start, end, winner.value, winner))
    return spans


def fact_history(*, customer: Customer, kind: str | None = None) -> QuerySet[Fact]:
    """Every assertion ever recorded, in the order we were told."""
    facts = Fact.objects.filter(customer=customer).select_related("recorded_by")
    if kind is not None:
        facts = facts.filter(kind=kind)
    return facts.order_by("kind", "recorded_at", "pk")


def facts_by_period(*, customer: Customer) -> QuerySet[Fact]:
    """Every assertion, by kind and by the period it covers, with who recorded it."""
    return (
        Fact.objects.filter(customer=customer)
        .select_related("recorded_by")
        .order_by("kind", "effective_from", "recorded_at")
    )


def household_on(*, customer: Customer, on: date) -> QuerySet[HouseholdMember]:
    return customer.household.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)


def get_household_member_for_customer(*, customer: Customer, member_id: int) -> HouseholdMember:
    member = HouseholdMember.objects.filter(customer=customer, pk=member_id).first()
    if member is None:
        raise Http404
    return member


def current_bank_account(*, customer: Customer) -> BankAccount | None:
    """The account the person's benefits are paid into: the latest one they gave."""
    return customer.bank_accounts.order_by("-recorded_at", "-pk").first()
