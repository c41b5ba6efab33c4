"""Reads of the catalogue: the benefits, and the rates in force on a date, cached."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Max, Q

from benefits.models import Benefit, Parameter
from benefits.rules.base import Rates
from lib import cache as safe_cache

# Rates change a few times a year; an edit in the admin changes the version key.
_local: dict[tuple[date, str], Rates] = {}


def _version() -> str:
    latest = safe_cache.get("benefits:rates-version")  # with the cache down: from the database
    if latest is None:
        stamp = Parameter.objects.aggregate(n=Max("pk"))["n"]
        latest = f"{stamp}-{Parameter.objects.count()}"
        safe_cache.set("benefits:rates-version", latest, 60)
    return latest


def invalidate_rates() -> None:
    safe_cache.delete("benefits:rates-version")
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
