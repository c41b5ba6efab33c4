"""Reads for the rules: the rates in force on a date, cached."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max, Q

from benefits.models import Benefit, Parameter
from benefits.rules.base import Rates

# Rates change a few times a year; an edit in the admin changes the version key.
_local: dict[tuple[date, str], Rates] = {}


def _version() -> str:
    latest = cache.get("benefits:rates-version")
    if latest is None:
        stamp = Parameter.objects.aggregate(n=Max("pk"))["n"]
        latest = f"{stamp}-{Parameter.objects.count()}"
        cache.set("benefits:rates-version", latest, 60)
    return latest


def invalidate_rates() -> None:
    cache.delete("benefits:rates-version")
    _local.clear()


def rates_on(on: date) -> Rates:
    """Every parameter in force on ``on``: one query, then cached in the process."""
    key = (on, _version())
    rates = _local.get(key)
    if rates is None:
        rows = Parameter.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on), effective_from__lte=on
        ).values_list("name", "value")
        rates = Rates(on, {name: Decimal(value) for name, value in rows})
        if len(_local) > 64:
            _local.clear()
        _local[key] = rates
    return rates


def earliest_rates_date() -> date | None:
    return (
        Parameter.objects.filter(name="uc.standard_allowance.single_25_plus")
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )


def benefits_by_code() -> dict[str, Benefit]:
    return {benefit.code: benefit for benefit in Benefit.objects.all()}


def claims_for_customer(*, customer):
    """A person's claims, newest first, with their benefit: one query."""
    from benefits.models import Claim

    return Claim.objects.filter(customer=customer).select_related("benefit").order_by("-created_at")


def unfinished_applications(*, customer):
    """The person's applications not sent yet, newest first, with their benefit: one query.

    The one source for "Finish your … application" on "Your services" and the to-do list.
    """
    from benefits.models import Claim, ClaimStatus

    return (
        Claim.objects.filter(customer=customer, status=ClaimStatus.DRAFT)
        .select_related("benefit")
        .order_by("-created_at", "-pk")
    )


def get_claim_for_customer(*, customer, claim_id: int):
    """One of the person's claims; "missing" and "not yours" are the same 404."""
    from django.http import Http404

    from benefits.models import Claim

    claim = Claim.objects.filter(customer=customer, pk=claim_id).select_related("benefit").first()
    if claim is None:
        raise Http404
    return claim


def recent_decision_days(benefit_id: int) -> tuple[int, int] | None:
    """The median and 90th percentile of calendar days from sending to a decision over the
    last 90 days, if at least 10 claims were decided; cached for ten minutes."""
    from django.core.cache import cache
    from django.db import connection

    key = f"decision-days:{benefit_id}"
    cached = cache.get(key)
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
    cache.set(key, value, 600)
    return tuple(value) if value else None


def case_notes(*, claim_ids: list[int]):
    """Caseworkers' internal notes on these claims, oldest first, with who wrote them.

    For staff pages only: nothing made for the person (pages, letters, messages) calls it.
    """
    from benefits.models import CaseNote

    return CaseNote.objects.filter(claim_id__in=claim_ids).select_related("by").order_by("at", "pk")
