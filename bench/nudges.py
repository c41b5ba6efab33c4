"""The daily nudges job at scale, on a database of its own (``portal_bench``), never the
development one. Run by ``make bench`` in a subprocess with that database configured.

1,000,000 customers (dates of birth spread over 1940–2005, so some thousands reach State
Pension age in the next 4 months), 1,000,000 children in their households (born 2004–2026,
one in twenty has left) and a Maternity Allowance award for one customer in fifty, all
seeded with set-based SQL. The job runs twice: the second run must tell nobody anything
new. Target: under 60 seconds. Prints figures; never fails on speed.
"""

from __future__ import annotations

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000000"))
CHILDREN = int(os.environ.get("BENCH_CHILDREN", str(CUSTOMERS)))
PREFIX = "N-"  # customer references of their own, beside the reminder benchmark's


def sql(statement: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})
        return cursor.rowcount


def seed() -> None:
    # Dates of birth over 65 years (23,741 days), scattered across ids by a multiplier
    # prime to the range; one in ten Welsh; one in ten chose email only for suggestions.
    sql(
        """
        INSERT INTO accounts_customer
            (reference, legal_given_names, legal_family_name, preferred_name, date_of_birth,
             email, phone, address_line_1, address_line_2, town, postcode, preferred_language,
             contact_channels, accessibility_needs, reasonable_adjustments, needs_extra_support,
             created_at, updated_at)
        SELECT %(prefix)s || lpad(to_hex(i), 10, '0'), 'Test', 'Person ' || i, '',
               DATE '1940-01-01' + ((i::bigint * 7919) %% 23741)::int,
               'person' || i || '@example.org', '07700' || lpad((i %% 1000000)::text, 6, '0'),
               '1 High Street', '', 'Leeds', 'LS1 4DY',
               CASE WHEN i %% 10 = 0 THEN 'cy' ELSE 'en-gb' END,
               '{email,sms}', '{}', '', false, now(), now()
        FROM generate_series(1, %(count)s) AS i
        """,
        {"count": CUSTOMERS, "prefix": PREFIX},
    )
    sql(
        """
        INSERT INTO notifications_preferences (customer_id, channels, updated_at)
        SELECT id, '{"nudge": ["email"]}', now() FROM accounts_customer
        WHERE reference LIKE %(like)s AND id %% 10 = 3
        """,
        {"like": PREFIX + "%"},
    )
    # Children born over 22 years (8,036 days), spread over the customers in turn.
    sql(
        """
        WITH ids AS (
            SELECT array_agg(id ORDER BY id) AS a FROM accounts_customer WHERE reference LIKE %(like)s
        ), kids AS (
            SELECT ids.a[1 + (i - 1) %% array_length(ids.a, 1)] AS customer_id, i,
                   DATE '2004-06-01' + ((i::bigint * 104729) %% 8036)::int AS born
            FROM ids, generate_series(1, %(count)s) AS i
        )
        INSERT INTO accounts_householdmember
            (customer_id, relationship, name, date_of_birth, joined_on, left_on, created_at)
        SELECT customer_id, 'child', 'Child ' || i, born, born,
               CASE WHEN i %% 20 = 0 THEN born + 1000 END, now()
        FROM kids
        """,
        {"like": PREFIX + "%", "count": CHILDREN},
    )
    # Maternity Allowance awarded to one customer in fifty, started 0–299 days ago: 39 weeks
    # (273 days) on, about one in ten ends in the next 28 days.
    sql(
        """
        INSERT INTO benefits_claim
            (reference, status, answers, version, created_at, updated_at, submitted_at,
             decided_at, benefit_id, customer_id, answers_sha256, priority)
        SELECT 'NM-' || upper(lpad(to_hex(c.id), 9, '0')), 'awarded', '{}', 1, now(), now(),
               now() - make_interval(days => ((c.id / 50) * 31 %% 300)::int + 10), now(),
               (SELECT id FROM benefits_benefit WHERE code = 'maternity_allowance'), c.id, '', 0
        FROM accounts_customer c WHERE c.reference LIKE %(like)s AND c.id %% 50 = 0
        """,
        {"like": PREFIX + "%"},
    )
    sql(
        """
        INSERT INTO benefits_awardstatement
            (claim_id, version, issued_at, effective_from, amount, period, elements, reason,
             adjustment_reason)
        SELECT cl.id, 1, now(), current_date - ((cl.customer_id / 50) * 31 %% 300)::int, 187.18, 'week',
               '[]', 'Your claim was awarded.', ''
        FROM benefits_claim cl WHERE cl.reference LIKE 'NM-%%'
        """
    )
    sql("ANALYZE")


def purge_queue() -> None:
    """Drop the delivery batches the runs queued: no worker reads the benchmark's queue."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


def main() -> int:
    import logging

    from journeys import nudges
    from notifications import occasions

    logging.getLogger("notifications").setLevel(logging.ERROR)
    print(f"\nDaily nudges: {CUSTOMERS:,} customers, {CHILDREN:,} children in their households")
    started = time.perf_counter()
    seed()
    print(f"  seeded in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    try:
        for attempt in ("first run", "second run (same day)"):
            with CaptureQueriesContext(connection) as queries:
                report = occasions.run(group=nudges.GROUP, today=today)
            print(
                f"  {attempt}: {report.seconds:6.2f} s, {len(queries)} queries, "
                f"{sum(report.told.values()):,} nudges, {report.deliveries:,} deliveries "
                f"(queued {report.queued:,})"
            )
            for name, count in report.told.items():
                print(f"      {name:<24}{count:>10,}")
    finally:
        purge_queue()
    return 0


if __name__ == "__main__":
    sys.exit(main())
