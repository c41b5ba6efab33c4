"""/healthz, /readyz and /healthz/worker on the real PostgreSQL and Redis.

Readiness is what a load balancer asks of each web process: can *this* process serve
pages? Only the database and its migrations decide it. The cache and the broker are
reported to operators but do not fail it, and the worker's heartbeat has its own
endpoint: a Celery or Redis outage must not drop every web process from the pool.
Strangers get ``ok`` or ``fail``; details (hostnames, exception text) need staff signed
in with MFA or the health token.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from portal import services
from portal.models import Heartbeat
from tests.conftest import sign_in_with_mfa
from tests.helpers import closed_port

pytestmark = pytest.mark.django_db
# With the database down, the connection is closed mid-test: no test transaction around it.
database_tests = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOKEN = "t0ken-" + "x" * 40
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@contextmanager
def database_down():
    """The web process's PostgreSQL connection points at a port where nothing listens."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def token(settings):
    settings.HEALTH_TOKEN = TOKEN
    return TOKEN


@pytest.fixture
def dead_cache_and_broker(settings):
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": dead},
    }
    settings.CELERY_BROKER_URL = dead
    return dead


# --- /healthz -----------------------------------------------------------------------------------


def test_healthz_answers_while_the_process_is_alive(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


# --- /readyz for strangers ----------------------------------------------------------------------


def test_readyz_tells_a_stranger_ok_and_nothing_more(client):
    services.record_heartbeat(hostname="worker-1.internal")

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")


@database_tests
def test_readyz_tells_a_stranger_fail_without_the_reason_when_the_database_is_down(client):
    with database_down():
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.content == b"fail\n"  # no exception text, no host, no port


def test_readyz_gives_a_signed_in_citizen_no_details_either(citizen_client):
    response = citizen_client.get("/readyz")

    assert response.content == b"ok\n"


def test_a_wrong_token_gets_no_details(client, token):
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer " + "y" * len(TOKEN))

    assert response.content == b"ok\n"


def test_no_token_is_accepted_while_none_is_configured(client, settings):
    settings.HEALTH_TOKEN = ""

    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer ")

    assert response.content == b"ok\n"


# --- What readiness depends on ------------------------------------------------------------------


def test_readyz_stays_ready_while_no_worker_has_ever_beaten(client):
    assert not Heartbeat.objects.exists()

    assert client.get("/readyz").status_code == 200


def test_readyz_stays_ready_while_the_worker_is_stale(client):
    services.record_heartbeat(hostname="worker-1")
    Heartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=10))

    assert client.get("/readyz").status_code == 200


def test_readyz_stays_ready_and_reports_the_cache_and_broker_down(
    client, token, dead_cache_and_broker
):
    response = client.get("/readyz", **BEARER)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"]["ok"] is True
    assert body["checks"]["cache"] == {
        "ok": False,
        "required": False,
        "detail": body["checks"]["cache"]["detail"],
        "ms": body["checks"]["cache"]["ms"],
    }
    assert "Connection" in body["checks"]["cache"]["detail"]
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["required"] is False


def test_readyz_is_not_ready_while_a_migration_is_not_applied(client, token):
    latest = MigrationRecorder.Migration.objects.filter(app="portal").order_by("-id").first()
    latest.delete()  # as if this code had been deployed before `migrate` ran

    anonymous = client.get("/readyz")
    detailed = client.get("/readyz", **BEARER)
    MigrationRecorder.Migration.objects.create(app=latest.app, name=latest.name)

    assert anonymous.status_code == 503
    assert anonymous.content == b"fail\n"
    migrations = detailed.json()["checks"]["migrations"]
    assert migrations["ok"] is False
    assert f"portal.{latest.name}" in migrations["detail"]
    assert client.get("/readyz").status_code == 200  # applied again: ready again


# --- /readyz details for operators --------------------------------------------------------------


def test_readyz_shows_the_health_token_every_check(client, token):
    response = client.get("/readyz", **BEARER)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    required = {name for name, check in body["checks"].items() if check["required"]}
    assert required == {"database", "migrations"}


def test_readyz_shows_staff_signed_in_with_mfa_every_check(client, operator):
    sign_in_with_mfa(client, operator)

    response = client.get("/readyz")

    assert set(response.json()["checks"]) == {"database", "migrations", "cache", "broker"}


def test_readyz_gives_staff_without_mfa_no_details(client, operator):
    client.force_login(operator)  # password only: the second factor was not used

    assert client.get("/readyz").content == b"ok\n"


