"""Secure messages and appointments at scale, on a database of their own (``portal_bench``),
never the development one. Run by ``make bench`` in a subprocess with that database
configured.

- 100,000 conversations (200,000 messages) of 100,000 customers: the caseworkers' queue
  (its first page, and "take the next conversation" with ``SKIP LOCKED``) and
  ``messages_report``, with the plans PostgreSQL chose.
- 1,000,000 slots (four ways of meeting, a quarter each): the booking page's query for a
  week, with its plan.
- 100,000 appointments starting in the next 24 hours: the reminder run (target: under 30 s),
  run twice; the second must tell nobody anything new.

All seeded with set-based SQL. Prints figures; never fails on speed.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_SUPPORT_CUSTOMERS", "100000"))
CONVERSATIONS = int(os.environ.get("BENCH_CONVERSATIONS", "100000"))
SLOTS = int(os.environ.get("BENCH_SLOTS", "1000000"))
APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", "100000"))
PREFIX = "S-"  # customer references of their own, beside the other benchmarks'
ROUNDS = 50


def sql(statement: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})
        return cursor.rowcount


def explain(queryset) -> str:
    """PostgreSQL's plan for ``queryset``, indented for the report."""
    plan = queryset.explain()
    return "\n".join("      " + line for line in plan.splitlines())


