"""Rates for rule tests, built from the same data the migration loads, without a database.

The rules are pure functions, so their tests need no database: ``rates_on(date)`` gives
the parameters in force on that date exactly as ``benefits.catalogue.selectors.rates_on`` would.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import import_module

from benefits.rules.base import Rates

_DATA = [
    *import_module("benefits.migrations.0002_rates_2025_26_and_2026_27").RATES,
    *import_module("benefits.migrations.0015_rates_housing_costs_and_hicbc").RATES,
    *import_module("benefits.migrations.0021_rates_loaded_years").RATES,
]


def rates_on(day: date) -> Rates:
    values: dict[str, Decimal] = {}
    for name, _unit, _description, periods in _DATA:
        for value, start, end, _source, _note in periods:
            if start <= day and (end is None or day < end):
                values[name] = Decimal(value)
    return Rates(day, values)
