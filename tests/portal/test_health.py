"""/healthz and /readyz on the real PostgreSQL and Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal import services
from portal.models import Heartbeat

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_answers_while_the_process_is_alive(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_reports_every_dependency_ready(client):
    services.record_heartbeat(hostname="worker-1")

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "worker-1" in body["checks"]["worker"]["detail"]


def test_readyz_says_redis_is_down_when_the_broker_does_not_answer(client, settings):
    services.record_heartbeat(hostname="worker-1")
    settings.CELERY_BROKER_URL = DEAD_REDIS

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["redis"]["ok"] is False
    assert "Connection" in body["checks"]["redis"]["detail"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is True


def test_readyz_fails_when_no_worker_heartbeat_was_ever_seen(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "StaleHeartbeat: no worker heartbeat recorded yet",
        "ms": response.json()["checks"]["worker"]["ms"],
    }


def test_readyz_fails_when_the_last_heartbeat_is_older_than_a_minute(client):
    services.record_heartbeat(hostname="worker-1")
    Heartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=75))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert "75 s ago" in response.json()["checks"]["worker"]["detail"]


def test_health_endpoints_are_never_cached(client):
    for path in ("/healthz", "/readyz"):
        assert "no-cache" in client.get(path)["Cache-Control"]
