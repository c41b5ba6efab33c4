"""Health checks for load balancers, monitoring and operators.

- ``/healthz``: the process answers a request (liveness).
- ``/readyz``: this web process can serve pages (readiness). Decided by what every page
  needs: PostgreSQL answers, and every migration this code knows of is applied (a process
  deployed before ``migrate`` ran is not ready). The cache and the broker are checked and
  reported, but do not decide it: pages work without the cache (``lib.cache``), and both
  are shared by every web process, so failing readiness on them would take every process
  out of the load balancer at once — a site down instead of a site degraded.
- ``/healthz/worker``: the Celery worker's heartbeat, which beat schedules every 20 s and a
  worker records in PostgreSQL: a stopped beat, worker or broker shows within a minute.
  An alert for operators, never a reason to stop serving pages.

The details (hosts, exception text) are for staff and monitoring only; see
``portal.views``. The admin's system status page shows every check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portal.models import Heartbeat
from portal.services import WORKER_HEARTBEAT


@dataclass(frozen=True)
class Check:
    run: Callable[[], str]  # a short description of what it found; raises on failure
    required: bool  # a failure fails the endpoint; otherwise it is only reported
    needs_database: bool = False  # not run (reported failing) when the database is down


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    required: bool
    detail: str
    ms: float


def _timed(check: Check) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = check.run()
        ok = True
    except Exception as exc:  # a health check reports every failure, whatever its type
        detail = f"{type(exc).__name__}: {exc}"[:300]
        ok = False
    return CheckResult(
        ok=ok,
        required=check.required,
        detail=detail,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "PostgreSQL answered"


class Unmigrated(Exception):
    pass


def check_migrations() -> str:
    """Every migration this code has is applied (a few ms once the modules are loaded).
    Migrations applied by newer code are not this code's concern: a rolling deploy's old
    processes stay ready."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise Unmigrated(f"{len(plan)} not applied: {names}")
    return "every migration applied"


def _ping(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def check_cache() -> str:
    _ping(str(settings.CACHES["default"]["LOCATION"]))
    return "Redis cache answered"


def check_broker() -> str:
    _ping(settings.CELERY_BROKER_URL)
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


READINESS: dict[str, Check] = {
    "database": Check(check_database, required=True),
    "migrations": Check(check_migrations, required=True, needs_database=True),
    "cache": Check(check_cache, required=False),
    "broker": Check(check_broker, required=False),
}
WORKER: dict[str, Check] = {
    "worker": Check(check_worker, required=True),
}


def run_checks(checks: dict[str, Check], *, required_only: bool = False) -> dict[str, CheckResult]:
    """Run ``checks`` in order; ``required_only`` skips those that are only reported (a
    stranger's probe learns nothing from them)."""
    results: dict[str, CheckResult] = {}
    for name, check in checks.items():
        if required_only and not check.required:
            continue
        database = results.get("database")
        if check.needs_database and database is not None and not database.ok:
            results[name] = CheckResult(
                ok=False, required=check.required, detail="database unavailable", ms=0.0
            )
            continue
        results[name] = _timed(check)
    return results


def passed(results: dict[str, CheckResult]) -> bool:
    return all(result.ok for result in results.values() if result.required)


def as_json(results: dict[str, CheckResult]) -> dict[str, object]:
    return {
        "status": "ok" if passed(results) else "fail",
        "checks": {name: asdict(result) for name, result in results.items()},
    }
