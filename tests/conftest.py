"""Shared fixtures: personas and helpers. Tests run on the real PostgreSQL and Redis."""

from __future__ import annotations

import os
import sys
import time

import pytest

from tests.helpers import database_url

# Playwright's sync API runs an event loop in the test thread; the ORM calls made from the
# same test are safe because they do not overlap with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "WO7ANYBL3EYDPZJPMECPQGIQ26LBD7NM"  # 160 bits, as authenticator apps expect


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


# --- Data migrations' rows and transactional tests ----------------------------------------------
#
# Data migrations load rows every test relies on: staff groups and their permissions, the
# benefit catalogue, rates, life events. Most tests run inside a transaction that is rolled
# back, so those rows stay. A transactional test (live server, real worker, several
# connections) ends by emptying every table instead; such tests use pytest-django's
# serialized_rollback, so the rows are serialized once when the test database is set up
# (--reuse-db included: pytest-django passes the aliases to serialize to Django's
# setup_databases whenever a collected test asks for it) and loaded back before the test.
# Django loads them back only *before* a serialized-rollback test; the hook below also puts
# them back after its flush, so the database a test leaves behind, to the next test in any
# order and to the next run with --reuse-db, always holds them.


def _is_transactional(item: pytest.Item) -> tuple[bool, bool]:
    """(transactional, serialized_rollback) as pytest-django decides them for ``item``."""
    from pytest_django.fixtures import validate_django_db

    fixtures = set(getattr(item, "fixturenames", ()))
    transactional = bool({"transactional_db", "live_server"} & fixtures)
    serialized = "django_db_serialized_rollback" in fixtures
    marker = item.get_closest_marker("django_db")
    if marker:
        marked_transaction, reset_sequences, _dbs, marked_serialized, _apps = validate_django_db(
            marker
        )
        transactional = transactional or marked_transaction or reset_sequences
        # With a marker, pytest-django decides what to serialize at setup from the marker
        # alone: a fixture requested beside it would not be enough.
        serialized = marked_serialized
    return transactional, serialized


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # make test runs two processes (pytest-xdist, --dist loadgroup); each has its own test
    # database and broker (portal/settings.py). The drills run one at a time in one process:
    # their gunicorns would share gunicorn's control socket.
    for item in items:
        if item.get_closest_marker("drill"):
            item.add_marker(pytest.mark.xdist_group("drills"))
    unserialized = [
        item.nodeid
        for item in items
        if _is_transactional(item) == (True, False)  # transactional, not serialized
    ]
    if unserialized:
        raise pytest.UsageError(
            "Transactional tests empty every table, data migrations' rows included. Use "
            "@pytest.mark.django_db(transaction=True, serialized_rollback=True), or request "
            "django_db_serialized_rollback beside transactional_db/live_server, in:\n  "
            + "\n  ".join(unserialized)
        )


_SERIALIZED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Every connection object gets the serialized rows, not only the one set up first.

    Django keeps them on the connection object that set the database up and looks for them
    on ``connections[alias]``. Once Playwright's sync API runs in the test thread (browser
    tests), that lookup hands out another connection object, without them: Django then
    silently skips serialized rollback (and lets post_migrate recreate content types with
    new ids on flush). So connection objects made later get them too.
    """
    from django.db import connections
    from django.db.utils import ConnectionHandler

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED[connection.alias] = contents
    create_connection = ConnectionHandler.create_connection

    def create_connection_with_serialized_rows(self, alias):
        connection = create_connection(self, alias)
        if alias in _SERIALIZED:
            connection._test_serialized_contents = _SERIALIZED[alias]
        return connection

    ConnectionHandler.create_connection = create_connection_with_serialized_rows
    try:
        yield
    finally:
        ConnectionHandler.create_connection = create_connection


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a serialized-rollback test's fixtures are torn down (its flush included), load
    the serialized rows back."""
    result = yield
    if _is_transactional(item) == (True, True):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = _SERIALIZED.get(connection.alias)
                if contents is not None:
                    connection.creation.deserialize_db_from_string(contents)
                    connection.close()
    return result


@pytest.fixture(scope="session")
def django_db_createdb(request: pytest.FixtureRequest) -> bool:
    """--create-db, or a reused test database that lost its data migrations' rows.

    Serialized rollback can only give back what the database held when the run started. A
    run stopped in the middle of a transactional test, or one by code from before this hook,
    can leave the reused database empty; then it is created anew, which runs every
    migration again. The rates (migrations 0002 and 0015) stand for all those rows.
    """
    if request.config.getvalue("create_db"):
        return True
    if not request.config.getvalue("reuse_db"):
        return False
    import psycopg
    from django.db import connection

    test_name = connection.creation._get_test_db_name()
    try:
        with psycopg.connect(
            database_url(connection.settings_dict, name=test_name), connect_timeout=5
        ) as conn:
            has_rates = conn.execute("SELECT EXISTS (SELECT 1 FROM benefits_parameter)").fetchone()
    except psycopg.Error:
        return False  # no test database, or not migrated yet: setting it up makes it whole
    if has_rates[0]:
        return False
    sys.stderr.write(f"\n{test_name} lost its data migrations' rows: creating it anew.\n")
    return True


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
    """Rate-limit counters and used TOTP codes must not leak from one test to the next,
    nor a cache failure that another test caused (lib.cache skips the cache a while).

    The test cache is Redis database 15 (see CACHE_URL in settings), never the broker's.
    """
    from lib import cache as safe_cache

    clear_own_cache()
    safe_cache.reset()
    yield
    safe_cache.reset()


@pytest.fixture
def stop_the_cache(settings):
    """Call to point the cache at a Redis that is not running (a closed port): as when
    Redis has stopped. Call it after setting up, so the setup still has its cache."""
    from tests.helpers import closed_port

    def stop() -> None:
        settings.CACHES = {
            "default": {
                **settings.CACHES["default"],
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            }
        }

    return stop


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids the daily occasions hand to the workers, batch by batch (instead of
    the broker)."""
    from notifications import occasions

    batches: list[list[int]] = []
    monkeypatch.setattr(occasions, "publish", lambda ids: batches.append(list(ids)))
    return batches
