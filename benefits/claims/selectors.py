"""Reads of claims. ``get_claim_for_customer`` is the one scoped getter for citizen pages:
"missing" and "not yours" are the same 404.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.acting import Whose
from benefits.claims import lifecycle
from benefits.claims.payments import nation_of
from benefits.models import (
    CaseNote,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Document,
    InformationRequest,
    Payment,
    PaymentStatus,
)
from benefits.rules.base import add_working_days
from lib import cache as safe_cache


def claims_for_customer(*, customer):
    """A person's claims, newest first, with their benefit: one query."""

    return Claim.objects.filter(customer=customer).select_related("benefit").order_by("-created_at")


def unfinished_applications(*, customer):
    """The person's applications not sent yet, newest first, with their benefit: one query.

    The one source for "Finish your … application" on "Your services" and the to-do list.
    """

    return (
        Claim.objects.filter(customer=customer, status=ClaimStatus.DRAFT)
        .select_related("benefit")
        .order_by("-created_at", "-pk")
    )


def open_information_requests(*, customer):
    """What we asked the person for and they have not answered, soonest due first, with
    the claim and its benefit: one query. Only open claims: a withdrawn or decided claim
    asks nothing more of the person."""

    return (
        InformationRequest.objects.filter(
            claim__customer=customer, claim__status__in=lifecycle.OPEN, answered_at__isnull=True
        )
        .select_related("claim__benefit")
        .order_by("due_on", "pk")
    )


def next_payment(*, customer, today: date) -> Payment | None:
    """The person's next scheduled payment from ``today`` on, across their claims, with its
    claim and benefit: one query."""

    return (
        Payment.objects.filter(
            claim__customer=customer, status=PaymentStatus.SCHEDULED, due_on__gte=today
        )
        .select_related("claim__benefit")
        .order_by("due_on", "pk")
        .first()
    )


def get_claim_for_customer(*, whose: Whose, claim_id: int):
    """The person's claim (see ``accounts.acting.Whose``), with its benefit and customer,
    in one query.

    The one getter every citizen page about a claim starts from: "missing", "not yours"
    and "no customer" (staff) are the same 404.
    """

    claim = (
        Claim.objects.filter(pk=claim_id, **whose.customer_filter(), **whose.claim_filter())
        .select_related("benefit", "customer")
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def case_file(*, customer):
    """For staff: every claim of the person, newest first, with its benefit, caseworker,
    whole timeline (who did what), documents, requests and decisions: five queries."""

    return (
        Claim.objects.filter(customer=customer)
        .select_related("benefit", "assigned_to")
        .prefetch_related(
            Prefetch(
                "events", queryset=ClaimEvent.objects.select_related("by").order_by("at", "pk")
            ),
            Prefetch("documents", queryset=Document.objects.order_by("uploaded_at")),
            Prefetch(
                "information_requests", queryset=InformationRequest.objects.order_by("due_on")
            ),
            "decisions",
        )
        .order_by("-created_at")
    )


def claim_changes(*, customer, limit: int):
    """For staff: the latest ``limit`` saved versions of the person's claims, with who
    saved each."""

    return (
        Claim.history.filter(customer_id=customer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


def recent_decision_days(benefit_id: int) -> tuple[int, int] | None:
    """The median and 90th percentile of calendar days from sending to a decision over the
    last 90 days, if at least 10 claims were decided; cached for ten minutes."""

    key = f"decision-days:{benefit_id}"
    cached = safe_cache.get(key)  # with the cache down: worked out each time
    if cached is not None:
        return tuple(cached) if cached else None

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at))
            FROM benefits_claim
            WHERE benefit_id = %s AND decided_at IS NOT NULL AND submitted_at IS NOT NULL
              AND decided_at > now() - interval '90 days'
            """,
            [benefit_id],
        )
        count, median, p90 = cursor.fetchone()
    value = [round(median / 86400), round(p90 / 86400)] if count >= 10 else []
    safe_cache.set(key, value, 600)
    return tuple(value) if value else None


def case_notes(*, claim_ids: list[int]):
    """Caseworkers' internal notes on these claims, oldest first, with who wrote them.

    For staff pages only: nothing made for the person (pages, letters, messages) calls it.
    """

    return CaseNote.objects.filter(claim_id__in=claim_ids).select_related("by").order_by("at", "pk")


def expected_decision(claim: Claim) -> tuple[date, date] | None:
    """An honest range, not a promise: from recent decision times when there are enough,
    otherwise from the service level (most claims are decided well inside it)."""
    if not claim.submitted_at or claim.status not in lifecycle.OPEN:
        return None
    sent = timezone.localdate(claim.submitted_at)
    recent = recent_decision_days(claim.benefit_id)
    if recent:
        early, late = sent + timedelta(days=recent[0]), sent + timedelta(days=recent[1])
    else:
        level, nation = claim.benefit.service_level_days, nation_of(claim.customer)
        early = add_working_days(sent, max(1, level * 3 // 5), nation)
        late = add_working_days(sent, level, nation)
    today = timezone.localdate()
    return max(early, today), max(late, today)
