"""Health checks for operators and load balancers.

``/healthz`` answers while the process can serve a request (liveness). ``/readyz`` checks
each dependency and answers 503 with the reasons when any of them fails (readiness).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.models import Heartbeat
from portal.services import WORKER_HEARTBEAT


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    ms: float


def _timed(check: Callable[[], str]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a health check reports every failure, whatever its type
        detail = f"{type(exc).__name__}: {exc}"[:300]
        ok = False
    return CheckResult(ok=ok, detail=detail, ms=round((time.perf_counter() - started) * 1000, 1))


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "PostgreSQL answered"


def check_redis() -> str:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    finally:
        client.close()
    return "Redis broker answered"


class StaleHeartbeat(Exception):
    pass


def check_worker() -> str:
    heartbeat = Heartbeat.objects.filter(name=WORKER_HEARTBEAT).first()
    if heartbeat is None:
        raise StaleHeartbeat("no worker heartbeat recorded yet")
    age = timezone.now() - heartbeat.seen_at
    if age > settings.HEARTBEAT_MAX_AGE:
        raise StaleHeartbeat(f"last worker heartbeat {int(age.total_seconds())} s ago")
    return f"worker {heartbeat.hostname or '?'} seen {int(age.total_seconds())} s ago"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
}


def run_checks() -> dict[str, CheckResult]:
    results: dict[str, CheckResult] = {}
    for name, check in CHECKS.items():
        if name == "worker" and not results["database"].ok:
            results[name] = CheckResult(ok=False, detail="database unavailable", ms=0.0)
            continue
        results[name] = _timed(check)
    return results


def as_json(results: dict[str, CheckResult]) -> dict[str, object]:
    return {
        "status": "ok" if all(r.ok for r in results.values()) else "fail",
        "checks": {name: asdict(result) for name, result in results.items()},
    }
