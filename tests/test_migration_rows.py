"""The rows data migrations load are there for every test, whatever ran before it.

Transactional tests empty every table when they finish; serialized rollback (see
tests/conftest.py) loads the migrations' rows back. A test database reused from a run that
lost them is created anew. These tests fail if any of that stops working, in whichever
order they run: pytest-django runs the plain database test before the transactional one,
and the next run with --reuse-db starts from what the transactional one left.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module

import pytest

RATE_MIGRATIONS = [
    "benefits.migrations.0002_rates_2025_26_and_2026_27",
    "benefits.migrations.0015_rates_housing_costs_and_hicbc",
    "benefits.migrations.0021_rates_loaded_years",
]


def assert_migration_rows_are_there() -> None:
    from django.contrib.auth.models import Group

    from benefits.models import Benefit, Parameter
    from journeys.models import LifeEvent

    loaded = [
        (name, Decimal(value), start)
        for module in RATE_MIGRATIONS
        for name, _unit, _description, periods in import_module(module).RATES
        for value, start, _end, _source, _note in periods
    ]
    stored = set(Parameter.objects.values_list("name", "value", "effective_from"))
    assert stored >= set(loaded), set(loaded) - stored
    assert Group.objects.get(name="caseworker").permissions.filter(codename="view_customer")
    assert Benefit.objects.exists()
    assert LifeEvent.objects.exists()


@pytest.mark.django_db
def test_a_test_in_a_rolled_back_transaction_sees_the_migrations_rows():
    assert_migration_rows_are_there()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_sees_the_migrations_rows():
    assert_migration_rows_are_there()
