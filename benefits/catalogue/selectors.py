"""Reads of the catalogue: the benefits, and the rates in force on a date, cached."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext

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


# One row per benefit year whose rates are all loaded (migration 0021): a date no row
# covers has no rates, even where older rows are still open-ended.
RATES_LOADED = "rates.loaded"


class RatesNotAvailable(ValueError):
    """No rates are loaded for ``on``: before the first year with rates, after the last
    (``last_day`` is its last day), or in a year between them that is not loaded."""

    def __init__(self, on: date, *, earliest: date | None, last_day: date | None) -> None:
        self.on, self.earliest, self.last_day = on, earliest, last_day
        values = {"on": on.isoformat()}
        if earliest is not None and on < earliest:
            message = gettext(
                "No rates are loaded for %(on)s; the earliest date with rates is %(earliest)s."
            ) % {**values, "earliest": earliest.isoformat()}
        elif last_day is not None and on > last_day:
            message = gettext(
                "No rates are loaded for %(on)s; the last year with rates is %(year)s, "
                "to %(last_day)s."
            ) % {**values, "year": benefit_year(last_day), "last_day": last_day.isoformat()}
        else:
            message = gettext("No rates are loaded for %(on)s.") % values
        super().__init__(message)


def benefit_year(day: date) -> str:
    """The benefit (tax) year a day falls in, 6 April to 5 April: "2026/27"."""
    start = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def rates_on(on: date) -> Rates:
    """Every parameter in force on ``on``: one query, then cached in the process.

    Raises ``RatesNotAvailable`` for a date outside the years whose rates are loaded, so no
    caller assesses 2030 with 2026/27's figures.
    """
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
    if RATES_LOADED not in rates:
        earliest, last_day = loaded_period()
        raise RatesNotAvailable(on, earliest=earliest, last_day=last_day)
    return rates


def loaded_period() -> tuple[date | None, date | None]:
    """The first and last day with rates (None: no years loaded / the last is open)."""
    found = Parameter.objects.filter(name=RATES_LOADED).aggregate(
        first=Min("effective_from"),
        end=Max("effective_to"),
        open=Count("pk", filter=Q(effective_to__isnull=True)),
    )
    last_day = None if found["open"] or found["end"] is None else found["end"] - timedelta(days=1)
    return found["first"], last_day


def benefits_by_code() -> dict[str, Benefit]:
    return {benefit.code: benefit for benefit in Benefit.objects.all()}
