"""Notification benchmarks, on a database of their own (``portal_bench``), never the
development one. Run by ``make bench`` in a subprocess with that database configured.

1. End to end: 100,000 email notifications written to the outbox, queued, and delivered
   by a real Celery worker (prefork, 2 processes) on the real Redis broker, through the
   locmem email backend: notifications per second.
2. The daily reminder job on 1,000,000 customers with 3,000,000 requests for information
   (the tasks reminders are about), seeded with set-based SQL; run twice (the second run
   must send nothing new). Target: under 60 seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

NOTIFICATIONS = int(os.environ.get("BENCH_NOTIFICATIONS", "100000"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000000"))
TASKS_PER_CUSTOMER = 3


def sql(statement: str, params: dict | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})


def seed_customers(count: int, *, channels: str, prefix: str) -> None:
    sql(
        """
        INSERT INTO accounts_customer
            (reference, legal_given_names, legal_family_name, preferred_name, email, phone,
             address_line_1, address_line_2, town, postcode, preferred_language,
             contact_channels, accessibility_needs, reasonable_adjustments, needs_extra_support,
             created_at, updated_at)
        SELECT %(prefix)s || lpad(to_hex(i), 10, '0'), 'Test', 'Person ' || i, '',
               'person' || i || '@example.org', '07700' || lpad((i %% 1000000)::text, 6, '0'),
               '1 High Street', '', 'Leeds', 'LS1 4DY',
               CASE WHEN i %% 10 = 0 THEN 'cy' ELSE 'en-gb' END,
               %(channels)s::varchar[], '{}', '', false, now(), now()
        FROM generate_series(1, %(count)s) AS i
        """,
        {"count": count, "channels": channels, "prefix": prefix},
    )


def outbox_end_to_end() -> None:
    from notifications.models import Delivery, DeliveryStatus
    from notifications.occasions import queue_new_deliveries

    print(f"\nOutbox: {NOTIFICATIONS:,} email notifications, delivered by a real worker")
    seed_customers(1000, channels="{email}", prefix="B-")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork",
         "--concurrency=2", "--loglevel=WARNING", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
        env=os.environ.copy(),
    )  # fmt: skip
    try:
        _wait_for_worker()
        started_at = timezone.now()
        started = time.perf_counter()
        sql(
            """
            WITH notes AS (
                INSERT INTO notifications_notification (customer_id, kind, title, body, link, created_at)
                SELECT c.id, 'status', 'Benchmark message ' || i, 'Body', '/your-services/', now()
                FROM generate_series(1, %(n)s) AS i
                JOIN accounts_customer c ON c.reference = 'B-' || lpad(to_hex(1 + i %% 1000), 10, '0')
                RETURNING id
            )
            INSERT INTO notifications_delivery
                (notification_id, channel, status, attempts, last_error, next_attempt_at,
                 provider_id, created_at, updated_at)
            SELECT id, 'email', 'pending', 0, '', now(), '', now(), now() FROM notes
            """,
            {"n": NOTIFICATIONS},
        )
        written = time.perf_counter() - started
        queued, _queries = queue_new_deliveries(since=started_at)
        queueing = time.perf_counter() - started - written
        while Delivery.objects.filter(status=DeliveryStatus.PENDING).exists():
            time.sleep(0.25)
        while Delivery.objects.filter(status=DeliveryStatus.SENDING).exists():
            time.sleep(0.1)
        total = time.perf_counter() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    print(f"  written to the outbox (SQL):       {written:8.2f} s")
    print(f"  queued ({queued:,} ids, batches of 200): {queueing:8.2f} s")
    print(f"  sent: {sent:,} of {NOTIFICATIONS:,}; end to end {total:.1f} s")
    print(f"  notifications per second, end to end: {NOTIFICATIONS / total:,.0f}")


def _wait_for_worker(timeout: float = 60) -> None:
    from portal.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError("The benchmark worker did not start")


def reminders_at_scale() -> None:
    from notifications import occasions

    print(
        f"\nDaily reminders: {CUSTOMERS:,} customers, {CUSTOMERS * TASKS_PER_CUSTOMER:,} requests for information"
    )
    started = time.perf_counter()
    seed_customers(CUSTOMERS, channels="{email,sms}", prefix="R-")
    sql(
        """
        INSERT INTO benefits_claim
            (reference, status, answers, version, created_at, updated_at, submitted_at,
             benefit_id, customer_id, answers_sha256, priority)
        SELECT 'CL-' || upper(lpad(to_hex(c.id), 9, '0')),
               CASE WHEN c.id %% 3 = 0 THEN 'information_requested' ELSE 'in_review' END,
               '{}', 1, now(), now(), now() - interval '3 days',
               (SELECT id FROM benefits_benefit WHERE code = 'universal_credit'), c.id, '', 0
        FROM accounts_customer c WHERE c.reference LIKE 'R-%%'
        """
    )
    sql(
        """
        INSERT INTO benefits_informationrequest
            (what_is_needed, due_on, requested_at, answer, answered_at, claim_id)
        SELECT 'Send your payslips', current_date + (((cl.id * 7 + t) %% 120) - 60)::int, now(), '',
               CASE WHEN t = 2 THEN now() END, cl.id
        FROM benefits_claim cl CROSS JOIN generate_series(0, %(per)s - 1) AS t
        WHERE cl.reference LIKE 'CL-%%'
        """,
        {"per": TASKS_PER_CUSTOMER},
    )
    sql("ANALYZE")
    print(f"  seeded in {time.perf_counter() - started:.1f} s")
    for attempt in ("first run", "second run (same day)"):
        with CaptureQueriesContext(connection) as queries:
            report = occasions.run(group=occasions.REMINDERS)
        print(
            f"  {attempt}: {report.seconds:6.2f} s, {len(queries)} queries, "
            f"{sum(report.told.values()):,} reminders, {report.deliveries:,} deliveries queued "
            f"({report.queued:,})"
        )
        for name, count in report.told.items():
            print(f"      {name:<24}{count:>10,}")


def main() -> int:
    import logging

    logging.getLogger("notifications").setLevel(logging.ERROR)
    outbox_end_to_end()
    reminders_at_scale()
    return 0


if __name__ == "__main__":
    sys.exit(main())