def timed(function, rounds: int = ROUNDS) -> tuple[float, float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def seed_customers() -> list[int]:
    sql(
        """
        INSERT INTO accounts_customer
            (reference, legal_given_names, legal_family_name, preferred_name, date_of_birth,
             email, phone, address_line_1, address_line_2, town, postcode, preferred_language,
             contact_channels, accessibility_needs, reasonable_adjustments, needs_extra_support,
             created_at, updated_at)
        SELECT %(prefix)s || lpad(to_hex(i), 10, '0'), 'Test', 'Person ' || i, '',
               DATE '1950-01-01' + ((i::bigint * 7919) %% 20000)::int,
               'support' || i || '@example.org', '07700' || lpad((i %% 1000000)::text, 6, '0'),
               '1 High Street', '', 'Leeds', 'LS1 4DY',
               CASE WHEN i %% 10 = 0 THEN 'cy' ELSE 'en-gb' END,
               '{email,sms}', '{}', '', false, now(), now()
        FROM generate_series(1, %(count)s) AS i
        """,
        {"count": CUSTOMERS, "prefix": PREFIX},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM accounts_customer WHERE reference LIKE %s ORDER BY id", [PREFIX + "%"]
        )
        return [row[0] for row in cursor.fetchall()]


def seed_conversations() -> None:
    """A tenth waits for us (due dates from a week ago to a week ahead, one in five of them
    assigned), half wait for the person, the rest are closed; two messages each."""
    from accounts.models import Team

    teams = [Team.objects.get_or_create(name=f"Bench team {n}")[0].pk for n in range(5)]
    sql(
        """
        WITH ids AS (
            SELECT array_agg(id ORDER BY id) AS a FROM accounts_customer
            WHERE reference LIKE %(like)s
        ), topics AS (
            SELECT array_agg(id ORDER BY id) AS t FROM conversations_topic
        )
        INSERT INTO conversations_conversation
            (customer_id, topic_id, subject, reference, status, created_at, last_message_at,
             waiting_since, reply_due_on, team_id, assigned_to_id, assigned_at,
             needs_supervisor, supervisor_reason, closed_at)
        SELECT ids.a[1 + (i - 1) %% array_length(ids.a, 1)],
               topics.t[1 + i %% array_length(topics.t, 1)],
               'Question ' || i, 'MSG-B' || lpad(i::text, 9, '0'),
               CASE WHEN i %% 10 = 0 THEN 'waiting_for_us'
                    WHEN i %% 2 = 1 THEN 'waiting_for_you' ELSE 'closed' END,
               now() - make_interval(days => i %% 30), now() - make_interval(hours => i %% 700),
               CASE WHEN i %% 10 = 0 THEN now() - make_interval(hours => i %% 300) END,
               CASE WHEN i %% 10 = 0 THEN current_date + (i / 10 %% 15) - 7 END,
               (%(teams)s::bigint[])[1 + i %% 5], NULL, NULL, i %% 997 = 0, '',
               CASE WHEN i %% 10 NOT IN (0, 1, 3, 5, 7, 9) THEN now() END
        FROM ids, topics, generate_series(1, %(count)s) AS i
        """,
        {"like": PREFIX + "%", "count": CONVERSATIONS, "teams": teams},
    )
    sql(
        """
        INSERT INTO conversations_message (conversation_id, author, body, sent_at, read_at)
        SELECT c.id, m.author, 'A message of some length about the claim and what happened.',
               c.created_at + make_interval(hours => m.n), CASE WHEN m.n = 1 THEN now() END
        FROM conversations_conversation c
        CROSS JOIN (VALUES (1, 'customer'), (2, 'staff')) AS m(n, author)
        WHERE c.reference LIKE 'MSG-B%%'
        """
    )


def seed_appointments(customer_ids: list[int]) -> tuple[object, object]:
    """Four ways of meeting with a quarter of the slots each (every 10 minutes, one place),
    and one availability whose slots fall in the next 24 hours, one booked per customer."""
    from accounts.models import Team
    from appointments.bulk import seed_appointments as book_many
    from appointments.bulk import seed_slots
    from appointments.models import Availability, Channel, Office

    team = Team.objects.get_or_create(name="Bench appointments")[0]
    office, _ = Office.objects.get_or_create(
        name="Bench office", defaults={"address": "1 High Street, Leeds", "postcode": "LS1 4DY"}
    )
    today = timezone.localdate()
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)

    def availability(channel: str, where: Office | None, capacity: int = 1) -> Availability:
        return Availability.objects.create(
            team=team, channel=channel, office=where, weekdays=[1, 2, 3, 4, 5],
            start_time="09:00", end_time="17:00", slot_minutes=30, capacity=capacity,
            starts_on=today,
        )  # fmt: skip

    ways = [
        availability(Channel.OFFICE, office),
        availability(Channel.PHONE, None),
        availability(Channel.VIDEO, None),
        availability(Channel.OFFICE, Office.objects.create(name="Bench office 2",
                     address="2 High Street, Leeds", postcode="LS1 4DY")),
    ]  # fmt: skip
    for way in ways:
        seed_slots(
            availability=way, count=SLOTS // 4, first_start=start, every=timedelta(minutes=10)
        )
    soon = availability(Channel.PHONE, None)
    # Starting between 2 h 30 min and 23 h 30 min from now: every one is due its 24-hour
    # reminder now; booked two days ago, before that window opened.
    window = timedelta(hours=21)
    seed_slots(
        availability=soon, count=APPOINTMENTS,
        first_start=timezone.now() + timedelta(hours=2, minutes=30), every=window / APPOINTMENTS,
    )  # fmt: skip
    booked = book_many(
        availability=soon, customer_ids=customer_ids[:APPOINTMENTS],
        booked_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    print(f"  {booked:,} appointments booked in the next 24 hours")
    return ways[0], soon


def purge_queue() -> None:
    """Drop the delivery batches the runs queued: no worker reads the benchmark's queue."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


def conversations_bench() -> None:
    from django.contrib.auth.models import Permission

    from accounts.models import User
    from conversations import casework

    print("  The caseworkers' queue (first page of 100, as the admin lists it):")
    first_page = casework.queue()[:100]
    print(explain(first_page))
    median, p95 = timed(lambda: list(casework.queue()[:100]))
    print(f"    first page: median {median:.2f} ms, p95 {p95:.2f} ms")
    waiting = casework.queue().filter(assigned_to__isnull=True, needs_supervisor=False)
    print("  Take the next conversation (SELECT … FOR UPDATE SKIP LOCKED):")
    with transaction.atomic():
        print(explain(waiting.select_for_update(skip_locked=True, of=("self",))[:1]))
    staff = User.objects.create_user("bench-caseworker@example.org", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["work_conversations", "view_conversation"])
    )
    staff = User.objects.get(pk=staff.pk)  # fresh permission cache
    taken: list[int] = []
    median, p95 = timed(lambda: taken.append(casework.take_next_conversation(by=staff).pk))
    print(
        f"    take next: median {median:.2f} ms, p95 {p95:.2f} ms "
        f"({len(set(taken))} different conversations in {len(taken)} takes)"
    )
    out = io.StringIO()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        call_command("messages_report", "--format", "json", stdout=out)
    print(
        f"  messages_report --format json: {time.perf_counter() - started:.2f} s, "
        f"{len(queries)} queries, {len(out.getvalue()):,} bytes"
    )


def slots_bench(way) -> None:
    from appointments import selectors

    now = timezone.now()
    week = selectors.week(1, today=timezone.localdate())
    print(f"  The booking page's free times for a week ({way.get_channel_display()}, an office):")
    with CaptureQueriesContext(connection) as queries:
        times = selectors.free_times(
            channel=way.channel, office_id=way.office_id, week=week, now=now
        )
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query["sql"])
        print("\n".join("      " + row[0] for row in cursor.fetchall()))
    median, p95 = timed(
        lambda: selectors.free_times(
            channel=way.channel, office_id=way.office_id, week=week, now=now
        )
    )
    print(f"    {len(times)} times: median {median:.2f} ms, p95 {p95:.2f} ms, 1 query")


def reminders_bench() -> None:
    from appointments import reminders
    from notifications import occasions

    for attempt in ("first run", "second run"):
        with CaptureQueriesContext(connection) as queries:
            report = occasions.run(group=reminders.GROUP)
        print(
            f"  reminders, {attempt}: {report.seconds:6.2f} s, {len(queries)} queries, "
            f"{sum(report.told.values()):,} reminders, {report.deliveries:,} deliveries "
            f"(queued {report.queued:,})"
        )
        for name, count in report.told.items():
            print(f"      {name:<28}{count:>10,}")


def main() -> int:
    import logging

    logging.getLogger("notifications").setLevel(logging.ERROR)
    print(
        f"\nSecure messages and appointments: {CONVERSATIONS:,} conversations, "
        f"{SLOTS:,} slots, {APPOINTMENTS:,} appointments"
    )
    started = time.perf_counter()
    customer_ids = seed_customers()
    seed_conversations()
    way, _soon = seed_appointments(customer_ids)
    sql("ANALYZE")
    print(f"  seeded in {time.perf_counter() - started:.1f} s")
    conversations_bench()
    slots_bench(way)
    try:
        reminders_bench()
    finally:
        purge_queue()
    return 0


if __name__ == "__main__":
    sys.exit(main())
