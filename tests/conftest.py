"""Shared fixtures: personas and helpers. Tests run on the real PostgreSQL and Redis."""

from __future__ import annotations

import os
import time

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made from the
# same test are safe because they do not overlap with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def make_person(email: str, *, staff: bool = False, superuser: bool = False, customer: bool = True):
    """A verified account; citizens get their Customer as signing up would create it."""
    from allauth.account.models import EmailAddress

    from accounts import services
    from accounts.models import User

    user = User.objects.create_user(email, PASSWORD, is_staff=staff, is_superuser=superuser)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if customer and not staff:
        services.create_customer_for_user(user=user)
    return user


def make_staff(email: str, *, group: str | None = None, superuser: bool = False, totp: bool = True):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    user = make_person(email, staff=True, superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if totp:
        TOTP.activate(user, TOTP_SECRET)
    return user


def sign_in_with_mfa(client, user) -> None:
    """Sign a staff member in as if they had passed the TOTP step."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture(scope="session", autouse=True)
def _private_files_root():
    """Evidence uploaded by tests goes to this process's own directory, removed at the end."""
    import shutil

    from django.conf import settings

    yield
    shutil.rmtree(settings.PRIVATE_FILES_ROOT, ignore_errors=True)


@pytest.fixture
def citizen(db):
    """Alice: the signed-in customer whose data a test looks at."""
    return make_person("alice@example.org")


@pytest.fixture
def other_citizen(db):
    """Bob: another customer. Anything of his must be a 404 to Alice."""
    return make_person("bob@example.org")


@pytest.fixture
def caseworker(db):
    return make_staff("casey@example.org", group="caseworker")


@pytest.fixture
def team_leader(db):
    return make_staff("terry@example.org", group="team leader")


@pytest.fixture
def operator(db):
    """An operator with full rights in the admin, with TOTP set up."""
    return make_staff("operator@example.org", superuser=True)


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def operator_client(client, operator):
    sign_in_with_mfa(client, operator)
    return client


@pytest.fixture(autouse=True)
def _migration_data(request, django_db_blocker):
    """Keep the rows data migrations create: staff groups, benefit catalogue and rates.

    Transactional tests (live server, real worker) empty every table when they finish,
    data migrations' rows included; the next test gets them back from here, by running
    the same migration functions.
    """
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    from benefits.models import Benefit, Parameter

    with django_db_blocker.unblock():
        # Groups can also be left half-made by a reused test database whose last test
        # flushed before later migrations ran: check a permission from the first migration.
        if not Group.objects.filter(
            name="caseworker", permissions__codename="view_customer"
        ).exists():
            import_module("accounts.migrations.0003_staff_roles").create_groups(apps, None)
            import_module("benefits.migrations.0004_staff_permissions").grant(apps, None)
            import_module("benefits.migrations.0006_claim_permissions").grant(apps, None)
            import_module("benefits.migrations.0008_evidence_permissions").grant(apps, None)
            import_module("notifications.migrations.0003_staff_permissions").grant(apps, None)
            import_module("benefits.migrations.0012_casework_permissions").grant(apps, None)
        if not Parameter.objects.exists():
            import_module("benefits.migrations.0002_rates_2025_26_and_2026_27").load(apps, None)
            import_module("benefits.migrations.0015_rates_housing_costs_and_hicbc").load(apps, None)
            from benefits.catalogue.selectors import invalidate_rates

            invalidate_rates()
        if not Benefit.objects.exists():
            import_module("benefits.migrations.0003_demo_catalogue").load(apps, None)
            import_module("benefits.migrations.0011_straight_through_and_due_dates").forwards(
                apps, None
            )
        from journeys.models import LifeEvent

        if not LifeEvent.objects.exists():
            import_module("journeys.migrations.0002_life_events").forwards(apps, None)
            import_module("journeys.migrations.0003_question_paths").forwards(apps, None)


def clear_own_cache() -> None:
    """Delete this test process's cache keys only: another test run may share the database."""
    import redis
    from django.conf import settings

    assert settings.CACHE_URL.endswith("/15")
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client = redis.Redis.from_url(settings.CACHE_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes must not leak from one test to the next.

    The test cache is Redis database 15 (see CACHE_URL in settings), never the broker's.
    """
    clear_own_cache()
