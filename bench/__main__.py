"""Benchmarks behind `make bench`. They print figures; they never fail on speed.

Each page is requested through Django's test client against the development database
(so the full middleware stack, templates and queries run, without network noise), and
the figures are the median and 95th percentile of wall time, and the queries per request.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))

PAGES = [
    ("start page", "/"),
    ("sign-in page", "/account/login/"),
    ("not found", "/no-such-page/"),
    ("healthz", "/healthz"),
    ("readyz", "/readyz"),
    ("screener start", "/check-what-you-could-get/"),
]


def measure(client: Client, path: str) -> tuple[float, float, int, int]:
    status = client.get(path, secure=True).status_code  # warm up templates and connections
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(path, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, secure=True)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries), status


def main() -> int:
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 404/503 are expected
    client = Client(SERVER_NAME="localhost")
    print(f"{ROUNDS} requests per page through the full middleware stack")
    print(f"{'page':<16}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for name, path in PAGES:
        median, p95, queries, status = measure(client, path)
        print(f"{name:<16}{status:>7}{median:>11.2f}{p95:>9.2f}{queries:>9}")

    from django.utils import timezone

    from bench import rules
    from benefits.catalogue.selectors import rates_on

    today = timezone.localdate()
    print()
    for line in rules.run(rates_on(today), today):
        print(line)
    return notification_benchmarks()


def notification_benchmarks() -> int:
    """The outbox, reminder, nudge, sign-up, fault, support and retention benchmarks, on a
    database of their own:
    created, migrated, used, then dropped, so the development data is never touched."""
    import subprocess

    from django.conf import settings

    db = settings.DATABASES["default"]
    name = "portal_bench"
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    env = {
        **os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "notifications.sms.LocmemBackend", "CELERY_QUEUE": f"portal-bench-{os.getpid()}",
        "HTTPS": "false",
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
        outbox = subprocess.run([sys.executable, "-m", "bench.notifications"], env=env)
        signup = subprocess.run([sys.executable, "-m", "bench.signup"], env=env)
        # Before the nudges: they leave 700,000 deliveries waiting (no worker takes them),
        # and the recovery measured here would be the time to sweep that backlog instead.
        faults = subprocess.run([sys.executable, "-m", "bench.faults"], env=env)
        nudges = subprocess.run([sys.executable, "-m", "bench.nudges"], env=env)
        support = subprocess.run([sys.executable, "-m", "bench.support"], env=env)
        # Last: a million customers of its own; the dry run counts everyone's rows.
        retention = subprocess.run([sys.executable, "-m", "bench.retention"], env=env)
        return (
            outbox.returncode
            or nudges.returncode
            or signup.returncode
            or faults.returncode
            or support.returncode
            or retention.returncode
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