@database_tests
def test_readyz_tells_the_token_holder_why_the_database_failed(client, token):
    with database_down():
        response = client.get("/readyz", **BEARER)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is False
    assert "OperationalError" in body["checks"]["database"]["detail"]
    assert body["checks"]["migrations"] == {
        "ok": False,
        "required": True,
        "detail": "database unavailable",
        "ms": 0.0,
    }


def test_the_token_counts_only_over_https_when_the_site_uses_https(client, token, settings):
    settings.SECURE_SSL_REDIRECT = True

    plain = client.get("/readyz", **BEARER)
    secure = client.get("/readyz", secure=True, **BEARER)

    assert plain.status_code == 200  # exempt from the redirect: a load balancer speaks HTTP
    assert plain.content == b"ok\n"
    assert secure.json()["status"] == "ok"


# --- /healthz/worker -----------------------------------------------------------------------------


def test_worker_health_is_refused_to_strangers(client):
    services.record_heartbeat(hostname="worker-1.internal")

    response = client.get("/healthz/worker")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="health"'
    assert b"worker-1" not in response.content


def test_worker_health_is_refused_to_citizens_and_wrong_tokens(client, citizen, token):
    services.record_heartbeat(hostname="worker-1.internal")

    assert client.get("/healthz/worker", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    client.force_login(citizen)
    assert client.get("/healthz/worker").status_code == 401


def test_worker_health_shows_the_token_holder_a_recent_heartbeat(client, token):
    services.record_heartbeat(hostname="worker-1")

    response = client.get("/healthz/worker", **BEARER)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["ok"] is True
    assert "worker-1" in body["checks"]["worker"]["detail"]


def test_worker_health_shows_staff_a_recent_heartbeat(client, operator):
    services.record_heartbeat(hostname="worker-1")
    sign_in_with_mfa(client, operator)

    assert client.get("/healthz/worker").json()["checks"]["worker"]["ok"] is True


def test_worker_health_fails_when_no_heartbeat_was_ever_seen(client, token):
    response = client.get("/healthz/worker", **BEARER)

    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert worker["detail"] == "StaleHeartbeat: no worker heartbeat recorded yet"


def test_worker_health_fails_when_the_last_heartbeat_is_older_than_a_minute(client, token):
    services.record_heartbeat(hostname="worker-1")
    Heartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=75))

    response = client.get("/healthz/worker", **BEARER)

    assert response.status_code == 503
    assert "75 s ago" in response.json()["checks"]["worker"]["detail"]


def test_worker_health_over_plain_http_is_refused_not_redirected(client, token, settings):
    """A monitor set up with http:// must fail visibly: a redirect would be followed with
    the token already sent in clear, and the monitor would keep working unnoticed."""
    settings.SECURE_SSL_REDIRECT = True
    services.record_heartbeat(hostname="worker-1")

    plain = client.get("/healthz/worker", **BEARER)
    secure = client.get("/healthz/worker", secure=True, **BEARER)

    assert plain.status_code == 403
    assert "Location" not in plain
    assert plain.content == b"HTTPS required\n"
    assert b"worker-1" not in plain.content
    assert secure.status_code == 200
    assert secure.json()["checks"]["worker"]["ok"] is True


# --- Both ----------------------------------------------------------------------------------------


@database_tests
def test_every_plain_text_health_answer_names_its_charset(client, token, settings):
    settings.SECURE_SSL_REDIRECT = True
    answers = [
        client.get("/healthz"),
        client.get("/readyz"),  # a stranger's ok
        client.get("/healthz/worker", secure=True),  # 401
        client.get("/healthz/worker", **BEARER),  # 403 over plain HTTP
    ]
    with database_down():
        answers.append(client.get("/readyz"))  # a stranger's fail

    assert [r.status_code for r in answers] == [200, 200, 401, 403, 503]
    for response in answers:
        assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_health_endpoints_are_never_cached(client, token):
    for path in ("/healthz", "/readyz", "/healthz/worker"):
        assert "no-cache" in client.get(path)["Cache-Control"]
        assert "no-cache" in client.get(path, **BEARER)["Cache-Control"]


def test_the_system_status_page_shows_every_check_with_the_worker(client, operator):
    services.record_heartbeat(hostname="worker-7")
    sign_in_with_mfa(client, operator)

    response = client.get("/admin/system-status/")

    assert response.status_code == 200
    checks = {
        name: r for _caption, group in response.context["groups"] for name, r in group.items()
    }
    assert set(checks) == {"database", "migrations", "cache", "broker", "worker"}
    assert "worker-7" in checks["worker"].detail
    assert all(check.ok for check in checks.values())


def test_the_health_token_must_be_long():
    env = {**os.environ, "HEALTH_TOKEN": "short"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode != 0
    assert "HEALTH_TOKEN must be at least 32 characters" in result.stderr
